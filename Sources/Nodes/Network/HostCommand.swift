#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a host tool (`ip`) and waits for it: posix_spawn and waitpid, without Foundation's
/// `Process`, whose wait polls a run loop every 50 ms and would make a pod's set-up take tens of
/// milliseconds instead of a few.
struct HostCommand: Sendable {
    struct Failure: Error, CustomStringConvertible, Sendable {
        let command: String
        let status: Int32
        let stderr: String
        var description: String {
            let detail = stderr.trimmingTrailingNewlines
            return "\(command) exited with \(status)" + (detail.isEmpty ? "" : ": \(detail)")
        }
    }

    struct Output: Sendable {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    let path: String

    /// Finds `name` in the usual system directories and `PATH`; nil when it is not installed.
    static func find(_ name: String) -> HostCommand? {
        var dirs = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]
        if let path = getenv("PATH") { dirs += String(cString: path).split(separator: ":").map(String.init) }
        for dir in dirs where access("\(dir)/\(name)", X_OK) == 0 { return HostCommand(path: "\(dir)/\(name)") }
        return nil
    }

    /// Runs the tool with `arguments`, writing `input` to its stdin; throws unless it exits 0.
    @discardableResult
    func run(_ arguments: [String], input: String = "") throws -> String {
        let out = try output(arguments, input: input)
        guard out.status == 0 else {
            throw Failure(command: ([path] + arguments).joined(separator: " "), status: out.status, stderr: out.stderr)
        }
        return out.stdout
    }

    /// Runs the tool and returns its exit status and output, whatever the status.
    func output(_ arguments: [String], input: String = "") throws -> Output {
        // Close-on-exec channels, so a tool spawned by another thread at the same moment does not
        // inherit this one's ends and hold them open; dup2 clears the flag on the child's 0/1/2.
        let stdin = try Pipe(), stdout = try Pipe(), stderr = try Pipe()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin.readEnd, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout.writeEnd, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr.writeEnd, 2)
        let argv = ([path] + arguments).map { strdup($0) }
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, nil, argv + [nil], environ)
        stdin.closeRead(); stdout.closeWrite(); stderr.closeWrite()
        guard rc == 0 else {
            stdin.closeWrite(); stdout.closeRead(); stderr.closeRead()
            throw Failure(command: path, status: -1, stderr: String(cString: strerror(rc)))
        }
        // The batches are a few hundred bytes, well under a pipe's buffer, and the tools' error
        // output is a few lines, so writing all, then reading stdout, then stderr cannot deadlock.
        stdin.writeAll(input)
        stdin.closeWrite()
        let outText = stdout.readAll(), errText = stderr.readAll()
        stdout.closeRead(); stderr.closeRead()
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw Failure(command: path, status: -1, stderr: "waitpid: \(String(cString: strerror(errno)))") }
        }
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Output(status: exit, stdout: outText, stderr: errText)
    }
}

/// A one-way close-on-exec channel whose ends are closed once.
private final class Pipe {
    private(set) var readEnd: Int32
    private(set) var writeEnd: Int32

    init() throws {
        var fds: [Int32] = [-1, -1]
        #if os(Linux)
        // A socket pair made close-on-exec atomically (pipe2 is not visible to Swift's Glibc).
        let rc = socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds)
        if rc == 0 { shutdown(fds[0], Int32(SHUT_WR)); shutdown(fds[1], Int32(SHUT_RD)) }
        #else
        let rc = pipe(&fds)
        if rc == 0 { _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC); _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC) }
        #endif
        guard rc == 0 else {
            throw HostCommand.Failure(command: "pipe", status: -1, stderr: String(cString: strerror(errno)))
        }
        readEnd = fds[0]
        writeEnd = fds[1]
    }

    deinit { closeRead(); closeWrite() }

    func closeRead() { if readEnd >= 0 { close(readEnd); readEnd = -1 } }
    func closeWrite() { if writeEnd >= 0 { close(writeEnd); writeEnd = -1 } }

    func writeAll(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            #if os(Linux)
            // MSG_NOSIGNAL: a tool that exits before reading all must not raise SIGPIPE here.
            let n = bytes.withUnsafeBytes { send(writeEnd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            #else
            let n = bytes.withUnsafeBytes { write(writeEnd, $0.baseAddress, $0.count) }
            #endif
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }   // the tool exited early; its status says why
            bytes = bytes.dropFirst(n)
        }
    }

    func readAll() -> String { HostFiles.readToEnd(readEnd) }
}

extension String {
    var trimmingTrailingNewlines: String {
        var s = Substring(self)
        while s.last?.isNewline == true { s = s.dropLast() }
        return String(s)
    }
}
