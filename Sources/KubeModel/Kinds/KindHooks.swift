import Foundation

/// A kind's lifecycle rules beyond defaulting and validation, as kube-apiserver's per-kind
/// strategy and REST storage decorators hold them (`pkg/registry/core/service/storage`:
/// BeginCreate and AfterDelete; `pkg/registry/core/namespace/storage`: Delete;
/// `pkg/registry/core/pod/strategy.go`: CheckGracefulDelete). The API server calls each hook
/// outside its store-wide lock; a hook that needs the server (an allocator, another object)
/// asks through `KindHookContext`.
public struct KindHooks: Sendable {
    /// Admission defaults of a new object, before validation (a pod's DefaultTolerationSeconds).
    public var admitCreate: (@Sendable (inout JSONValue) -> Void)?
    /// Whether an update that changes `spec` warns as create does (pods warn on create only).
    public var warnsOnUpdate: Bool
    /// PrepareForCreate / BeginCreate, after admission and the namespace check, before the
    /// write: allocates (a Service's ClusterIP) or admits against other objects (a pod's
    /// service account). What it allocates through the context is released again when the
    /// create is a dry run or fails.
    public var prepareForCreate: (@Sendable (_ obj: inout JSONValue, _ context: any KindHookContext) async throws -> Void)?
    /// PrepareForUpdate, before admission and validation: carries over what the request cannot
    /// know, and drops what the new spec no longer allows (a Service's node ports when its type
    /// stops needing them).
    public var prepareForUpdate: (@Sendable (_ new: inout JSONValue, _ old: JSONValue) -> Void)?
    /// BeginUpdate, after admission: allocates what the new object needs and the old did not
    /// hold (a Service's new node ports). What it takes through the context is released again
    /// when the update is a dry run, changes nothing or fails.
    public var beginUpdate: (@Sendable (_ new: inout JSONValue, _ old: JSONValue, _ context: any KindHookContext) throws -> Void)?
    /// After a successful update: gives back what the old object held and the new does not.
    public var afterUpdate: (@Sendable (_ new: JSONValue, _ old: JSONValue, _ context: any KindHookContext) -> Void)?
    /// The kind's own delete (a namespace's finalization, a pod's graceful deletion), decided
    /// against the stored object; `.proceed` leaves it to the generic delete.
    public var beforeDelete: (@Sendable (_ obj: JSONValue, _ request: DeleteRequest) -> DeleteStep)?
    /// Whether a deleted object whose `metadata.finalizers` are gone still waits (a namespace
    /// for its `spec.finalizers`).
    public var awaitsFinalization: (@Sendable (_ obj: JSONValue) -> Bool)?
    /// AfterDelete, once the object is gone: gives back what it held (a Service's ClusterIP).
    public var afterDelete: (@Sendable (_ obj: JSONValue, _ context: any KindHookContext) -> Void)?
    /// At start-up, for each stored object: re-marks what it holds (the allocator repair loop).
    public var repair: (@Sendable (_ obj: JSONValue, _ context: any KindHookContext) -> Void)?

    public init(
        admitCreate: (@Sendable (inout JSONValue) -> Void)? = nil, warnsOnUpdate: Bool = true,
        prepareForCreate: (@Sendable (_ obj: inout JSONValue, _ context: any KindHookContext) async throws -> Void)? = nil,
        prepareForUpdate: (@Sendable (_ new: inout JSONValue, _ old: JSONValue) -> Void)? = nil,
        beginUpdate: (@Sendable (_ new: inout JSONValue, _ old: JSONValue, _ context: any KindHookContext) throws -> Void)? = nil,
        afterUpdate: (@Sendable (_ new: JSONValue, _ old: JSONValue, _ context: any KindHookContext) -> Void)? = nil,
        beforeDelete: (@Sendable (_ obj: JSONValue, _ request: DeleteRequest) -> DeleteStep)? = nil,
        awaitsFinalization: (@Sendable (_ obj: JSONValue) -> Bool)? = nil,
        afterDelete: (@Sendable (_ obj: JSONValue, _ context: any KindHookContext) -> Void)? = nil,
        repair: (@Sendable (_ obj: JSONValue, _ context: any KindHookContext) -> Void)? = nil
    ) {
        self.admitCreate = admitCreate
        self.warnsOnUpdate = warnsOnUpdate
        self.prepareForCreate = prepareForCreate
        self.prepareForUpdate = prepareForUpdate
        self.beginUpdate = beginUpdate
        self.afterUpdate = afterUpdate
        self.beforeDelete = beforeDelete
        self.awaitsFinalization = awaitsFinalization
        self.afterDelete = afterDelete
        self.repair = repair
    }

    /// What a delete request brings to `beforeDelete`.
    public struct DeleteRequest: Sendable {
        /// `gracePeriodSeconds` of the DeleteOptions, if sent.
        public let gracePeriodSeconds: Int64?
        /// The server's clock.
        public let now: Date
        public init(gracePeriodSeconds: Int64?, now: Date) {
            self.gracePeriodSeconds = gracePeriodSeconds
            self.now = now
        }
    }

    /// What `beforeDelete` decided.
    public enum DeleteStep: Sendable {
        /// Nothing of the kind's own: finalizers and propagation decide.
        case proceed
        /// The object stays as stored (already terminating).
        case unchanged
        /// The object goes now.
        case delete
        /// The object stays, marked for deletion as given.
        case put(JSONValue)
    }
}

/// What a hook may ask of the API server that runs it.
public protocol KindHookContext: Sendable {
    /// The named allocator (`Allocators.clusterIP`), nil when the server has none.
    func allocator(_ name: String) -> (any RangeAllocator)?
    /// Whether the server serves the resource (`""`, `"serviceaccounts"`).
    func serves(group: String, plural: String) -> Bool
    /// Another stored object, nil when it does not exist or the resource is not served.
    func object(group: String, plural: String, namespace: String, name: String) -> JSONValue?
}

/// Names of the allocators a server offers its kinds' hooks.
public enum Allocators {
    /// Services' ClusterIP range (`--service-cluster-ip-range`).
    public static let clusterIP = "clusterIP"
    /// Services' node ports (`--service-node-port-range`).
    public static let nodePort = "nodePort"
}

/// A range of values handed out one at a time (kube-apiserver's ipallocator).
public protocol RangeAllocator: Sendable {
    /// The first address, kept for the `kubernetes` Service.
    var first: String { get }
    /// Whether the value is in the range (the network and broadcast addresses are not).
    func contains(_ value: String) -> Bool
    /// Marks a value as used; false when it is taken already.
    @discardableResult func reserve(_ value: String) -> Bool
    /// The next free value; nil when the range is full.
    func allocate() -> String?
    func release(_ value: String)
}

/// A hook's refusal, answered as kube-apiserver's registry answers it.
public enum KindHookError: Error, Sendable {
    /// 422 Invalid, with field errors.
    case invalid([FieldError])
    /// 403 Forbidden, with the whole message.
    case forbidden(String)
    /// 500, with the message.
    case internalError(String)
}
