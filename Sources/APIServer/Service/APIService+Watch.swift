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
    public let events: WatchStream
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
        let start: WatchStart
        do {
            start = try store.watch(resource: info.storageKey, namespace: ns, fromRV: fromRV, initial: initial)
        } catch {
            let status = APIError.expired("too old resource version: \(error.requested) (\(error.current))").status
            let stream = WatchStream(error: WatchOutput(type: "ERROR", object: status))
            return WatchHandle(events: stream, cancel: {})
        }
        let source = WatchStream.Source(
            info: info, filter: filter, start: start, initialEventsEnd: options.sendInitialEvents == true,
            bookmarks: options.allowWatchBookmarks ? (bookmarkInterval, store) : nil,
            timeout: options.timeoutSeconds.map { .seconds($0) })
        return WatchHandle(events: WatchStream(source: source), cancel: { source.close() })
    }
}
