import Foundation
import KplaneTestSupport

/// Build contexts, free ports and plain HTTP for the image tests.
enum ImageTestSupport {
    /// A temporary build context holding `files` (paths relative to it).
    static func context(_ files: [String: String]) throws -> String {
        let dir = temporaryDirectory()
        for (path, text) in files {
            let full = dir + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
        return dir
    }

    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// Starts a process with `env` added to this one's environment, its output discarded.
    static func start(_ exe: String, _ args: [String], env: [String: String] = [:], cwd: String? = nil) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        p.environment = ProcessInfo.processInfo.environment.merging(env) { _, new in new }
        if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// GET http://127.0.0.1:port/path, retried until something listens or `within` seconds pass.
    static func get(port: Int, path: String, within seconds: Double) throws -> (status: Int, body: String) {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            if let conn = try? RawConnection(port: port), let r = conn.roundTrip("GET", path, timeout: 5) { return r }
            if Date() > deadline { throw TestFailure("nothing answered on port \(port) within \(seconds) s") }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    struct TestFailure: Error, CustomStringConvertible { let description: String; init(_ d: String) { description = d } }
}
