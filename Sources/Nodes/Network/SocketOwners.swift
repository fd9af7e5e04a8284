#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which processes hold which listening sockets, as `ss -p` finds them: a socket's inode in
/// /proc/net/tcp matched with the `socket:[inode]` links under `/proc/<pid>/fd`. Each read is
/// bounded, so a check costs the same whatever a container does.
enum SocketOwners {
    /// Descriptors looked at per process, and processes per container.
    static let descriptorLimit = 4096
    static let processLimit = 64

    /// The inodes of the sockets `pid` has open (empty when it is gone or not ours to read).
    static func socketInodes(of pid: pid_t) -> Set<UInt64> {
        let dir = "/proc/\(pid)/fd"
        var inodes: Set<UInt64> = []
        var buffer = [CChar](repeating: 0, count: 64)
        for fd in HostFiles.entries(of: dir).prefix(descriptorLimit) {
            let n = readlink("\(dir)/\(fd)", &buffer, buffer.count - 1)
            guard n > 8 else { continue }
            let link = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            // "socket:[12345]"
            if link.hasPrefix("socket:["), link.hasSuffix("]"), let inode = UInt64(link.dropFirst(8).dropLast()) { inodes.insert(inode) }
        }
        return inodes
    }

    /// The listeners among `listeners` (by inode) that any of `pids` holds.
    static func listeners(of pids: [pid_t], among listeners: [UInt64: TCPListener]) -> Set<TCPListener> {
        guard !listeners.isEmpty else { return [] }
        var held: Set<TCPListener> = []
        for pid in pids.prefix(processLimit) {
            for inode in socketInodes(of: pid) { if let l = listeners[inode] { held.insert(l) } }
        }
        return held
    }
}
