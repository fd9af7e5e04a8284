import Foundation

/// What the store keeps beside an image's files (`<root>/sha256/<hex>/image.json`).
struct ImageRecord: Codable, Sendable, Equatable {
    var config: ImageConfig
    /// The absolute paths the image's files occupy, none inside another (see `ContainerImage.paths`).
    var paths: [String]
    var created: Date
    /// Bytes of the image's files.
    var size: Int
    /// What the files sit on: "host" (FROM node, python, busybox...) or "scratch".
    var base: String

    /// The paths with any path inside another left out, sorted.
    static func outermost(_ paths: some Sequence<String>) -> [String] {
        let sorted = Set(paths.map(normalizePath)).sorted()
        var out: [String] = []
        for p in sorted where !out.contains(where: { p == $0 || $0 == "/" || p.hasPrefix($0 + "/") }) { out.append(p) }
        return out
    }

    /// "/app/./x/../y/" is "/app/y".
    static func normalizePath(_ p: String) -> String {
        var parts: [Substring] = []
        for c in p.split(separator: "/") {
            if c == "." { continue }
            if c == ".." { _ = parts.popLast(); continue }
            parts.append(c)
        }
        return "/" + parts.joined(separator: "/")
    }
}

/// A content digest over an image's files and config: the same input gives the same digest,
/// any changed byte, mode, name or setting a new one.
enum ContentDigest {
    static func of(rootfs: String, record: ImageRecord) throws -> String {
        var d = SHA256()
        let fm = FileManager.default
        let entries = (fm.subpaths(atPath: rootfs) ?? []).sorted()
        for rel in entries {
            let full = rootfs + "/" + rel
            var st = stat()
            guard lstat(full, &st) == 0 else { throw ImageBuildError("cannot read \(full): \(String(cString: strerror(errno)))") }
            let mode = String(UInt32(st.st_mode) & 0o7777, radix: 8)
            switch UInt32(st.st_mode) & UInt32(S_IFMT) {
            case UInt32(S_IFDIR): d.update("d \(mode) \(rel)\n")
            case UInt32(S_IFLNK): d.update("l \(rel) -> \((try? fm.destinationOfSymbolicLink(atPath: full)) ?? "")\n")
            case UInt32(S_IFREG):
                var f = SHA256()
                guard let h = FileHandle(forReadingAtPath: full) else { throw ImageBuildError("cannot read \(full)") }
                defer { try? h.close() }
                while let chunk = try h.read(upToCount: 1 << 16), !chunk.isEmpty { f.update(chunk) }
                d.update("f \(mode) \(rel) \(f.finalize())\n")
            default: d.update("o \(rel)\n")
            }
        }
        var canonical = record
        canonical.created = Date(timeIntervalSince1970: 0)
        canonical.size = 0
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        d.update(try enc.encode(canonical))
        return d.finalize()
    }

    /// Bytes of the regular files under `root`.
    static func size(of root: String) -> Int {
        let fm = FileManager.default
        return (fm.subpaths(atPath: root) ?? []).reduce(0) { total, rel in
            var st = stat()
            guard lstat(root + "/" + rel, &st) == 0, UInt32(st.st_mode) & UInt32(S_IFMT) == UInt32(S_IFREG) else { return total }
            return total + Int(st.st_size)
        }
    }
}

/// A build that cannot go on, with the Dockerfile line where that applies.
public struct ImageBuildError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
