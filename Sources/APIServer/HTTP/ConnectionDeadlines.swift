import NIOCore

/// Closes connections the way kube-apiserver's Go server does (`secure_serving.go`): a request's
/// headers must all arrive within `readHeader` (Go's ReadHeaderTimeout) of the connection opening
/// or of the request's first byte, and a keep-alive connection may wait at most `idle` (Go's
/// IdleTimeout) for its next request. So idle sockets and slowloris clients that trickle headers
/// are dropped.
///
/// Once a request is read, nothing times out while the server answers it, so watches stay open
/// for as long as they run. A body that stops arriving for `idle` is dropped too (Go would hold
/// it until kube-apiserver's request timeout answers). Driven by `HTTPConnectionHandler`, on the
/// connection's event loop.
final class ConnectionDeadlines {
    enum Wait { case head, idle, body, none }

    private let readHeader: TimeAmount
    private let idle: TimeAmount
    private(set) var waiting = Wait.none
    /// When the wait started (for a body: when its last bytes arrived).
    private var since = NIODeadline.now()
    private var timer: Scheduled<Void>?
    /// When the armed timer fires.
    private var armed: NIODeadline?

    init(readHeader: TimeAmount, idle: TimeAmount) {
        self.readHeader = readHeader
        self.idle = idle
    }

    /// Body bytes arrived: the body's deadline moves on.
    func bodyArrived() { since = .now() }

    /// Starts a wait. The timer is lazy, as one per request would cost a scheduled task and a
    /// cancellation each: an armed timer that fires before the current deadline re-arms for it,
    /// so only a deadline earlier than the armed one (an idle connection's next request head)
    /// reschedules.
    func wait(_ kind: Wait, _ context: ChannelHandlerContext) {
        waiting = kind
        since = .now()
        let due = since + limit(kind)
        if let armed, armed <= due { return }
        timer?.cancel()
        schedule(at: due, context)
    }

    /// Ends the current wait; an armed timer finds nothing due and lapses.
    func cancel() { waiting = .none }

    func stop() {
        timer?.cancel()
        timer = nil
        armed = nil
        waiting = .none
    }

    private func limit(_ kind: Wait) -> TimeAmount { kind == .head ? readHeader : idle }

    private func schedule(at deadline: NIODeadline, _ context: ChannelHandlerContext) {
        armed = deadline
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            timer = nil
            armed = nil
            guard waiting != .none else { return }
            let due = since + limit(waiting)
            // Not due yet: the wait began after the timer was armed, or a body is still arriving.
            if due > .now() { return schedule(at: due, context) }
            waiting = .none
            context.close(promise: nil)
        }
    }
}
