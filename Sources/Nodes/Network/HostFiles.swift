#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few reads and writes of /sys, /proc and /run the pod network needs, without Foundation.
enum HostFiles {
    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// The names in a directory, without `.` and `..`; empty when it cannot be read.
    static func entries(of directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }

    /// A whole file as text (files under /proc report no size, so it reads until the end).
    static func contents(of path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return readToEnd(fd)
    }

    /// Everything a descriptor gives until its end, as text.
    static func readToEnd(_ fd: Int32) -> String {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            data += buffer[0..<n]
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes a value to a file such as a sysctl under /proc/sys.
    static func writeFile(_ path: String, _ value: String) throws {
        let fd = open(path, O_WRONLY)
        guard fd >= 0 else { throw HostCommand.Failure(command: "open \(path)", status: -1, stderr: String(cString: strerror(errno))) }
        defer { close(fd) }
        guard write(fd, value, value.utf8.count) == value.utf8.count else {
            throw HostCommand.Failure(command: "write \(path)", status: -1, stderr: String(cString: strerror(errno)))
        }
    }
}
