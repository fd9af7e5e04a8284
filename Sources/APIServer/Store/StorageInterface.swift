import KubeModel

/// What the API service needs of storage, shaped like kube-apiserver's `storage.Interface`
/// (`k8s.io/apiserver/pkg/storage/interfaces.go`): keyed objects with one global revision,
/// create, delete and guaranteed update with preconditions, get, list, watch from a revision,
/// and compaction. Every engine passes `StorageContractTests`.
///
/// An engine promises: writes are ordered by revision, and a revision is visible to reads and
/// watches only once it is durable (for a durable engine); a watch sees a resource's changes in
/// strictly increasing revision order, and one resumed from any revision it has seen gets exactly
/// the later ones, or `TooOldResourceVersion` once compaction has passed it.
public protocol StorageInterface: AnyObject, Sendable {
    /// The newest revision visible to reads (etcd's header revision).
    var currentRevision: Int64 { get }
    /// Watches and exact lists may start from any revision at or above this one.
    var compactedRevision: Int64 { get }

    func get(_ key: ObjectKey) -> StoredObject?

    /// The objects of `resource` (in `namespace`, if given) sorted by namespace/name, and the
    /// revision they reflect: `.exact` reads the state at that revision, and throws when it is
    /// compacted or not yet reached.
    func getList(resource: String, namespace: String?, match: RevisionMatch) throws(RevisionUnavailable) -> StoredList

    /// Writes `object` at `key` unless something is there already.
    func create(_ key: ObjectKey, _ object: JSONValue) async throws -> CreateOutcome

    /// Deletes `key` if it still meets `preconditions`.
    func delete(_ key: ObjectKey, preconditions: Preconditions) async throws -> DeleteOutcome

    /// Reads the newest state of `key`, checks `preconditions`, lets `tryUpdate` decide the change
    /// (without any store-wide lock held, so it may itself read or wait), and commits it only if
    /// `key` is still at the revision read; otherwise reads again and retries. Errors `tryUpdate`
    /// throws end the update.
    func guaranteedUpdate<Note: Sendable>(
        _ key: ObjectKey, preconditions: Preconditions, tryUpdate: (StoredObject) async throws -> UpdateDecision<Note>
    ) async throws -> UpdateOutcome<Note>

    /// Opens a watch on `resource` (in `namespace`, if given) for changes after `fromRV`, or, with
    /// `initial`, for the objects that exist now followed by later changes.
    func watch(resource: String, namespace: String?, fromRV: Int64, initial: Bool) throws(TooOldResourceVersion) -> WatchStart

    /// Gives up the history at and below `revision`: watches from it get 410 Expired.
    func compact(through revision: Int64)

    /// Objects whose ownerReferences name `uid` (the garbage collector's index).
    func dependents(ofUID uid: String) -> [(ObjectKey, StoredObject)]

    /// The newest revision every watch has been offered (what a bookmark may report).
    var deliveredRevision: Int64 { get }
    var watcherCount: Int { get }
    func close()
}

extension StorageInterface {
    public func delete(_ key: ObjectKey) async throws -> DeleteOutcome { try await delete(key, preconditions: .init()) }

    public func guaranteedUpdate<Note: Sendable>(
        _ key: ObjectKey, tryUpdate: (StoredObject) async throws -> UpdateDecision<Note>
    ) async throws -> UpdateOutcome<Note> {
        try await guaranteedUpdate(key, preconditions: .init(), tryUpdate: tryUpdate)
    }
}

/// How a list's `resourceVersion` bounds it (`resourceVersionMatch`).
public enum RevisionMatch: Sendable, Equatable {
    /// The newest state ("" or "0" without a match).
    case newest
    /// At least this revision (`NotOlderThan`).
    case notOlderThan(Int64)
    /// Exactly this revision (`Exact`).
    case exact(Int64)
}

public struct StoredList: Sendable {
    public let items: [StoredObject]
    public let revision: Int64
}

/// The object must still be the one the client saw (`storage.Preconditions`).
public struct Preconditions: Sendable, Equatable {
    public var uid: String?
    public var resourceVersion: String?

    public init(uid: String? = nil, resourceVersion: String? = nil) {
        self.uid = uid
        self.resourceVersion = resourceVersion
    }

    /// The first precondition `object` fails, checked in Kubernetes' order (uid, then revision).
    func failure(_ object: StoredObject) -> PreconditionFailure? {
        if let uid {
            let actual = object.value[path: ["metadata", "uid"]]?.stringValue ?? ""
            if uid != actual { return .uid(precondition: uid, actual: actual) }
        }
        if let resourceVersion {
            let actual = object.value[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
            if resourceVersion != actual { return .resourceVersion(precondition: resourceVersion, actual: actual) }
        }
        return nil
    }
}

public enum PreconditionFailure: Sendable, Equatable, Error {
    case uid(precondition: String, actual: String)
    case resourceVersion(precondition: String, actual: String)

    /// `storage.NewInvalidObjError`'s message, word for word.
    public var message: String {
        switch self {
        case .uid(let want, let have): "Precondition failed: UID in precondition: \(want), UID in object meta: \(have)"
        case .resourceVersion(let want, let have):
            "Precondition failed: ResourceVersion in precondition: \(want), ResourceVersion in object meta: \(have)"
        }
    }
}

public enum CreateOutcome: Sendable {
    case created(WatchEvent)
    case alreadyExists
}

public enum DeleteOutcome: Sendable {
    case deleted(WatchEvent)
    case notFound
    case preconditionFailed(PreconditionFailure)
}

/// What `tryUpdate` decides, with whatever the caller wants back beside the stored result.
public enum UpdateDecision<Note: Sendable>: Sendable {
    case put(JSONValue, Note)
    case delete(Note)
    /// Nothing to write (no change, or a dry run).
    case unchanged(Note)
}

public enum UpdateOutcome<Note: Sendable>: Sendable {
    case updated(WatchEvent, Note)
    case deleted(WatchEvent, Note)
    /// `tryUpdate` wrote nothing; the object as it was read.
    case unchanged(StoredObject, Note)
    case notFound
    case preconditionFailed(PreconditionFailure)
}

/// A watch's start: the objects that exist (when asked for), and the channel of what follows.
public struct WatchStart: Sendable {
    let initial: [StoredObject]
    let channel: WatchChannel
    /// The revision the watch starts after.
    let fromRV: Int64
}

/// A list asked for a revision that no longer exists (410 Expired) or is not yet reached (etcd's
/// ErrFutureRev, which kube-apiserver answers 504 "Too large resource version").
public enum RevisionUnavailable: Error, Equatable {
    case compacted(requested: Int64, current: Int64)
    case future(requested: Int64, current: Int64)
}

/// A watch or list asked for a revision the history no longer holds (410 Expired).
public struct TooOldResourceVersion: Error {
    let requested: Int64
    let current: Int64
}
