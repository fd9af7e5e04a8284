import CContainerShim
import Foundation
import Synchronization

/// How a process ended: its exit code, or the signal that killed it.
public struct ExitStatus: Sendable, Equatable {
    public let code: Int32?
    public let signal: Int32?

    init(waitStatus s: Int32) {
        if s & 0x7f == 0 {
            code = (s >> 8) & 0xff
            signal = nil
        } else {
            code = nil
            signal = s & 0x7f
        }
    }

    init(code: Int32) {
        self.code = code
        signal = nil
    }

    /// The exit code a container runtime reports: the code, or 128 + the signal.
    public var exitCode: Int32 { code ?? 128 + (signal ?? 0) }
}

/// Waits for container processes to exit, all on one thread: each pid has a pidfd in one epoll
/// set, and a readable pidfd means its process has exited and can be reaped without blocking.
/// Waiting per process on a thread each would cost a thread per container.
final class ProcessReaper: Sendable {
    static let shared = ProcessReaper()

    private let epoll: Int32
    /// pidfd → the pid and who waits for it.
    private let waiting = Mutex<[Int32: (pid: pid_t, done: @Sendable (ExitStatus) -> Void)]>([:])

    private init() {
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        let thread = Thread { [self] in loop() }
        thread.name = "kplane-reaper"
        thread.start()
    }

    /// Returns when `pid` (a child of this process) has exited, and reaps it.
    func wait(for pid: pid_t) async -> ExitStatus {
        await withCheckedContinuation { (c: CheckedContinuation<ExitStatus, Never>) in
            let fd = kp_pidfd_open(pid)
            guard fd >= 0, epoll >= 0 else {
                // No pidfd (an old kernel, or the pid is gone): block a thread of its own.
                Thread.detachNewThread { c.resume(returning: Self.blockingWait(pid)) }
                return
            }
            waiting.withLock { $0[fd] = (pid, { c.resume(returning: $0) }) }
            var event = epoll_event()
            event.events = EPOLLIN.rawValue
            event.data.fd = fd
            if epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event) != 0 {
                let entry = waiting.withLock { $0.removeValue(forKey: fd) }
                close(fd)
                Thread.detachNewThread { entry?.done(Self.blockingWait(pid)) }
            }
        }
    }

    private static func blockingWait(_ pid: pid_t) -> ExitStatus {
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, 0)
            if r == pid { return ExitStatus(waitStatus: status) }
            if r < 0 && errno != EINTR { return ExitStatus(code: 255) }  // reaped elsewhere: unknown
        }
    }

    private func loop() {
        var events = [epoll_event](repeating: epoll_event(), count: 64)
        while true {
            let n = epoll_wait(epoll, &events, Int32(events.count), -1)
            if n < 0 { continue }
            for i in 0..<Int(n) {
                let fd = events[i].data.fd
                guard let entry = waiting.withLock({ $0.removeValue(forKey: fd) }) else { continue }
                epoll_ctl(epoll, EPOLL_CTL_DEL, fd, nil)
                close(fd)
                // Called outside the lock: it resumes a continuation.
                entry.done(Self.blockingWait(entry.pid))
            }
        }
    }
}
