import Foundation
import KubeModel
import Logging
import Synchronization

/// A shared informer: lists and watches one resource into a local cache indexed by namespace,
/// by label (`key=value`) and by owner uid, and tells its handlers what changed. A relist (after 410 Expired) is
/// reconciled against the cache, so handlers see the deletes they missed.
public final class Informer: Sendable {
    public struct Handler: Sendable {
        public var onAdd: @Sendable (JSONValue) -> Void = { _ in }
        public var onUpdate: @Sendable (_ old: JSONValue, _ new: JSONValue) -> Void = { _, _ in }
        public var onDelete: @Sendable (JSONValue) -> Void = { _ in }
        public init(onAdd: @escaping @Sendable (JSONValue) -> Void = { _ in },
                    onUpdate: @escaping @Sendable (JSONValue, JSONValue) -> Void = { _, _ in },
                    onDelete: @escaping @Sendable (JSONValue) -> Void = { _ in }) {
            self.onAdd = onAdd
            self.onUpdate = onUpdate
            self.onDelete = onDelete
        }
    }

    private struct State {
        var objects: [String: JSONValue] = [:]
        var byNamespace: [String: Set<String>] = [:]
        var byOwner: [String: Set<String>] = [:]
        var byLabel: [String: Set<String>] = [:]
        var handlers: [Handler] = []
        var synced = false
        var syncWaiters: [CheckedContinuation<Void, Never>] = []
    }

    public let resource: APIResource
    let client: APIClient
    let namespace: String?
    let logger: Logger
    let fieldSelector: String?
    private let state = Mutex(State())
    /// client-go's reflector backs off 800 ms doubling to 30 s between failed list-and-watches.
    static let initialBackoff: TimeInterval = 0.8
    static let maxBackoff: TimeInterval = 30

    /// `fieldSelector` narrows what is listed and watched, as a kubelet watches only its own
    /// pods (`spec.nodeName=<node>`).
    public init(client: APIClient, resource: APIResource, namespace: String? = nil, fieldSelector: String? = nil, logger: Logger? = nil) {
        self.client = client
        self.resource = resource
        self.namespace = namespace
        self.fieldSelector = fieldSelector
        var logger = logger ?? Logger(label: "informer")
        logger[metadataKey: "resource"] = "\(resource.qualifiedPlural)"
        self.logger = logger
    }

    /// `namespace/name` (or `name` for cluster-scoped objects): the key work queues carry.
    public static func key(_ object: JSONValue) -> String {
        let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        guard let ns = object[path: ["metadata", "namespace"]]?.stringValue, !ns.isEmpty else { return name }
        return ns + "/" + name
    }

    public static func split(_ key: String) -> (namespace: String?, name: String) {
        guard let slash = key.firstIndex(of: "/") else { return (nil, key) }
        return (String(key[..<slash]), String(key[key.index(after: slash)...]))
    }

    public func addHandler(_ handler: Handler) {
        let existing = state.withLock { s -> [JSONValue] in
            s.handlers.append(handler)
            return s.synced ? Array(s.objects.values) : []
        }
        // A late handler still hears about everything already cached, as in client-go.
        for o in existing { handler.onAdd(o) }
    }

    /// Lists and watches until the task is cancelled. A failure is logged and retried after a
    /// backoff on `clock` that doubles with each failure in a row and resets once a list succeeds.
    public func run(clock: any WallClock = SystemClock()) async {
        var delay = Self.initialBackoff
        while !Task.isCancelled {
            var listed = false
            do {
                for try await event in ListWatch(client: client, path: resource.path(namespace: namespace), fieldSelector: fieldSelector) {
                    if case .listed = event {
                        listed = true
                        delay = Self.initialBackoff
                    }
                    apply(event)
                }
            } catch {
                if Task.isCancelled { break }
                let metadata: Logger.Metadata = ["err": "\(error)", "retryAfter": "\(delay)s"]
                // As client-go's reflector: a failed list is an error, a watch that ended badly a warning.
                if listed { logger.warning("Watch ended with an error", metadata: metadata) }
                else { logger.error("Failed to list", metadata: metadata) }
                do { try await clock.sleep(for: delay) } catch { break }  // cancelled
                delay = min(Self.maxBackoff, delay * 2)
            }
        }
    }

    /// Returns once the first list is in the cache.
    public func waitForSync() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { s -> Bool in
                if s.synced { return true }
                s.syncWaiters.append(c)
                return false
            }
            if ready { c.resume() }
        }
    }

    public var hasSynced: Bool { state.withLock { $0.synced } }

    public func get(_ key: String) -> JSONValue? { state.withLock { $0.objects[key] } }

    public func get(namespace: String?, name: String) -> JSONValue? {
        get(namespace.map { $0.isEmpty ? name : "\($0)/\(name)" } ?? name)
    }

    /// Every cached object, or those of one namespace, optionally matching a label selector.
    /// A selector with an equality requirement starts from the label index.
    public func list(namespace: String? = nil, selector: LabelSelector? = nil) -> [JSONValue] {
        let candidates = state.withLock { s -> [JSONValue] in
            var keys: Set<String>?
            if let namespace { keys = s.byNamespace[namespace] ?? [] }
            for r in selector?.requirements ?? [] where r.op == .equals {
                let labelled = s.byLabel["\(r.key)=\(r.values.first ?? "")"] ?? []
                keys = keys.map { $0.intersection(labelled) } ?? labelled
            }
            guard let keys else { return Array(s.objects.values) }
            return keys.compactMap { s.objects[$0] }
        }
        guard let selector else { return candidates }
        return candidates.filter { selector.matches(object: $0) }
    }

    /// Objects whose `ownerReferences` name this uid.
    public func owned(by uid: String) -> [JSONValue] {
        state.withLock { s in (s.byOwner[uid] ?? []).compactMap { s.objects[$0] } }
    }

    public var count: Int { state.withLock { $0.objects.count } }

    public static func labels(_ o: JSONValue) -> [String: String] {
        (o[path: ["metadata", "labels"]]?.objectValue ?? [:]).compactMapValues(\.stringValue)
    }

    // MARK: - Cache maintenance

    func apply(_ event: ListWatchEvent) {
        switch event {
        case .listed(let items, _): replace(items)
        case .added(let o), .modified(let o): upsert(o)
        case .deleted(let o): remove(o)
        }
    }

    private func upsert(_ o: JSONValue) {
        let key = Self.key(o)
        let (old, handlers) = state.withLock { s -> (JSONValue?, [Handler]) in
            let old = s.objects[key]
            if let old { Self.unindex(&s, key, old) }
            s.objects[key] = o
            Self.index(&s, key, o)
            return (old, s.handlers)
        }
        for h in handlers {
            if let old { h.onUpdate(old, o) } else { h.onAdd(o) }
        }
    }

    private func remove(_ o: JSONValue) {
        let key = Self.key(o)
        let (removed, handlers) = state.withLock { s -> (JSONValue?, [Handler]) in
            guard let old = s.objects.removeValue(forKey: key) else { return (nil, s.handlers) }
            Self.unindex(&s, key, old)
            return (old, s.handlers)
        }
        if removed != nil { for h in handlers { h.onDelete(o) } }
    }

    private func replace(_ items: [JSONValue]) {
        let fresh = Set(items.map(Self.key))
        let gone = state.withLock { s in s.objects.filter { !fresh.contains($0.key) }.map(\.value) }
        for o in gone { remove(o) }
        for o in items {
            // Unchanged objects (same resourceVersion) are not news.
            if let old = get(Self.key(o)), old[path: ["metadata", "resourceVersion"]] == o[path: ["metadata", "resourceVersion"]] { continue }
            upsert(o)
        }
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.synced = true
            defer { s.syncWaiters = [] }
            return s.syncWaiters
        }
        for w in waiters { w.resume() }
    }

    private static func ownerUIDs(_ o: JSONValue) -> [String] {
        (o[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).compactMap { $0["uid"]?.stringValue }
    }

    private static func index(_ s: inout State, _ key: String, _ o: JSONValue) {
        s.byNamespace[o[path: ["metadata", "namespace"]]?.stringValue ?? "", default: []].insert(key)
        for uid in ownerUIDs(o) { s.byOwner[uid, default: []].insert(key) }
        for (k, v) in labels(o) { s.byLabel["\(k)=\(v)", default: []].insert(key) }
    }

    private static func unindex(_ s: inout State, _ key: String, _ o: JSONValue) {
        let ns = o[path: ["metadata", "namespace"]]?.stringValue ?? ""
        s.byNamespace[ns]?.remove(key)
        if s.byNamespace[ns]?.isEmpty == true { s.byNamespace[ns] = nil }
        for uid in ownerUIDs(o) {
            s.byOwner[uid]?.remove(key)
            if s.byOwner[uid]?.isEmpty == true { s.byOwner[uid] = nil }
        }
        for (k, v) in labels(o) {
            let label = "\(k)=\(v)"
            s.byLabel[label]?.remove(key)
            if s.byLabel[label]?.isEmpty == true { s.byLabel[label] = nil }
        }
    }
}
