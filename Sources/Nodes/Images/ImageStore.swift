import Foundation

/// The node-local image store under `<data-dir>/images`, content-addressed:
/// `sha256/<hex>/rootfs` holds an image's files and `sha256/<hex>/image.json` its config;
/// `refs/<reference>` names the digest a tag points to. Every change is a rename, so a build
/// in one process and a kubelet resolving in another never see half an image.
public final class ImageStore: Sendable {
    public let root: String

    /// root = `<data-dir>/images`.
    public init(root: String) throws {
        self.root = root
        for dir in ["sha256", "refs", "tmp"] {
            try FileManager.default.createDirectory(atPath: root + "/" + dir, withIntermediateDirectories: true)
        }
    }

    /// An image in the store, or a public one the host stands in for.
    public func resolve(_ image: String) throws(ImagePullError) -> ContainerImage {
        let ref = try ImageReference.parse(image)
        if let hex = lookup(ref), let stored = load(hex) {
            return ContainerImage(reference: ref.normalized, imageID: "\(ref.repository)@sha256:\(hex)",
                                  rootfs: rootfs(hex), config: stored.config, paths: stored.paths)
        }
        if let host = HostImages.image(for: ref, store: self) { return host }
        let n = ref.normalized
        // containerd's answer for a tag its registry does not have, as the kubelet's event quotes it.
        throw .notFound("rpc error: code = NotFound desc = failed to pull and unpack image \"\(n)\": failed to resolve reference \"\(n)\": \(n): not found")
    }

    /// One tag in the store.
    public struct Entry: Sendable {
        public let reference: ImageReference
        /// 64 hex digits.
        public let digest: String
        public let created: Date
        public let size: Int
        public let config: ImageConfig
        public let paths: [String]
        public let rootfs: String
    }

    /// Every tag, sorted by reference.
    public func list() -> [Entry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root + "/refs")) ?? []
        return names.compactMap { name -> Entry? in
            guard let text = name.removingPercentEncoding, let ref = try? ImageReference.parse(text),
                  let hex = readRef(name), let record = load(hex) else { return nil }
            return Entry(reference: ref, digest: hex, created: record.created, size: record.size,
                         config: record.config, paths: record.paths, rootfs: rootfs(hex))
        }.sorted { $0.reference.normalized < $1.reference.normalized }
    }

    /// The stored image a reference names (a tag, `name@sha256:...`, or a digest prefix of at
    /// least 12 hex digits as `docker images` shows it), or nil.
    public func entry(_ image: String) -> Entry? {
        let all = list()
        let bare = image.hasPrefix("sha256:") ? String(image.dropFirst(7)) : image
        if bare.count >= 12, bare.allSatisfy(\.isLowercaseHex) {
            let matches = Set(all.filter { $0.digest.hasPrefix(bare) }.map(\.digest))
            if matches.count == 1 { return all.first { $0.digest.hasPrefix(bare) } }
        }
        guard let ref = try? ImageReference.parse(image) else { return nil }
        return all.first { $0.reference == ref } ?? ref.digest.flatMap { d in all.first { "sha256:" + $0.digest == d } }
    }

    /// Removes a tag; the image's files go with its last tag. Returns the untagged reference and,
    /// when the files went, their digest.
    public func remove(_ image: String) throws -> (untagged: String, deleted: String?) {
        guard let e = entry(image) else { throw ImageBuildError("No such image: \(image)") }
        try FileManager.default.removeItem(atPath: refPath(e.reference))
        let stillTagged = list().contains { $0.digest == e.digest }
        if stillTagged { return (e.reference.normalized, nil) }
        // Rename first so a resolve in another process never sees half-deleted files.
        let doomed = root + "/tmp/rm-" + UUID().uuidString
        try FileManager.default.moveItem(atPath: root + "/sha256/" + e.digest, toPath: doomed)
        try FileManager.default.removeItem(atPath: doomed)
        return (e.reference.normalized, e.digest)
    }

    /// Moves a finished build's directory (holding `rootfs/`) into the store under its digest and
    /// returns the digest; an image with the same content is kept as it is.
    func commit(buildDir: String, record: ImageRecord) throws -> String {
        var record = record
        record.size = ContentDigest.size(of: buildDir + "/rootfs")
        let hex = try ContentDigest.of(rootfs: buildDir + "/rootfs", record: record)
        let dest = root + "/sha256/" + hex
        let fm = FileManager.default
        if fm.fileExists(atPath: dest + "/image.json") {
            try fm.removeItem(atPath: buildDir)
            return hex
        }
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .prettyPrinted]
        enc.dateEncodingStrategy = .iso8601
        try enc.encode(record).write(to: URL(fileURLWithPath: buildDir + "/image.json"))
        do {
            try fm.moveItem(atPath: buildDir, toPath: dest)
        } catch where fm.fileExists(atPath: dest + "/image.json") {
            try? fm.removeItem(atPath: buildDir)  // another build of the same content got there first
        }
        return hex
    }

    /// Points a tag at a stored digest (atomically: write aside, then rename).
    func tag(_ ref: ImageReference, digest hex: String) throws {
        let tmp = root + "/tmp/ref-" + UUID().uuidString
        try Data(("sha256:" + hex).utf8).write(to: URL(fileURLWithPath: tmp))
        guard rename(tmp, refPath(ref)) == 0 else { throw ImageBuildError("cannot tag \(ref.normalized): \(String(cString: strerror(errno)))") }
    }

    /// A fresh directory for a build under the store's own tmp, on the same filesystem as the
    /// images so that committing it is a rename.
    func makeBuildDir() throws -> String {
        let dir = root + "/tmp/build-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir + "/rootfs", withIntermediateDirectories: true)
        return dir
    }

    func rootfs(_ hex: String) -> String { root + "/sha256/" + hex + "/rootfs" }

    func load(_ hex: String) -> ImageRecord? {
        guard let data = FileManager.default.contents(atPath: root + "/sha256/" + hex + "/image.json") else { return nil }
        let dec = JSONDecoder()
        dec.dateDecodingStrategy = .iso8601
        return try? dec.decode(ImageRecord.self, from: data)
    }

    private func lookup(_ ref: ImageReference) -> String? {
        if let hex = readRef(Self.fileName(ref)) { return hex }
        guard let d = ref.digest, d.hasPrefix("sha256:") else { return nil }
        let hex = String(d.dropFirst(7))
        return load(hex) == nil ? nil : hex
    }

    private func readRef(_ fileName: String) -> String? {
        guard let data = FileManager.default.contents(atPath: root + "/refs/" + fileName),
              let text = String(data: data, encoding: .utf8), text.hasPrefix("sha256:") else { return nil }
        return String(text.dropFirst(7)).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func refPath(_ ref: ImageReference) -> String { root + "/refs/" + Self.fileName(ref) }

    /// The normalized reference with everything but `[a-z0-9._-]` percent-encoded.
    static func fileName(_ ref: ImageReference) -> String {
        ref.normalized.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789._-")) ?? ref.normalized
    }
}
