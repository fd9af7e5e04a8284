import CContainerShim
import Foundation
import KubeClient
import Synchronization

/// A container's stdout and stderr, kept as the kubelet keeps them: two pipes whose write ends
/// the runtime gives the process (or, for a `tty: true` container, one terminal whose output is
/// its stdout, as containerd logs a console), read here as data arrives (a small thread per
/// stream) and written as CRI lines to
/// `<root>/<namespace>_<pod>_<uid>/<container>/<restartCount>.log`, rotated by size. What is
/// read also goes, as it is, to the clients attached to the container (`attach`).
///
/// Memory stays bounded whatever the process writes: a read takes at most 32 KiB, and the
/// start of a line that has not ended yet is kept only up to 16 KiB before it is written as a
/// partial (`P`) line, as containerd's CRI logger does.
public final class ContainerLog: Sendable {
    public let path: String
    /// The write ends, for the process's stdout and stderr. They are close-on-exec, so only the
    /// container's process (which gets them as fds 1 and 2) holds them; the runtime calls
    /// `closeWriteEnds()` once the process has started, so the log sees EOF when it exits.
    public let stdout: Int32
    public let stderr: Int32
    /// A `tty` container's terminal (a second descriptor of its master side), for the runtime
    /// to write the container's input to and to resize; the runtime owns and closes it.
    public let terminal: Int32?
    private let state: Mutex<State>
    private let attachers = ContainerOutputAttachers()

    private struct State {
        var file: RotatingLogFile
        /// The start of each stream's current line (index 0 stdout, 1 stderr), at most 16 KiB.
        var pending: [[UInt8]] = [[], []]
        var openStreams: Int
        var writeEndsOpen = true
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private static let streams = ["stdout", "stderr"]
    private static let readSize = 32 * 1024

    public init(root: String, namespace: String, pod: String, uid: String, container: String, restartCount: Int,
                maxSize: Int = 10 * 1024 * 1024, maxFiles: Int = 5, tty: Bool = false, clock: any WallClock) throws {
        let dir = Self.podDirectory(root: root, namespace: namespace, pod: pod, uid: uid) + "/" + container
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        path = "\(dir)/\(restartCount).log"
        let file = try RotatingLogFile(path: path, maxSize: maxSize, maxFiles: maxFiles, clock: clock)
        let readEnds: [Int32]
        if tty {
            var master: Int32 = -1, slave: Int32 = -1
            guard kp_open_pty(&master, &slave) == 0 else { throw ContainerLogError("open terminal: \(String(cString: strerror(errno)))") }
            let second = fcntl(master, F_DUPFD_CLOEXEC, 0)
            guard second >= 0 else {
                _ = close(master); _ = close(slave)
                throw ContainerLogError("dup: \(String(cString: strerror(errno)))")
            }
            stdout = slave
            stderr = slave
            terminal = second
            readEnds = [master]
        } else {
            var out: [Int32] = [0, 0], err: [Int32] = [0, 0]
            guard pipe(&out) == 0 else { throw ContainerLogError("pipe: \(String(cString: strerror(errno)))") }
            guard pipe(&err) == 0 else {
                _ = close(out[0]); _ = close(out[1])
                throw ContainerLogError("pipe: \(String(cString: strerror(errno)))")
            }
            // (pipe2 with O_CLOEXEC is not exported to Swift here.)
            for fd in out + err { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            stdout = out[1]
            stderr = err[1]
            terminal = nil
            readEnds = [out[0], err[0]]
        }
        state = Mutex(State(file: file, openStreams: readEnds.count))
        // A terminal has no stderr of its own.
        if tty { attachers.end(stream: 1) }
        for (index, fd) in readEnds.enumerated() {
            let thread = Thread { [self] in self.drain(fd, stream: index, clock: clock) }
            thread.name = "container-log"
            thread.stackSize = 256 * 1024
            thread.start()
        }
    }

    /// The directory of one pod's logs under `root`, as `/var/log/pods/<ns>_<pod>_<uid>`.
    public static func podDirectory(root: String, namespace: String, pod: String, uid: String) -> String {
        "\(root)/\(namespace)_\(pod)_\(uid)"
    }

    /// Removes the log of an instance that has ended, rotated files included.
    public static func remove(_ path: String) { RotatingLogFile.remove(path) }

    /// Attaches a client to the live output: `stdout` gets what the container writes on its
    /// stdout from now on, `stderr` what it writes on its stderr (nil: that stream is not
    /// wanted). The sinks are called from the threads that read the streams, one piece at a
    /// time per stream; one that throws is detached.
    public func attach(stdout: OutputAttachment.Sink?, stderr: OutputAttachment.Sink?) -> OutputAttachment {
        attachers.attach(stdout: stdout, stderr: stderr)
    }

    /// Reads one stream until EOF (the process and every child holding the pipe have exited).
    /// A blocking read on a thread of its own: dispatch read sources crashed libdispatch's
    /// Linux event loop when many pipes came and went.
    private func drain(_ fd: Int32, stream index: Int, clock: any WallClock) {
        var buffer = [UInt8](repeating: 0, count: Self.readSize)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                append(buffer[0..<n], stream: index, at: CRITimestamp(clock.now()))
                attachers.deliver(buffer[0..<n], stream: index)
            } else if n == 0 || errno != EINTR {
                // A terminal's master reads EIO once no process holds the terminal: its EOF.
                break
            }
        }
        _ = close(fd)
        end(stream: index, at: CRITimestamp(clock.now()))
    }

    /// Closes this process's copies of the write ends (idempotent): call it once the container's
    /// process has them, or when it could not be started.
    public func closeWriteEnds() {
        let close = state.withLock { s -> Bool in
            defer { s.writeEndsOpen = false }
            return s.writeEndsOpen
        }
        if close {
            _ = Glibc.close(stdout)
            if stderr != stdout { _ = Glibc.close(stderr) }
        }
    }

    /// Returns after both streams reached EOF and every line is in the file.
    public func finished() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let done = state.withLock { s -> Bool in
                if s.openStreams == 0 { return true }
                s.waiters.append(c)
                return false
            }
            if done { c.resume() }
        }
    }

    /// Splits what a read brought into CRI lines: one `F` line per newline, a `P` line for every
    /// 16 KiB of a line that has not ended.
    private func append(_ bytes: ArraySlice<UInt8>, stream index: Int, at time: CRITimestamp) {
        let stream = Self.streams[index]
        let max = CRILogLine.maxLineSize
        state.withLock { s in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 64)
            var pending = s.pending[index]
            var rest = bytes
            while let nl = rest.firstIndex(of: UInt8(ascii: "\n")) {
                pending.append(contentsOf: rest[rest.startIndex..<nl])
                rest = rest[(nl + 1)...]
                var start = 0
                while pending.count - start > max {
                    CRILogLine.encode(time: time, stream: stream, partial: true, content: pending[start..<(start + max)], into: &out)
                    start += max
                }
                CRILogLine.encode(time: time, stream: stream, partial: false, content: pending[start...], into: &out)
                pending.removeAll(keepingCapacity: pending.count <= max)
            }
            pending.append(contentsOf: rest)
            var start = 0
            while pending.count - start > max {
                CRILogLine.encode(time: time, stream: stream, partial: true, content: pending[start..<(start + max)], into: &out)
                start += max
            }
            if start > 0 { pending.removeFirst(start) }
            s.pending[index] = pending
            if !out.isEmpty { s.file.write(out) }
        }
    }

    /// A stream hit EOF: what is left of its last line is written as a partial line (it had no
    /// newline); when both have ended the file is closed and waiters resume.
    private func end(stream index: Int, at time: CRITimestamp) {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            if !s.pending[index].isEmpty {
                var out: [UInt8] = []
                CRILogLine.encode(time: time, stream: Self.streams[index], partial: true, content: s.pending[index][...], into: &out)
                s.pending[index] = []
                s.file.write(out)
            }
            s.openStreams -= 1
            guard s.openStreams == 0 else { return [] }
            s.file.close()
            defer { s.waiters = [] }
            return s.waiters
        }
        attachers.end(stream: index)
        for w in waiters { w.resume() }
    }
}
