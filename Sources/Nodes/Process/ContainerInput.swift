import CContainerShim
import Foundation
import Synchronization

/// What the runtime keeps of a container instance's input side, as containerd keeps a
/// container's stdin FIFO and console: the write end of its standard input when `stdin: true`
/// (else the process reads /dev/null), and the master of its terminal when `tty: true` (its
/// stdin, stdout and stderr). Attached clients write to it and resize it.
///
/// The descriptors close only when the last holder lets go (an attach session may outlive the
/// instance): a write after the instance has ended fails instead of reaching a reused
/// descriptor.
final class ContainerInput: Sendable {
    /// The container was created with a standard input to write to (`stdin: true`).
    let stdin: Bool
    /// Its input closes after the first attached client's input ends (`stdinOnce: true`).
    let stdinOnce: Bool
    let tty: Bool
    /// Where input is written: the socket's kubelet end, the terminal's master, or -1.
    private let fd: Int32
    /// The container's end of a standard-input socket, until the process has it.
    private let childEnd: Mutex<Int32>

    /// `terminal`: the master of the container's terminal, which this takes over (nil: none).
    init(stdin: Bool, stdinOnce: Bool, terminal: Int32?) throws {
        self.stdin = stdin
        self.stdinOnce = stdinOnce
        tty = terminal != nil
        if let terminal {
            fd = terminal
            childEnd = Mutex(-1)
        } else if stdin {
            // A socket rather than a pipe: a write after the container has gone fails with EPIPE
            // instead of raising SIGPIPE in the kubelet.
            var fds: [Int32] = [-1, -1]
            guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
                throw ContainerStartError(message: "create stdin: \(String(cString: strerror(errno)))")
            }
            fd = fds[0]
            childEnd = Mutex(fds[1])
        } else {
            fd = -1
            childEnd = Mutex(-1)
        }
    }

    deinit {
        closeChildEnd()
        if fd >= 0 { close(fd) }
    }

    /// The descriptor the container's process gets as its standard input when it has no
    /// terminal; -1: /dev/null.
    var processStdin: Int32 { childEnd.withLock { $0 } }

    /// Closes the kubelet's copy of the container's end (idempotent): once the process has
    /// it, or when it could not be started.
    func closeChildEnd() {
        let end = childEnd.withLock { fd -> Int32 in
            defer { fd = -1 }
            return fd
        }
        if end >= 0 { close(end) }
    }

    /// Writes a client's input (blocking: call it off the concurrency pool). False when the
    /// container takes no input or no longer reads it.
    func write(_ bytes: [UInt8]) -> Bool {
        guard stdin, fd >= 0 else { return false }
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { buf in
                tty ? Glibc.write(fd, buf.baseAddress, buf.count) : send(fd, buf.baseAddress, buf.count, Int32(MSG_NOSIGNAL))
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }

    /// The container's standard input ends: its process reads end-of-file. (A terminal stays
    /// open, as a console does under containerd.)
    func closeStdin() {
        guard !tty, fd >= 0 else { return }
        shutdown(fd, Int32(SHUT_WR))
    }

    /// The instance has ended: writes from clients still attached fail from now on.
    func instanceEnded() {
        closeChildEnd()
        guard !tty, fd >= 0 else { return }
        shutdown(fd, Int32(SHUT_RDWR))
    }

    /// Sets the terminal's size (a client's resize message).
    func resize(width: Int, height: Int) {
        guard tty, fd >= 0, width > 0, height > 0 else { return }
        _ = kp_set_winsize(fd, UInt16(clamping: height), UInt16(clamping: width))
    }
}
