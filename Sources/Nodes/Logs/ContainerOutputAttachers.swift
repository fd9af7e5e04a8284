import Foundation
import Synchronization

/// The clients attached to a container's live output (`kubectl attach`), as containerd's
/// ContainerIO keeps them beside the log: each piece the container writes after a client
/// attached goes to that client too (what came before is not replayed, as with containerd),
/// stdout to its stdout sink and stderr to its stderr sink. A piece is handed over from the
/// thread that read it and nothing is queued here: a slow client slows the container's output
/// as containerd's WriterGroup does, and memory stays bounded. A client whose write fails is
/// dropped; when a stream ends, its clients are told.
final class ContainerOutputAttachers: Sendable {
    /// Index 0: stdout, 1: stderr (as `ContainerLog` numbers its streams).
    private struct State {
        var attachments: [ObjectIdentifier: OutputAttachment] = [:]
        var ended = [false, false]
    }
    private let state = Mutex(State())

    /// Attaches sinks for the streams the client asked for; a stream that has already ended
    /// counts as ended for it at once.
    func attach(stdout: OutputAttachment.Sink?, stderr: OutputAttachment.Sink?) -> OutputAttachment {
        let attachment = OutputAttachment(sinks: [stdout, stderr], owner: self)
        let ended = state.withLock { s -> [Bool] in
            s.attachments[ObjectIdentifier(attachment)] = attachment
            return s.ended
        }
        for (stream, done) in ended.enumerated() where done { attachment.streamEnded(stream) }
        return attachment
    }

    /// Hands what the container wrote on `stream` to every client of that stream.
    func deliver(_ bytes: ArraySlice<UInt8>, stream: Int) {
        let clients = state.withLock { s in s.attachments.values.filter { $0.sinks[stream] != nil } }
        for client in clients { client.deliver(bytes, stream: stream) }
    }

    /// `stream` reached its end: its clients are done with it.
    func end(stream: Int) {
        let clients = state.withLock { s -> [OutputAttachment] in
            s.ended[stream] = true
            return Array(s.attachments.values)
        }
        for client in clients { client.streamEnded(stream) }
    }

    fileprivate func remove(_ attachment: OutputAttachment) {
        _ = state.withLock { $0.attachments.removeValue(forKey: ObjectIdentifier(attachment)) }
    }
}

/// One client's attachment to a container's output. It ends when every stream it attached to
/// has ended (the container's process and its children closed them; with none, when the
/// container's output has ended) or when it is detached;
/// `finished()` returns once no piece is being handed to it any more, so whatever the client is
/// sent next (the final Status) comes after the last piece of output.
public final class OutputAttachment: Sendable {
    public typealias Sink = @Sendable (ArraySlice<UInt8>) throws -> Void

    fileprivate let sinks: [Sink?]
    private let owner: ContainerOutputAttachers
    private let state: Mutex<State>

    private struct State {
        var open: Set<Int>
        var detached = false
        var inFlight = 0
        var waiters: [CheckedContinuation<Void, Never>] = []

        var isDone: Bool { (detached || open.isEmpty) && inFlight == 0 }
    }

    fileprivate init(sinks: [Sink?], owner: ContainerOutputAttachers) {
        self.sinks = sinks
        self.owner = owner
        // A client of no output stream (input only) lasts as long as the container's output.
        let attached = Set(sinks.indices.filter { sinks[$0] != nil })
        state = Mutex(State(open: attached.isEmpty ? Set(sinks.indices) : attached))
    }

    /// Stops handing output to this client (it went away, or its input ended).
    public func detach() {
        settle { $0.detached = true }
    }

    /// Returns once the attachment has ended and no output is on its way to the client.
    public func finished() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let done = state.withLock { s -> Bool in
                if s.isDone { return true }
                s.waiters.append(c)
                return false
            }
            if done { c.resume() }
        }
    }

    fileprivate func deliver(_ bytes: ArraySlice<UInt8>, stream: Int) {
        guard let sink = sinks[stream] else { return }
        let go = state.withLock { s -> Bool in
            guard !s.detached, s.open.contains(stream) else { return false }
            s.inFlight += 1
            return true
        }
        guard go else { return }
        var failed = false
        do { try sink(bytes) } catch { failed = true }
        settle { s in
            s.inFlight -= 1
            // The client is gone: containerd's WriterGroup drops a writer whose write fails.
            if failed { s.detached = true }
        }
    }

    fileprivate func streamEnded(_ stream: Int) {
        settle { _ = $0.open.remove(stream) }
    }

    /// Applies `change`; once the attachment is done, leaves the owner and wakes the waiters
    /// (outside the lock).
    private func settle(_ change: (inout State) -> Void) {
        let (waiters, done) = state.withLock { s -> ([CheckedContinuation<Void, Never>], Bool) in
            change(&s)
            guard s.isDone else { return ([], false) }
            defer { s.waiters = [] }
            return (s.waiters, true)
        }
        if done { owner.remove(self) }
        for w in waiters { w.resume() }
    }
}
