import Foundation
import KubeModel

/// An image reference parsed and normalized as containerd and the kubelet do it (the grammar of
/// distribution/reference): `myapp:1.0.0` is `docker.io/library/myapp:1.0.0`, a name without a
/// tag or digest gets `latest`, and an invalid one fails with the kubelet's message.
public struct ImageReference: Sendable, Hashable {
    /// "docker.io", "registry.example.com:5000", "localhost:5000".
    public let domain: String
    /// "library/myapp".
    public let path: String
    public let tag: String?
    /// "sha256:<hex>".
    public let digest: String?

    /// "docker.io/library/myapp".
    public var repository: String { domain + "/" + path }
    /// The last path component: "myapp".
    public var shortName: String { String(path.split(separator: "/").last ?? Substring(path)) }
    /// As containerd reports it: "docker.io/library/myapp:1.0.0" (and "@sha256:..." when pinned).
    public var normalized: String { repository + (tag.map { ":" + $0 } ?? "") + (digest.map { "@" + $0 } ?? "") }

    /// Parses `image` as the kubelet's image manager does before it pulls (`applyDefaultImageTag`).
    public static func parse(_ image: String) throws(ImagePullError) -> ImageReference {
        do {
            return try normalize(image)
        } catch {
            // kubelet: pkg/util/parsers.ParseImageName wrapped by image_manager.go's EnsureImageExists.
            let inner = "couldn't parse image name \(goQuote(image)): \(error.message)"
            throw .invalidReference("Failed to apply default image tag \(goQuote(image)): \(inner)")
        }
    }

    struct ParseError: Error { let message: String }

    /// distribution/reference's ParseNormalizedNamed, then the default tag.
    static func normalize(_ s: String) throws(ParseError) -> ImageReference {
        if s.count == 64, s.allSatisfy(\.isLowercaseHex) {
            throw ParseError(message: "invalid repository name (\(s)), cannot specify 64-byte hexadecimal strings")
        }
        let (domain, remainder) = splitDockerDomain(s)
        let remoteName = remainder.firstIndex(of: ":").map { String(remainder[..<$0]) } ?? remainder
        if remoteName.lowercased() != remoteName {
            throw ParseError(message: "invalid reference format: repository name (\(remoteName)) must be lowercase")
        }
        let parsed = try parseReference(domain + "/" + remainder)
        let tag = parsed.tag ?? (parsed.digest == nil ? "latest" : nil)
        return ImageReference(domain: domain, path: String(parsed.name.dropFirst(domain.count + 1)), tag: tag, digest: parsed.digest)
    }

    /// Docker Hub names get "docker.io" and official ones "library/"; a first component with a
    /// dot, a colon, uppercase letters or "localhost" is a registry.
    static func splitDockerDomain(_ name: String) -> (String, String) {
        guard let slash = name.firstIndex(of: "/") else { return ("docker.io", "library/" + name) }
        let first = String(name[..<slash]), rest = String(name[name.index(after: slash)...])
        var (domain, remote) = ("docker.io", name)
        if first == "localhost" || first.contains(".") || first.contains(":") || first.lowercased() != first {
            (domain, remote) = (first, rest)
        }
        if first == "index.docker.io" { (domain, remote) = ("docker.io", rest) }
        if domain == "docker.io" && !remote.contains("/") { remote = "library/" + remote }
        return (domain, remote)
    }

    /// distribution/reference's Parse: the whole grammar at once, then its specific errors.
    static func parseReference(_ s: String) throws(ParseError) -> (name: String, tag: String?, digest: String?) {
        guard let m = match(s) else {
            if s.isEmpty { throw ParseError(message: "repository name must have at least one component") }
            if match(s.lowercased()) != nil { throw ParseError(message: "repository name must be lowercase") }
            throw ParseError(message: "invalid reference format")
        }
        if m.name.count > 255 { throw ParseError(message: "repository name must not be more than 255 characters") }
        if let digest = m.digest { try validateDigest(digest) }
        return m
    }

    /// go-digest's Validate for the algorithms containerd links (sha256, sha384, sha512).
    static func validateDigest(_ d: String) throws(ParseError) {
        let parts = d.split(separator: ":", maxSplits: 1)
        let sizes = ["sha256": 64, "sha384": 96, "sha512": 128]
        guard parts.count == 2, let size = sizes[String(parts[0])] else { throw ParseError(message: "unsupported digest algorithm") }
        if parts[1].count != size { throw ParseError(message: "invalid checksum digest length") }
        if !parts[1].allSatisfy(\.isLowercaseHex) { throw ParseError(message: "invalid checksum digest format") }
    }

    /// `name[:tag][@digest]` against distribution/reference's ReferenceRegexp, or nil.
    static func match(_ s: String) -> (name: String, tag: String?, digest: String?)? {
        var rest = Substring(s)
        var digest: String?
        if let at = rest.firstIndex(of: "@") {
            let d = rest[rest.index(after: at)...]
            guard isDigest(d) else { return nil }
            digest = String(d)
            rest = rest[..<at]
        }
        var tag: String?
        if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("/") {
            let t = rest[rest.index(after: colon)...]
            guard isTag(t) else { return nil }
            tag = String(t)
            rest = rest[..<colon]
        }
        let components = rest.split(separator: "/", omittingEmptySubsequences: false)
        guard let first = components.first else { return nil }
        let firstOK = isPathComponent(first) || (components.count > 1 && isDomain(first))
        guard firstOK, components.dropFirst().allSatisfy(isPathComponent) else { return nil }
        return (String(rest), tag, digest)
    }

    /// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`
    static func isPathComponent(_ s: Substring) -> Bool {
        var i = s.startIndex
        var runs = 0
        while i < s.endIndex {
            let start = i
            while i < s.endIndex, s[i].isLowerAlnum { i = s.index(after: i) }
            guard i > start else { return false }
            runs += 1
            guard i < s.endIndex else { break }
            let sepStart = i
            while i < s.endIndex, !s[i].isLowerAlnum { i = s.index(after: i) }
            let sep = s[sepStart..<i]
            guard sep == "." || sep == "_" || sep == "__" || sep.allSatisfy({ $0 == "-" }) else { return false }
            guard i < s.endIndex else { return false }
        }
        return runs > 0
    }

    /// A host (`domain-component(.domain-component)*` or `[IPv6]`) with an optional `:port`.
    static func isDomain(_ s: Substring) -> Bool {
        var host = s
        if s.hasPrefix("["), let close = s.firstIndex(of: "]") {
            let inner = s[s.index(after: s.startIndex)..<close]
            guard !inner.isEmpty, inner.allSatisfy({ $0.isHexDigit || $0 == ":" }) else { return false }
            let after = s[s.index(after: close)...]
            if after.isEmpty { return true }
            guard after.first == ":" else { return false }
            return isPort(after.dropFirst())
        }
        if let colon = s.firstIndex(of: ":") {
            guard isPort(s[s.index(after: colon)...]) else { return false }
            host = s[..<colon]
        }
        return host.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { c in
            guard let f = c.first, let l = c.last else { return false }
            return f.isASCIIAlnum && l.isASCIIAlnum && c.allSatisfy { $0.isASCIIAlnum || $0 == "-" }
        }
    }

    static func isPort(_ s: Substring) -> Bool { !s.isEmpty && s.allSatisfy { $0.isASCII && $0.isNumber } }

    /// `[\w][\w.-]{0,127}`
    static func isTag(_ s: Substring) -> Bool {
        guard let f = s.first, f.isWord, s.count <= 128 else { return false }
        return s.allSatisfy { $0.isWord || $0 == "." || $0 == "-" }
    }

    /// `[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}`
    static func isDigest(_ s: Substring) -> Bool {
        guard let colon = s.firstIndex(of: ":") else { return false }
        let algorithm = s[..<colon], hex = s[s.index(after: colon)...]
        guard hex.count >= 32, hex.allSatisfy(\.isHexDigit) else { return false }
        return algorithm.split(separator: /[-_+.]/, omittingEmptySubsequences: false).allSatisfy { c in
            guard let f = c.first, f.isASCII, f.isLetter else { return false }
            return c.allSatisfy(\.isASCIIAlnum)
        }
    }

    /// Go's %q for the strings a reference can hold.
    static func goQuote(_ s: String) -> String { KubeModel.goQuote(s) }
}

extension Character {
    var isLowercaseHex: Bool { ("0"..."9").contains(self) || ("a"..."f").contains(self) }
    var isLowerAlnum: Bool { ("a"..."z").contains(self) || ("0"..."9").contains(self) }
    var isASCIIAlnum: Bool { isASCII && (isLetter || isNumber) }
    var isWord: Bool { isASCIIAlnum || self == "_" }
}
