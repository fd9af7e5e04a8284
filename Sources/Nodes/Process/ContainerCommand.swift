import CContainerShim
import Foundation
import Synchronization

/// Where `kubectl exec` runs a command: beside a running container's process, as runc's exec
/// joins a container (its namespaces, root, working directory, user and environment).
public struct ExecTarget: Sendable {
    /// The container's process (PID 1 of its PID namespace when `namespaces`).
    let pid: pid_t
    /// The container has its own namespaces to enter (root on Linux); else it is a plain
    /// process on this machine, and the command runs as the kubelet's user beside it.
    let namespaces: Bool
}

/// A command running in a container for exec: its stdin (or the terminal), stdout and stderr
/// as descriptors the caller reads and writes, its exit status when it ends.
final class ContainerCommand: Sendable {
    /// Where the command's output is read: one terminal, or separate pipes.
    let stdout: FileHandle?
    let stderr: FileHandle?
    /// Where its input is written (the terminal's master when it has one).
    let stdin: FileHandle?
    let tty: Bool
    private let process: Process
    private let exit = CommandExit()

    enum StartError: Error { case failed(String) }

    /// Starts `argv` in `target`; `stdin`, `stdout`, `stderr` say which streams the client
    /// attached (unattached ones are /dev/null), `tty` gives it a terminal for all three, of
    /// `size` when the client has said it.
    init(_ argv: [String], in target: ExecTarget, stdin wantsStdin: Bool, stdout wantsStdout: Bool, stderr wantsStderr: Bool, tty: Bool,
         size: TerminalSize? = nil) throws {
        let process = Process()
        let environment = Self.environment(of: target.pid)
        var args: [String] = []
        var sessionMade = false
        if target.namespaces {
            args = ["/usr/bin/nsenter", "--target", String(target.pid), "--mount", "--uts", "--ipc", "--net", "--pid", "--root", "--wd"]
            if let ids = Self.ids(of: target.pid) { args += ["--setgid", String(ids.gid), "--setuid", String(ids.uid)] }
            args += ["--"]
            // A terminal's session must be made inside the container's PID namespace, or a
            // shell's job control finds its process group unknown there: with the container's
            // own setsid where its root has one.
            if tty && FileManager.default.isExecutableFile(atPath: "/proc/\(target.pid)/root/usr/bin/setsid") {
                args += ["/usr/bin/setsid", "-w", "-c"]
                sessionMade = true
            }
            args += argv
        } else {
            args = ["/usr/bin/env", "--"] + argv
            if let cwd = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(target.pid)/cwd") {
                process.currentDirectoryURL = URL(fileURLWithPath: cwd)
            }
        }
        // A terminal becomes the command's controlling terminal in a session of its own, as a
        // runtime's exec with a TTY does (`setsid -w` waits and passes the exit status on).
        if tty && !sessionMade { args = ["/usr/bin/setsid", "-w", "-c"] + args }
        process.executableURL = URL(fileURLWithPath: args[0])
        process.arguments = Array(args.dropFirst())
        process.environment = environment
        var childEnds: [FileHandle] = []
        if tty {
            var master: Int32 = -1, slave: Int32 = -1
            guard kp_open_pty(&master, &slave) == 0 else { throw StartError.failed("open terminal: \(String(cString: strerror(errno)))") }
            if let size, size.width > 0, size.height > 0 {
                _ = kp_set_winsize(master, UInt16(clamping: size.height), UInt16(clamping: size.width))
            }
            let m = FileHandle(fileDescriptor: master, closeOnDealloc: true), s = FileHandle(fileDescriptor: slave, closeOnDealloc: true)
            process.standardInput = s
            process.standardOutput = s
            process.standardError = s
            childEnds = [s]
            self.stdin = m
            self.stdout = m
            self.stderr = nil
        } else {
            let null = FileHandle.nullDevice
            var input: FileHandle?
            if wantsStdin {
                // A socket, not a pipe: writes after the command has gone fail with EPIPE
                // instead of raising SIGPIPE in the kubelet (`writeInput`).
                var fds: [Int32] = [-1, -1]
                guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
                    throw StartError.failed("socketpair: \(String(cString: strerror(errno)))")
                }
                let child = FileHandle(fileDescriptor: fds[1], closeOnDealloc: true)
                process.standardInput = child
                childEnds.append(child)
                input = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true)
            } else {
                process.standardInput = null
            }
            var out: FileHandle?, err: FileHandle?
            if wantsStdout {
                let p = Pipe()
                process.standardOutput = p
                out = p.fileHandleForReading
            } else {
                process.standardOutput = null
            }
            if wantsStderr {
                let p = Pipe()
                process.standardError = p
                err = p.fileHandleForReading
            } else {
                process.standardError = null
            }
            self.stdin = input
            self.stdout = out
            self.stderr = err
        }
        self.tty = tty
        self.process = process
        let exit = self.exit
        process.terminationHandler = { p in
            // A signal ends it as a shell reports it: 128 + the signal.
            exit.set(p.terminationReason == .uncaughtSignal ? 128 + p.terminationStatus : p.terminationStatus)
        }
        do {
            try process.run()
        } catch {
            throw StartError.failed("\(error)")
        }
        // The parent's copies of the child's ends: output ends (EIO on a terminal) and input
        // writes fail once the command's processes are gone.
        for h in childEnds { try? h.close() }
    }

    /// The exit status, once the command has ended.
    func wait() async -> Int32 { await exit.wait() }

    /// Writes to the command's input (blocking; call off the concurrency pool). False once the
    /// command no longer reads it.
    func writeInput(_ bytes: [UInt8]) -> Bool {
        guard let stdin else { return false }
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { buf in
                tty ? write(stdin.fileDescriptor, buf.baseAddress, buf.count) : send(stdin.fileDescriptor, buf.baseAddress, buf.count, Int32(MSG_NOSIGNAL))
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }

    /// The client's input ended: the command reads end-of-file (a terminal's input stays open,
    /// as it does for a runtime).
    func closeInput() {
        guard !tty, let stdin else { return }
        shutdown(stdin.fileDescriptor, Int32(SHUT_WR))
    }

    /// Copies one of the command's outputs to `write` until it ends. A thread blocks on the
    /// reads, and `write` waits for the socket to take each piece, so a slow client slows the
    /// command rather than filling memory.
    static func copyOutput(_ handle: FileHandle?, to write: @escaping @Sendable (ArraySlice<UInt8>) throws -> Void) async {
        guard let handle else { return }
        await Blocking.run {
            var buffer = [UInt8](repeating: 0, count: 32 * 1024)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return }
                do { try write(buffer[0..<n]) } catch { return }
            }
        }
    }

    /// Sets the terminal's size (a resize message).
    func resize(width: Int, height: Int) {
        guard tty, let stdin, width > 0, height > 0 else { return }
        _ = kp_set_winsize(stdin.fileDescriptor, UInt16(clamping: height), UInt16(clamping: width))
    }

    /// The client went away before the command ended: it is killed with what it started
    /// (nsenter's child in the container's PID namespace, setsid's child).
    func kill() {
        guard process.isRunning else { return }
        let pid = process.processIdentifier
        for child in Self.descendants(of: pid).reversed() { Foundation.kill(child, SIGKILL) }
        Foundation.kill(pid, SIGKILL)
    }

    private static func descendants(of pid: pid_t) -> [pid_t] {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8) else { return [] }
        let children = text.split(separator: " ").compactMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        return children.flatMap { [$0] + descendants(of: $0) }
    }

    /// The container process's environment, as runc's exec starts from the container's.
    static func environment(of pid: pid_t) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return [:] }
        var env: [String: String] = [:]
        for entry in data.split(separator: 0) {
            let text = String(decoding: entry, as: UTF8.self)
            guard let eq = text.firstIndex(of: "=") else { continue }
            env[String(text[..<eq])] = String(text[text.index(after: eq)...])
        }
        return env
    }

    /// The container process's user and group (`Uid:` and `Gid:` of its status, real ids).
    static func ids(of pid: pid_t) -> (uid: UInt32, gid: UInt32)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        func first(_ key: String) -> UInt32? {
            text.split(separator: "\n").first { $0.hasPrefix(key) }.flatMap { line in
                line.dropFirst(key.count).split(whereSeparator: { $0 == "\t" || $0 == " " }).first.flatMap { UInt32($0) }
            }
        }
        guard let uid = first("Uid:"), let gid = first("Gid:") else { return nil }
        return (uid, gid)
    }
}

/// A command's exit status, and who waits for it.
private final class CommandExit: Sendable {
    private let state = Mutex<(status: Int32?, waiters: [CheckedContinuation<Int32, Never>])>((nil, []))

    func set(_ status: Int32) {
        let waiters = state.withLock { e -> [CheckedContinuation<Int32, Never>] in
            e.status = status
            defer { e.waiters = [] }
            return e.waiters
        }
        for w in waiters { w.resume(returning: status) }
    }

    func wait() async -> Int32 {
        await withCheckedContinuation { (c: CheckedContinuation<Int32, Never>) in
            let status = state.withLock { e -> Int32? in
                if e.status == nil { e.waiters.append(c) }
                return e.status
            }
            if let status { c.resume(returning: status) }
        }
    }
}
