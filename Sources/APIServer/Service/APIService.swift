import Foundation
import KubeModel

/// How strictly unknown fields in a write are treated (`?fieldValidation=`).
public enum FieldValidation: String, Sendable {
    case strict = "Strict", warn = "Warn", ignore = "Ignore"
}

public struct WriteOptions: Sendable {
    public var dryRun = false
    public var fieldValidation = FieldValidation.warn
    public var fieldManager: String?
    /// `?force=` of an apply patch: take fields from their other managers.
    public var force: Bool?
    /// The client's User-Agent, which names the manager of a write without `fieldManager`.
    public var userAgent: String?
    public init(dryRun: Bool = false, fieldValidation: FieldValidation = .warn, fieldManager: String? = nil, force: Bool? = nil, userAgent: String? = nil) {
        self.dryRun = dryRun
        self.fieldValidation = fieldValidation
        self.fieldManager = fieldManager
        self.force = force
        self.userAgent = userAgent
    }
}

public struct ListOptions: Sendable {
    public var labelSelector = ""
    public var fieldSelector = ""
    public var limit = 0
    public var continueToken = ""
    public var resourceVersion = ""
    /// "", "Exact" or "NotOlderThan": how `resourceVersion` bounds a list.
    public var resourceVersionMatch = ""
    public var allowWatchBookmarks = false
    public var sendInitialEvents: Bool?
    public var timeoutSeconds: Int?
    public init() {}
}

/// The result of a write: the object as stored (in the request's version), and warnings for
/// the `Warning` response header.
public struct WriteResult: Sendable {
    public let object: JSONValue
    public let warnings: [String]
    public let created: Bool
    /// `object` serialized, when the stored bytes can be served as they are.
    public var bytes: [UInt8]? = nil
}

/// The API's verbs over the store: what kube-apiserver's registry does for each resource
/// (defaulting, validation, preconditions, generation, subresources, cascading deletes).
public final class APIService: Sendable {
    /// Storage, through its interface only (an engine is chosen by `APIServer`).
    let store: any StorageInterface
    let now: @Sendable () -> Date
    /// The kinds this server serves.
    public let catalog: ResourceCatalog
    /// The schemas of those kinds (the shared types plus each kind's own), for validation,
    /// patches, managed fields, OpenAPI and protobuf; the built-in set is parsed once per process.
    public let schemas: SchemaRegistry
    let protobuf: ProtobufMessages
    /// Whether the kinds are exactly `Kinds.builtin`, whose derived documents are shared by every
    /// server in the process.
    let servesBuiltinKinds: Bool
    let clusterIPs: ClusterIPAllocator
    /// The allocators kinds' hooks may use, by name (`Allocators`).
    let allocators: [String: any RangeAllocator]
    /// The process nodes' usage reports, for the metrics API (`APIServer/Metrics`).
    let kubeletSummaries = KubeletSummaries()

    public init(
        store: any StorageInterface, serviceCIDR: String = "10.96.0.0/16", kinds: [KindDefinition] = Kinds.builtin,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.now = now
        self.catalog = ResourceCatalog(kinds: kinds)
        let builtin = kinds.map(\.plural) == Kinds.builtin.map(\.plural) && kinds.map(\.group) == Kinds.builtin.map(\.group)
        self.servesBuiltinKinds = builtin
        self.schemas = builtin ? .shared : SchemaRegistry(kinds: kinds)
        self.protobuf = builtin ? .shared : ProtobufMessages(schemas)
        let clusterIPs = ClusterIPAllocator(cidr: serviceCIDR)
        self.clusterIPs = clusterIPs
        self.allocators = [Allocators.clusterIP: clusterIPs, Allocators.nodePort: NodePortAllocator()]
    }

    func timestamp() -> JSONValue { .string(Timestamp.format(now())) }

    func key(_ info: ResourceInfo, _ namespace: String?, _ name: String) -> ObjectKey {
        ObjectKey(resource: info.storageKey, namespace: info.namespaced ? (namespace ?? "") : "", name: name)
    }

    /// Creates the namespaces every cluster starts with.
    public func bootstrap() async throws {
        // Recorded as kube-apiserver's own writes (the service account as its controller's).
        let own = WriteOptions(userAgent: "kube-apiserver/v1.32.0 (linux/amd64) kubernetes/kplane")
        let controller = WriteOptions(userAgent: "kube-controller-manager/v1.32.0 (linux/amd64) kubernetes/kplane")
        guard let nsInfo = catalog.find(group: "", version: "v1", plural: "namespaces") else { return }
        for ns in ["default", "kube-system", "kube-public", "kube-node-lease"] where store.get(key(nsInfo, nil, ns)) == nil {
            _ = try await create(nsInfo, namespace: nil, body: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(ns)]], options: own)
        }
        if let sa = catalog.find(group: "", version: "v1", plural: "serviceaccounts") {
            for ns in ["default", "kube-system", "kube-public", "kube-node-lease"] where store.get(key(sa, ns, "default")) == nil {
                _ = try? await create(sa, namespace: ns, body: ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": "default"]], options: controller)
            }
        }
        if let svc = catalog.find(group: "", version: "v1", plural: "services"), store.get(key(svc, "default", "kubernetes")) == nil {
            _ = try? await create(svc, namespace: "default", body: [
                "apiVersion": "v1", "kind": "Service",
                "metadata": ["name": "kubernetes", "labels": ["component": "apiserver", "provider": "kubernetes"]],
                "spec": ["ports": [["name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443]], "clusterIP": .string(clusterIPs.first)],
            ], options: own)
        }
        // What stored objects hold (a Service's ClusterIP), marked again after a restart.
        let context = HookContext(self)
        for info in catalog.storedResources {
            guard let repair = info.definition.hooks.repair else { continue }
            for o in try store.getList(resource: info.storageKey, namespace: nil, match: .newest).items { repair(o.value, context) }
        }
    }

    // MARK: get

    public func get(_ info: ResourceInfo, namespace: String?, name: String) throws(APIError) -> JSONValue {
        guard let obj = store.get(key(info, namespace, name)) else { throw APIError.notFound(info, name) }
        return Conversion.toVersion(obj.value, info)
    }

    /// The object's JSON, straight from the store when no version conversion is needed.
    public func getBytes(_ info: ResourceInfo, namespace: String?, name: String) throws(APIError) -> [UInt8] {
        guard let obj = store.get(key(info, namespace, name)) else { throw APIError.notFound(info, name) }
        if Conversion.isIdentity(info) { return obj.bytes }
        return JSONSerializer.serialize(Conversion.toVersion(obj.value, info))
    }

    /// The newest revision (the resourceVersion of lists that read no objects).
    public var currentRevision: Int64 { store.currentRevision }

    /// `/scale` of an object whose resource has one.
    public func getScale(_ info: ResourceInfo, namespace: String?, name: String) throws(APIError) -> JSONValue {
        guard let obj = store.get(key(info, namespace, name)) else { throw APIError.notFound(info, name) }
        return Conversion.scale(of: obj.value)
    }

    // MARK: list

    /// The stored objects a list reads, at the revision its options ask for.
    /// A continued list reads at its first page's revision, so the pages together are one
    /// consistent snapshot, as etcd3's store pages; a token whose revision is gone says so.
    func storedList(_ info: ResourceInfo, namespace: String?, options: ListOptions) throws(APIError) -> StoredList {
        var match = RevisionMatch.newest
        var token: ContinueToken?
        if !options.continueToken.isEmpty {
            guard let t = ContinueToken.decode(options.continueToken), t.rv != 0 else {
                throw APIError.badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
            }
            token = t
            // A negative revision is the token a compacted continue hands out: read the newest.
            if t.rv > 0 { match = .exact(t.rv) }
        } else if options.resourceVersionMatch == "Exact", let rv = Int64(options.resourceVersion) {
            match = .exact(rv)
        }
        do {
            return try store.getList(resource: info.storageKey, namespace: info.namespaced ? namespace : nil, match: match)
        } catch {
            switch error {
            case .future(let requested, let current):
                throw APIError.resourceVersionTooLarge(requested, current: current)
            case .compacted:
                // etcd's ErrCompacted, as kube-apiserver reports it.
                guard let token else { throw APIError.expired("The resourceVersion for the provided list is too old.") }
                var e = APIError.expired(Self.continueTooOld)
                e.continueToken = ContinueToken(rv: -1, key: token.key).encode()
                throw e
            }
        }
    }

    /// etcd3's handleCompactedErrorForPaging, word for word.
    static let continueTooOld = "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list."

    public func list(_ info: ResourceInfo, namespace: String?, options: ListOptions) throws(APIError) -> JSONValue {
        let listed = try storedList(info, namespace: namespace, options: options)
        let filter = try ObjectFilter(info: info, options: options)
        let (all, rv) = (listed.items, listed.revision)
        var start = 0
        if let token = ContinueToken.decode(options.continueToken) {
            start = all.firstIndex { Self.continueKey($0.value) > token.key } ?? all.count
        }
        var items: [JSONValue] = []
        var next: String?
        var remaining = 0
        var i = start
        while i < all.count {
            let obj = all[i].value
            i += 1
            guard filter.matches(obj) else { continue }
            if options.limit > 0 && items.count == options.limit {
                remaining = 1 + all[i...].filter { filter.matches($0.value) }.count
                next = ContinueToken(rv: rv, key: Self.continueKey(items.last ?? obj)).encode()
                break
            }
            items.append(Conversion.toVersion(obj, info))
        }
        var meta: JSONValue = ["resourceVersion": .string(String(rv))]
        if let next {
            meta["continue"] = .string(next)
            meta["remainingItemCount"] = .int(Int64(remaining))
        }
        return [
            "kind": .string(info.kind + "List"), "apiVersion": .string(info.groupVersion),
            "metadata": meta, "items": .array(items),
        ]
    }

    /// A list serialized from the stored bytes of its items (keys in Go's sorted order).
    public func listBytes(_ info: ResourceInfo, namespace: String?, options: ListOptions) throws(APIError) -> [UInt8] {
        guard Conversion.isIdentity(info), options.limit == 0, options.continueToken.isEmpty else {
            return JSONSerializer.serialize(try list(info, namespace: namespace, options: options))
        }
        let listed = try storedList(info, namespace: namespace, options: options)
        let filter = try ObjectFilter(info: info, options: options)
        let (all, rv) = (listed.items, listed.revision)
        var out: [UInt8] = []
        out.reserveCapacity(64 + all.reduce(0) { $0 + $1.bytes.count + 1 })
        out += Array("{\"apiVersion\":".utf8)
        JSONSerializer.writeString(info.groupVersion, into: &out)
        out += Array(",\"items\":[".utf8)
        var first = true
        for o in all where filter.isEmpty || filter.matches(o.value) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out += o.bytes
        }
        out += Array("],\"kind\":".utf8)
        JSONSerializer.writeString(info.kind + "List", into: &out)
        out += Array(",\"metadata\":{\"resourceVersion\":\"\(rv)\"}}".utf8)
        return out
    }

    static func continueKey(_ obj: JSONValue) -> String {
        let ns = obj[path: ["metadata", "namespace"]]?.stringValue ?? ""
        let name = obj[path: ["metadata", "name"]]?.stringValue ?? ""
        return ns.isEmpty ? name : "\(ns)/\(name)"
    }
}

/// The opaque `continue` token of a paginated list: the last key returned and the list's revision.
struct ContinueToken {
    let rv: Int64
    let key: String

    func encode() -> String {
        Base64.encode(JSONSerializer.serialize(["v": "meta.k8s.io/v1", "rv": .int(rv), "start": .string(key)]))
    }

    static func decode(_ s: String) -> ContinueToken? {
        var padded = s
        while padded.utf8.count % 4 != 0 { padded += "=" }
        guard let bytes = Base64.decode(padded), let json = try? JSONParser.parse(bytes),
            let rv = json["rv"]?.intValue, let key = json["start"]?.stringValue
        else { return nil }
        return ContinueToken(rv: rv, key: key)
    }
}
