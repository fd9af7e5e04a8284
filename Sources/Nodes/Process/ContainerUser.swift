import Foundation

/// The user a container runs as: the image's `USER` (a name or uid, with an optional group),
/// looked up in the image's own /etc/passwd and /etc/group first, then the host's, as runc
/// reads them from the container's root.
enum ContainerUser {
    struct Unknown: Error, CustomStringConvertible {
        let user: String
        var description: String { "unable to find user \(user): no matching entries in passwd file" }
    }

    static func resolve(_ spec: String, rootfs: String?) throws -> (uid: UInt32, gid: UInt32)? {
        guard !spec.isEmpty else { return nil }
        let parts = spec.split(separator: ":", maxSplits: 1).map(String.init)
        let passwd = entries("etc/passwd", rootfs)
        var uid: UInt32, gid: UInt32
        if let n = UInt32(parts[0]) {
            uid = n
            gid = passwd.first { $0.count > 3 && $0[2] == parts[0] }.flatMap { UInt32($0[3]) } ?? n
        } else if let e = passwd.first(where: { $0.first == parts[0] && $0.count > 3 }), let u = UInt32(e[2]), let g = UInt32(e[3]) {
            (uid, gid) = (u, g)
        } else {
            throw Unknown(user: parts[0])
        }
        if parts.count > 1 {
            if let g = UInt32(parts[1]) { gid = g } else if let e = entries("etc/group", rootfs).first(where: { $0.first == parts[1] && $0.count > 2 }),
                let g = UInt32(e[2]) { gid = g } else { throw Unknown(user: spec) }
        }
        return (uid, gid)
    }

    /// The colon-separated lines of a passwd-style file, the image's before the host's.
    static func entries(_ file: String, _ rootfs: String?) -> [[String]] {
        [rootfs.map { $0 + "/" + file }, "/" + file].compactMap { $0 }.flatMap { path in
            ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map { $0.split(separator: ":", omittingEmptySubsequences: false).map(String.init) }
        }
    }
}
