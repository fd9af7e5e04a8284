import Foundation

/// Public images the host stands in for, so everyday commands work without a registry:
/// `busybox`/`alpine` (a shell and `sleep`), `node:*`, `python:*` are the host's own programs
/// (rootfs nil); `nginx` is a small server from the host's node over nginx's default page at
/// nginx's paths, laid out in the store once.
enum HostImages {
    static func image(for ref: ImageReference, store: ImageStore) -> ContainerImage? {
        if let config = config(for: ref) {
            return ContainerImage(reference: ref.normalized, imageID: "\(ref.repository)@sha256:\(digest(config))", rootfs: nil, config: config)
        }
        return isOfficial(ref, "nginx") ? nginx(ref, store: store) : nil
    }

    /// The config of a host program image (`FROM node:20-alpine`), or nil when `ref` is none.
    static func config(for ref: ImageReference) -> ImageConfig? {
        guard ref.domain == "docker.io", ref.path.split(separator: "/").count == 2, ref.path.hasPrefix("library/") else { return nil }
        switch ref.shortName {
        case "busybox": return ImageConfig(cmd: ["sh"], env: [ImageConfig.defaultPath])
        case "alpine": return ImageConfig(cmd: ["/bin/sh"], env: [ImageConfig.defaultPath])
        case "node": return ImageConfig(cmd: ["node"], env: [ImageConfig.defaultPath])
        case "python": return ImageConfig(cmd: ["python3"], env: [ImageConfig.defaultPath, "LANG=C.UTF-8"])
        default: return nil
        }
    }

    /// The accounts the official image has beyond the host's (`node` 1000:1000 in every
    /// node image), as user-management commands, so `USER node` and `COPY --chown=node` find them.
    static func accounts(for image: String) -> [[String]] {
        guard let ref = try? ImageReference.parse(image), ref.domain == "docker.io" else { return [] }
        switch ref.path {
        case "library/node": return [["groupadd", "-g", "1000", "node"], ["useradd", "-u", "1000", "-g", "node", "-d", "/home/node", "-s", "/bin/sh", "node"]]
        default: return []
        }
    }

    private static func isOfficial(_ ref: ImageReference, _ name: String) -> Bool {
        ref.domain == "docker.io" && ref.path == "library/" + name
    }

    private static func digest(_ config: ImageConfig) -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        return SHA256.hex("host\n" + (String(data: (try? enc.encode(config)) ?? Data(), encoding: .utf8) ?? ""))
    }

    static let nginxConfig = ImageConfig(
        cmd: ["node", "/usr/share/nginx/server.js"], env: [ImageConfig.defaultPath, "NGINX_VERSION=1.27.3"],
        exposedPorts: ["80/tcp"], labels: ["maintainer": "kplane (host stand-in for nginx)"])

    private static func nginx(_ ref: ImageReference, store: ImageStore) -> ContainerImage? {
        let marker = store.root + "/host-nginx"
        var hex = (try? String(contentsOfFile: marker, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        if hex.map({ store.load($0) == nil }) ?? true {
            hex = try? layOutNginx(store)
            if let hex { try? Data(hex.utf8).write(to: URL(fileURLWithPath: marker), options: .atomic) }
        }
        guard let hex, let record = store.load(hex) else { return nil }
        return ContainerImage(reference: ref.normalized, imageID: "\(ref.repository)@sha256:\(hex)",
                              rootfs: store.rootfs(hex), config: record.config, paths: record.paths)
    }

    private static func layOutNginx(_ store: ImageStore) throws -> String {
        let dir = try store.makeBuildDir()
        let share = dir + "/rootfs/usr/share/nginx"
        try FileManager.default.createDirectory(atPath: share + "/html", withIntermediateDirectories: true)
        try Data(NginxFiles.indexHTML.utf8).write(to: URL(fileURLWithPath: share + "/html/index.html"))
        try Data(NginxFiles.errorHTML.utf8).write(to: URL(fileURLWithPath: share + "/html/50x.html"))
        try Data(NginxFiles.serverJS.utf8).write(to: URL(fileURLWithPath: share + "/server.js"))
        let record = ImageRecord(config: nginxConfig, paths: ["/usr/share/nginx"], created: Date(timeIntervalSince1970: 0), size: 0, base: "host")
        return try store.commit(buildDir: dir, record: record)
    }
}
