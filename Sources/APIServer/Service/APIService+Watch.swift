import KubeModel

/// One event of a watch stream as the client sees it.
public struct WatchOutput: Sendable {
    public let type: String
    public let object: JSONValue
    /// The object's serialized form when it needs no conversion (the common case).
    public let bytes: [UInt8]?

    public init(type: String, object: JSONValue, bytes: [UInt8]? = nil) {
        self.type = type
        self.object = object
        self.bytes = bytes
    }
}

/// A running watch: its events, and how to stop it early (client gone).
public struct WatchHandle: Sendable {
    public let events: AsyncStream<WatchOutput>
    public let cancel: @Sendable () -> Void
}

extension APIService {
    /// Starts a watch as kube-apiserver does: initial ADDEDs when the revision is absent or "0"
    /// (or `sendInitialEvents=true`), then committed changes, filtered by selectors; DELETED when
    /// an object stops matching; BOOKMARKs on request; a 410 ERROR for a compacted revision.
    public func watch(
        _ info: ResourceInfo, namespace: String?, options: ListOptions, bookmarkInterval: Duration = .seconds(60)
    ) throws -> WatchHandle {
        let filter = try ObjectFilter(info: info, options: options)
        let ns = info.namespaced ? namespace : nil
        var fromRV: Int64 = 0
        let rvText = options.resourceVersion
        if !rvText.isEmpty {
            guard let rv = Int64(rvText), rv >= 0 else {
                throw APIError.badRequest("invalid resource version: \(rvText)")
            }
            fromRV = rv
        }
        let initial = rvText.isEmpty || rvText == "0" || options.sendInitialEvents == true
        let (out, continuation) = AsyncStream<WatchOutput>.makeStream()
        var initialItems: [StoredObject] = []
        if initial {
            let snapshot = store.list(resource: info.storageKey, namespace: ns)
            initialItems = snapshot.items.filter { filter.matches($0.value) }
            fromRV = snapshot.rv
        }
        switch store.watch(resource: info.storageKey, namespace: ns, fromRV: fromRV) {
        case .expired:
            let status = APIError.expired("too old resource version: \(fromRV) (\(store.currentRV))").status
            continuation.yield(WatchOutput(type: "ERROR", object: status))
            continuation.finish()
            return WatchHandle(events: out, cancel: {})
        case .ok(let events, let cancelStore):
            let identity = Conversion.isIdentity(info)
            for item in initialItems {
                continuation.yield(WatchOutput(type: "ADDED", object: Conversion.toVersion(item.value, info), bytes: identity ? item.bytes : nil))
            }
            if options.sendInitialEvents == true {
                continuation.yield(bookmark(info, rv: fromRV, initialEventsEnd: true))
            }
            let pump = Task {
                for await e in events {
                    let newMatch = filter.matches(e.object)
                    let oldMatch = e.old.map(filter.matches) ?? false
                    let type: String
                    switch e.type {
                    case .added: guard newMatch else { continue }; type = "ADDED"
                    case .deleted: guard newMatch || oldMatch else { continue }; type = "DELETED"
                    case .modified:
                        if newMatch { type = (oldMatch || filter.isEmpty || e.old == nil) ? "MODIFIED" : "ADDED" }
                        else if oldMatch { type = "DELETED" }
                        else { continue }
                    }
                    if identity {
                        continuation.yield(WatchOutput(type: type, object: e.object, bytes: e.bytes))
                    } else {
                        continuation.yield(WatchOutput(type: type, object: Conversion.toVersion(e.object, info)))
                    }
                }
                continuation.finish()
            }
            let ticker: Task<Void, Never>? = options.allowWatchBookmarks ? Task { [store] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: bookmarkInterval)
                    if Task.isCancelled { break }
                    continuation.yield(self.bookmark(info, rv: store.currentRV, initialEventsEnd: false))
                }
            } : nil
            let timeout: Task<Void, Never>? = options.timeoutSeconds.map { secs in
                Task {
                    try? await Task.sleep(for: .seconds(secs))
                    if !Task.isCancelled { continuation.finish() }
                }
            }
            let cancel: @Sendable () -> Void = {
                pump.cancel()
                ticker?.cancel()
                timeout?.cancel()
                cancelStore()
                continuation.finish()
            }
            continuation.onTermination = { _ in
                pump.cancel()
                ticker?.cancel()
                timeout?.cancel()
                cancelStore()
            }
            return WatchHandle(events: out, cancel: cancel)
        }
    }

    func bookmark(_ info: ResourceInfo, rv: Int64, initialEventsEnd: Bool) -> WatchOutput {
        var meta: JSONValue = ["resourceVersion": .string(String(rv))]
        if initialEventsEnd { meta["annotations"] = ["k8s.io/initial-events-end": "true"] }
        return WatchOutput(type: "BOOKMARK", object: ["kind": .string(info.kind), "apiVersion": .string(info.groupVersion), "metadata": meta])
    }
}
