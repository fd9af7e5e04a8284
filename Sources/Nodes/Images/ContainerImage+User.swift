import Foundation

extension ContainerImage {
    /// The uid and gid a container runs as: `user` (default: the image's `USER`) as `name`,
    /// `uid`, `name:group` or `uid:gid`, names looked up in the image's own `etc/passwd` and
    /// `etc/group` (the host's for an image that is the host), as runc does. "" is root.
    public func resolveUser(_ user: String? = nil) throws -> (uid: UInt32, gid: UInt32) {
        try Self.resolveUser(user ?? config.user, rootfs: rootfs)
    }

    /// `spec` resolved against the `etc/passwd` and `etc/group` under `rootfs` (the host's
    /// when it has none).
    static func resolveUser(_ spec: String, rootfs: String?) throws -> (uid: UInt32, gid: UInt32) {
        guard !spec.isEmpty else { return (0, 0) }
        let parts = spec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let etc = (rootfs.map { FileManager.default.fileExists(atPath: $0 + "/etc/passwd") ? $0 : "" } ?? "") + "/etc/"
        let passwd = Self.table(etc + "passwd"), group = Self.table(etc + "group")
        var uid: UInt32, gid: UInt32 = 0
        if let n = UInt32(parts[0]) {
            uid = n
            if let entry = passwd.first(where: { $0.count > 3 && $0[2] == parts[0] }), let g = UInt32(entry[3]) { gid = g }
        } else {
            guard let entry = passwd.first(where: { $0.first == parts[0] && $0.count > 3 }), let u = UInt32(entry[2]), let g = UInt32(entry[3]) else {
                throw ImageBuildError("unable to find user \(parts[0]): no matching entries in passwd file")
            }
            (uid, gid) = (u, g)
        }
        if parts.count > 1 {
            if let n = UInt32(parts[1]) {
                gid = n
            } else {
                guard let entry = group.first(where: { $0.first == parts[1] && $0.count > 2 }), let g = UInt32(entry[2]) else {
                    throw ImageBuildError("unable to find group \(parts[1]): no matching entries in group file")
                }
                gid = g
            }
        }
        return (uid, gid)
    }

    private static func table(_ path: String) -> [[String]] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { $0.split(separator: ":", omittingEmptySubsequences: false).map(String.init) }
    }
}
