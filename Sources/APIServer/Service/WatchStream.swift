import KubeModel
import Synchronization

/// The events of one watch, made as the reader asks for them: no task copies them from the
/// store's channel into another buffer, so the channel's bound is the only one and a reader that
/// falls behind is closed, as kube-apiserver's cacheWatcher is.
public struct WatchStream: AsyncSequence, Sendable {
    public typealias Element = WatchOutput

    let source: Source?
    let error: WatchOutput?

    init(source: Source) {
        self.source = source
        error = nil
    }

    /// A watch that only reports an error (410 Expired) and ends.
    init(error: WatchOutput) {
        source = nil
        self.error = error
    }

    public func makeAsyncIterator() -> Iterator { Iterator(source: source, error: error) }

    public struct Iterator: AsyncIteratorProtocol {
        let source: Source?
        var error: WatchOutput?
        var initialIndex = 0
        var initialEndSent = false

        public mutating func next() async -> WatchOutput? {
            if let e = error {
                error = nil
                return e
            }
            guard let source else { return nil }
            while initialIndex < source.initial.count {
                let item = source.initial[initialIndex]
                initialIndex += 1
                if source.filter.matches(item.value) { return source.output("ADDED", item.value, item.bytes) }
            }
            if source.initialEventsEnd && !initialEndSent {
                initialEndSent = true
                return source.bookmark(source.fromRV, initialEventsEnd: true)
            }
            while let item = await source.channel.next() {
                switch item {
                case .event(let e):
                    if let out = source.translate(e) { return out }
                case .replay(let entry):
                    if let e = entry.event, let out = source.translate(e) { return out }
                case .bookmark(let rv):
                    return source.bookmark(rv, initialEventsEnd: false)
                }
            }
            return nil
        }
    }

    /// What a watch reads from, and the timers that feed its channel bookmarks or end it. The
    /// last reference going away closes the watch, so a dropped stream leaves nothing behind.
    final class Source: Sendable {
        let info: ResourceInfo
        let filter: ObjectFilter
        let channel: WatchChannel
        let initial: [StoredObject]
        let fromRV: Int64
        let initialEventsEnd: Bool
        let identity: Bool
        private let timers: Mutex<[Task<Void, Never>]>

        init(
            info: ResourceInfo, filter: ObjectFilter, start: WatchStart, initialEventsEnd: Bool,
            bookmarks: (interval: Duration, storage: any StorageInterface)?, timeout: Duration?
        ) {
            self.info = info
            self.filter = filter
            channel = start.channel
            initial = start.initial
            fromRV = start.fromRV
            self.initialEventsEnd = initialEventsEnd
            identity = Conversion.isIdentity(info)
            var tasks: [Task<Void, Never>] = []
            let channel = start.channel
            if let bookmarks {
                tasks.append(Task {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: bookmarks.interval)
                        if Task.isCancelled { break }
                        channel.bookmark(deliveredRV: bookmarks.storage.deliveredRevision)
                    }
                })
            }
            if let timeout {
                tasks.append(Task {
                    try? await Task.sleep(for: timeout)
                    if !Task.isCancelled { channel.close() }
                })
            }
            timers = Mutex(tasks)
        }

        deinit { close() }

        func close() {
            let tasks = timers.withLock { t in
                defer { t = [] }
                return t
            }
            for t in tasks { t.cancel() }
            channel.close()
        }

        /// A committed change as this watch reports it: selectors turn "started matching" into
        /// ADDED and "stopped matching" into DELETED, as kube-apiserver's watch filter does.
        func translate(_ e: WatchEvent) -> WatchOutput? {
            let newMatch = filter.matches(e.object)
            let oldMatch = e.old.map(filter.matches) ?? false
            let type: String
            switch e.type {
            case .added:
                guard newMatch else { return nil }
                type = "ADDED"
            case .deleted:
                guard newMatch || oldMatch else { return nil }
                type = "DELETED"
            case .modified:
                if newMatch {
                    type = (oldMatch || filter.isEmpty || e.old == nil) ? "MODIFIED" : "ADDED"
                } else if oldMatch {
                    type = "DELETED"
                } else {
                    return nil
                }
            }
            return output(type, e.object, e.bytes)
        }

        func output(_ type: String, _ object: JSONValue, _ bytes: [UInt8]) -> WatchOutput {
            identity ? WatchOutput(type: type, object: object, bytes: bytes) : WatchOutput(type: type, object: Conversion.toVersion(object, info))
        }

        func bookmark(_ rv: Int64, initialEventsEnd: Bool) -> WatchOutput {
            var meta: JSONValue = ["resourceVersion": .string(String(rv))]
            if initialEventsEnd { meta["annotations"] = ["k8s.io/initial-events-end": "true"] }
            return WatchOutput(type: "BOOKMARK", object: ["kind": .string(info.kind), "apiVersion": .string(info.groupVersion), "metadata": meta])
        }
    }
}
