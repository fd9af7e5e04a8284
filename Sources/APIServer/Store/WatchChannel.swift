import Synchronization

/// What a watch reads from the store, in revision order.
enum WatchItem: Sendable {
    /// A change committed after the watch started.
    case event(WatchEvent)
    /// A change from the history, replayed at the start; parsed by the reader, not under a lock.
    case replay(ChangeHistory.Entry)
    /// Every change up to this revision has been offered (kube-apiserver's BOOKMARK).
    case bookmark(Int64)
}

/// One watcher's queue between the store's dispatcher and the watch's reader.
///
/// It is bounded, as kube-apiserver's cacheWatcher is: when the reader falls more than
/// `capacity` events behind, the channel closes and drops what it holds, so a stuck client
/// costs the server at most `capacity` references. The reader then sees the end of the watch
/// and, like any Kubernetes client, watches again from the last revision it saw (or lists
/// again after 410 Expired), so nothing is lost. No lock is held while the reader is resumed.
final class WatchChannel: Sendable {
    let resource: String
    let namespace: String?
    /// Changes at or below this revision were replayed at the start; the dispatcher skips them.
    let after: Int64
    let capacity: Int
    private let state: Mutex<State>
    /// Called once when the reader goes away or the watch ends, outside the channel's lock.
    private let onClose: @Sendable (WatchChannel) -> Void

    private struct State {
        var buffer: [WatchItem]
        var head = 0
        /// Live events waiting in the buffer (replayed ones do not count against `capacity`).
        var live = 0
        var waiter: CheckedContinuation<WatchItem?, Never>?
        var closed = false
        var overflowed = false
        var bookmarkQueued = false
        /// The highest revision put into the buffer.
        var lastRV: Int64

        mutating func pop() -> WatchItem? {
            guard head < buffer.count else { return nil }
            let item = buffer[head]
            head += 1
            if head == buffer.count {
                buffer.removeAll(keepingCapacity: buffer.capacity <= 1024)
                head = 0
            } else if head >= 1024 && head * 2 >= buffer.count {
                buffer.removeFirst(head)
                head = 0
            }
            switch item {
            case .event: live -= 1
            case .bookmark: bookmarkQueued = false
            case .replay: break
            }
            return item
        }

        mutating func close() {
            closed = true
            buffer = []
            head = 0
            live = 0
        }
    }

    init(
        resource: String, namespace: String?, after: Int64, capacity: Int, replay: [ChangeHistory.Entry],
        onClose: @escaping @Sendable (WatchChannel) -> Void
    ) {
        self.resource = resource
        self.namespace = namespace
        self.after = after
        self.capacity = capacity
        self.onClose = onClose
        state = Mutex(State(buffer: replay.map { .replay($0) }, lastRV: after))
    }

    /// True once the channel closed because its reader fell too far behind.
    var overflowed: Bool { state.withLock { $0.overflowed } }

    /// Hands committed events of this channel's scope to the reader. Returns false when the
    /// channel is closed, so the dispatcher can forget it.
    func offer(_ events: [WatchEvent]) -> Bool {
        var resume: CheckedContinuation<WatchItem?, Never>?
        var item: WatchItem?
        let open = state.withLock { s -> Bool in
            guard !s.closed else { return false }
            for e in events where e.rv > after {
                s.buffer.append(.event(e))
                s.live += 1
                s.lastRV = e.rv
            }
            if s.live > capacity {
                s.close()
                s.overflowed = true
            }
            if let w = s.waiter, s.closed || s.head < s.buffer.count {
                s.waiter = nil
                resume = w
                item = s.pop()
            }
            return !s.closed
        }
        resume?.resume(returning: item)
        return open
    }

    /// Queues a bookmark at the newest revision whose changes have all been offered to this
    /// channel (at most one waits at a time).
    func bookmark(deliveredRV: Int64) {
        var resume: CheckedContinuation<WatchItem?, Never>?
        var item: WatchItem?
        state.withLock { s in
            guard !s.closed, !s.bookmarkQueued else { return }
            s.bookmarkQueued = true
            s.buffer.append(.bookmark(max(deliveredRV, s.lastRV)))
            if let w = s.waiter {
                s.waiter = nil
                resume = w
                item = s.pop()
            }
        }
        resume?.resume(returning: item)
    }

    /// The next item, or nil once the channel is closed. One reader at a time.
    func next() async -> WatchItem? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<WatchItem?, Never>) in
                let ready: WatchItem?? = state.withLock { s in
                    if let item = s.pop() { return .some(item) }
                    if s.closed { return .some(nil) }
                    s.waiter = c
                    return nil
                }
                if let ready { c.resume(returning: ready) }
            }
        } onCancel: {
            close()
        }
    }

    /// Ends the watch: the reader gets nil, buffered items are dropped.
    func close() {
        let (wasOpen, waiter) = state.withLock { s -> (Bool, CheckedContinuation<WatchItem?, Never>?) in
            let wasOpen = !s.closed
            s.close()
            let w = s.waiter
            s.waiter = nil
            return (wasOpen, w)
        }
        waiter?.resume(returning: nil)
        if wasOpen { onClose(self) }
    }
}
