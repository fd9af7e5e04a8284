import Foundation
import KubeClient
import KubeModel

/// A volume could not be set up (`FailedMount`), with the kubelet's message.
struct VolumeSetUpError: Error {
    let message: String
}

/// A pod's volumes on the node, as the kubelet's volume plugins make them under
/// `<pod dir>/volumes/<name>`: ConfigMap, Secret and downward API files written atomically
/// (a `..data` link swapped to a new directory, so a reader never sees half an update; done
/// again on each sync, so changed objects reach running pods), `emptyDir` directories, and
/// `hostPath` as the host's own path after its type check.
struct PodVolumes {
    let client: APIClient
    let pod: JSONValue
    let podDir: String
    let env: ContainerEnvironment
    let now: Date

    /// Host paths by volume name.
    func setUp() async throws -> [String: String] {
        var out: [String: String] = [:]
        for v in Pod(pod).spec.volumes {
            let dir = "\(podDir)/volumes/\(v.name)"
            do {
                if let cm = v.configMap {
                    guard let object = try await env.fetch(.configMaps, cm.name) else {
                        if cm.optional { try project(dir, [:]); out[v.name] = dir; continue }
                        throw VolumeSetUpError(message: "configmap \"\(cm.name)\" not found")
                    }
                    try project(dir, try files(Self.payload(object), items: cm.items, defaultMode: cm.defaultMode, optional: cm.optional, kind: "configmap"))
                } else if let secret = v.secret {
                    guard let object = try await env.fetch(.secrets, secret.secretName) else {
                        if secret.optional { try project(dir, [:]); out[v.name] = dir; continue }
                        throw VolumeSetUpError(message: "secret \"\(secret.secretName)\" not found")
                    }
                    try project(dir, try files(Self.payload(object), items: secret.items, defaultMode: secret.defaultMode, optional: secret.optional, kind: "secret"))
                } else if let downward = v.downwardAPI {
                    var files: [String: (Data, Int64)] = [:]
                    let mode = downward.defaultMode ?? 0o644
                    for item in downward.items {
                        if let field = item.fieldRef {
                            files[item.path] = (Data(try env.fieldValue(field.fieldPath).utf8), item.mode ?? mode)
                        } else if let resource = item.resourceFieldRef {
                            let containers = Pod(pod).spec.containers
                            guard let c = containers.first(where: { $0.name == resource.containerName }) ?? containers.first else { continue }
                            files[item.path] = (Data(try env.resourceValue(resource, c).utf8), item.mode ?? mode)
                        }
                    }
                    try project(dir, files)
                } else if v.isEmptyDir {
                    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                    chmod(dir, 0o777)
                } else if let host = v.hostPath {
                    out[v.name] = try Self.hostPath(host.path, type: host.type)
                    continue
                } else {
                    // Sources that need a cloud or a cluster service (nfs, csi, ...): an empty directory.
                    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                }
            } catch let e as VolumeSetUpError {
                throw VolumeSetUpError(message: "MountVolume.SetUp failed for volume \"\(v.name)\" : \(e.message)")
            } catch let e as ContainerConfigError {
                throw VolumeSetUpError(message: "MountVolume.SetUp failed for volume \"\(v.name)\" : \(e.message)")
            }
            out[v.name] = dir
        }
        return out
    }

    /// A volume's bytes by key: a ConfigMap's `data` and `binaryData` (base64; the environment
    /// reads no `binaryData`), or a Secret's `data` (base64), kept as bytes so a binary key is
    /// written as it is.
    static func payload(_ object: JSONValue, binaryData: Bool = true) -> [String: Data] {
        var out: [String: Data] = [:]
        let isSecret = object["kind"] == "Secret"
        for (k, v) in object["data"]?.objectValue ?? [:] {
            guard let s = v.stringValue else { continue }
            out[k] = isSecret ? Data(base64Encoded: s) ?? Data() : Data(s.utf8)
        }
        if !isSecret && binaryData {
            for (k, v) in object["binaryData"]?.objectValue ?? [:] {
                guard let s = v.stringValue else { continue }
                out[k] = Data(base64Encoded: s) ?? Data()
            }
        }
        return out
    }

    /// The files of a ConfigMap or Secret volume: every key, or the `items` named.
    func files(_ data: [String: Data], items: [KeyToPath]?, defaultMode: Int64?, optional: Bool, kind: String) throws -> [String: (Data, Int64)] {
        let mode = defaultMode ?? 0o644
        guard let items else { return data.mapValues { ($0, mode) } }
        var out: [String: (Data, Int64)] = [:]
        for item in items {
            guard let value = data[item.key] else {
                if optional { continue }
                // pkg/volume/configmap and pkg/volume/secret word these differently.
                throw VolumeSetUpError(message: kind == "secret" ? "references non-existent secret key: \(item.key)"
                                                                 : "configmap references non-existent config key: \(item.key)")
            }
            out[item.path.isEmpty ? item.key : item.path] = (value, item.mode ?? mode)
        }
        return out
    }

    /// The kubelet's AtomicWriter: the files go into a fresh `..<time>` directory, `..data`
    /// is swapped to it in one rename, and each top-level name links through `..data`.
    func project(_ dir: String, _ files: [String: (Data, Int64)]) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let dataLink = dir + "/..data"
        // Unchanged content: nothing to do (the common case on every sync).
        if let current = try? fm.destinationOfSymbolicLink(atPath: dataLink), Self.matches(dir + "/" + current, files) { return }
        let stamp = "..\(Timestamp.format(now).replacingOccurrences(of: ":", with: "_"))_\(FastRandom.next() % 1_000_000)"
        let fresh = dir + "/" + stamp
        for (path, (content, mode)) in files {
            guard !path.hasPrefix(".."), !path.contains("/../"), !path.hasPrefix("/") else { continue }
            let file = fresh + "/" + path
            try fm.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try content.write(to: URL(fileURLWithPath: file))
            chmod(file, mode_t(clamping: mode) & 0o7777)
        }
        try fm.createDirectory(atPath: fresh, withIntermediateDirectories: true)
        let old = try? fm.destinationOfSymbolicLink(atPath: dataLink)
        let tmp = dir + "/..data_tmp"
        try? fm.removeItem(atPath: tmp)
        try fm.createSymbolicLink(atPath: tmp, withDestinationPath: stamp)
        guard rename(tmp, dataLink) == 0 else { throw VolumeSetUpError(message: "rename: \(String(cString: strerror(errno)))") }
        let tops = Set(files.keys.compactMap { $0.split(separator: "/").first.map(String.init) })
        for top in tops where (try? fm.destinationOfSymbolicLink(atPath: dir + "/" + top)) == nil {
            try fm.createSymbolicLink(atPath: dir + "/" + top, withDestinationPath: "..data/" + top)
        }
        for entry in (try? fm.contentsOfDirectory(atPath: dir)) ?? [] where !entry.hasPrefix("..") && !tops.contains(entry) {
            try? fm.removeItem(atPath: dir + "/" + entry)
        }
        if let old, old != stamp { try? fm.removeItem(atPath: dir + "/" + old) }
    }

    static func matches(_ dir: String, _ files: [String: (Data, Int64)]) -> Bool {
        var count = 0
        for (path, (content, _)) in files {
            guard let data = FileManager.default.contents(atPath: dir + "/" + path), data == content else { return false }
            count += 1
        }
        let existing = (FileManager.default.enumerator(atPath: dir)?.allObjects as? [String] ?? []).filter { p in
            var isDir: ObjCBool = false
            return FileManager.default.fileExists(atPath: dir + "/" + p, isDirectory: &isDir) && !isDir.boolValue
        }
        return existing.count == count
    }

    /// `hostPath` with its type check (`pkg/volume/hostpath`'s checkType): the path as it is,
    /// made when the type says `OrCreate`, else the kubelet's "hostPath type check failed".
    static func hostPath(_ path: String, type: String) throws -> String {
        let fm = FileManager.default
        var info = stat()
        let exists = stat(path, &info) == 0   // following links, as os.Stat
        let format = info.st_mode & S_IFMT
        func check(_ wanted: mode_t, _ what: String) throws {
            guard exists, format == wanted else { throw VolumeSetUpError(message: "hostPath type check failed: \(path) is not \(what)") }
        }
        switch type {
        case "DirectoryOrCreate":
            if !exists { try fm.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755]) }
            else { try check(S_IFDIR, "a directory") }
        case "Directory": try check(S_IFDIR, "a directory")
        case "FileOrCreate":
            if !exists { fm.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o644]) }
            else { try check(S_IFREG, "a file") }
        case "File": try check(S_IFREG, "a file")
        case "Socket": try check(S_IFSOCK, "a socket file")
        case "CharDevice": try check(S_IFCHR, "a character device")
        case "BlockDevice": try check(S_IFBLK, "a block device")
        case "": break   // unset: no check
        default: throw VolumeSetUpError(message: "\(type) is an invalid volume type")
        }
        return path
    }
}
