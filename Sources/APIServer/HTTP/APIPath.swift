import KubeModel

/// What a request path names, parsed as kube-apiserver's request info resolver does.
enum APIPath {
    case version, health(String), api, apis, openAPIV3Root, openAPIV3(String), openAPIV2, customResourceDefinitions
    case group(String)
    case groupVersion(group: String, version: String)
    case resource(ResourceRequest)
    case unknown

    struct ResourceRequest {
        let info: ResourceInfo
        let namespace: String?
        let name: String?
        let subresource: String?
    }

    /// Resolves resources in `catalog`, the kinds the server serves.
    static func parse(_ path: String, catalog: ResourceCatalog = .builtin) -> APIPath {
        let parts = segments(path)
        guard let first = parts.first else { return .unknown }
        switch first {
        case "version": return parts.count == 1 ? .version : .unknown
        case "healthz", "livez", "readyz": return .health(first)
        case "openapi":
            if parts.count == 2 && parts[1] == "v2" { return .openAPIV2 }
            if parts.count >= 2 && parts[1] == "v3" {
                return parts.count == 2 ? .openAPIV3Root : .openAPIV3(parts[2...].joined(separator: "/"))
            }
            return .unknown
        case "api":
            if parts.count == 1 { return .api }
            if parts.count == 2 { return parts[1] == "v1" ? .groupVersion(group: "", version: "v1") : .unknown }
            return resource(group: "", version: parts[1], rest: Array(parts[2...]), catalog)
        case "apis":
            if parts.count == 1 { return .apis }
            if parts.count == 2 { return .group(parts[1]) }
            if parts.count == 3 { return .groupVersion(group: parts[1], version: parts[2]) }
            return resource(group: parts[1], version: parts[2], rest: Array(parts[3...]), catalog)
        default: return .unknown
        }
    }

    private static func resource(group: String, version: String, rest: [String], _ catalog: ResourceCatalog) -> APIPath {
        if CustomResourceDefinitions.isCollection(group: group, version: version, rest: rest) { return .customResourceDefinitions }
        var rest = rest[...]
        var namespace: String?
        if rest.first == "namespaces" && rest.count == 3 && ["status", "finalize"].contains(rest[rest.startIndex + 2]),
            let info = catalog.find(group: group, version: version, plural: "namespaces")
        {
            // /api/v1/namespaces/{name}/status|finalize
            return .resource(ResourceRequest(info: info, namespace: nil, name: rest[rest.startIndex + 1], subresource: rest.last))
        }
        if rest.first == "namespaces" && rest.count >= 3 {
            namespace = rest[rest.startIndex + 1]
            rest = rest.dropFirst(2)
        } else if rest.first == "namespaces" && rest.count == 2 {
            // /api/v1/namespaces/{name}
            guard let info = catalog.find(group: group, version: version, plural: "namespaces") else { return .unknown }
            return .resource(ResourceRequest(info: info, namespace: nil, name: rest.last, subresource: nil))
        }
        guard let plural = rest.first, let info = catalog.find(group: group, version: version, plural: plural) else {
            return .unknown
        }
        if namespace != nil && !info.namespaced { return .unknown }
        let name = rest.count > 1 ? rest[rest.startIndex + 1] : nil
        let sub = rest.count > 2 ? rest[rest.startIndex + 2] : nil
        // Only a proxy subresource has a path of its own after it.
        if rest.count > 3 && sub != "proxy" { return .unknown }
        return .resource(ResourceRequest(info: info, namespace: namespace, name: name, subresource: sub))
    }

    /// The path's non-empty segments, each unescaped as Go's url.PathUnescape does ("+" stays).
    /// One pass over the bytes: splitting a String walks grapheme clusters, and a generic split
    /// was a measurable share of a GET.
    static func segments(_ path: String) -> [String] {
        var path = path
        return path.withUTF8 { bytes in
            var parts: [String] = []
            parts.reserveCapacity(8)
            var start = 0
            var i = 0
            while i <= bytes.count {
                let atEnd = i == bytes.count || bytes[i] == UInt8(ascii: "?")
                if atEnd || bytes[i] == UInt8(ascii: "/") {
                    if i > start { parts.append(unescape(UnsafeBufferPointer(rebasing: bytes[start..<i]), plusIsSpace: false)) }
                    if atEnd { break }
                    start = i + 1
                }
                i += 1
            }
            return parts
        }
    }

    /// Unescapes %XX (and, in a query, "+" as a space); a malformed escape is kept as written.
    static func unescape(_ bytes: UnsafeBufferPointer<UInt8>, plusIsSpace: Bool) -> String {
        guard bytes.contains(where: { $0 == UInt8(ascii: "%") || (plusIsSpace && $0 == UInt8(ascii: "+")) }) else {
            return String(decoding: bytes, as: UTF8.self)
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "%"), i + 2 < bytes.count, let hi = hexValue(bytes[i + 1]), let lo = hexValue(bytes[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
                continue
            }
            out.append(plusIsSpace && b == UInt8(ascii: "+") ? UInt8(ascii: " ") : b)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// Query parameters, decoded.
struct Query {
    private var values: [String: String] = [:]

    /// Parses the query as Go's url.ParseQuery does; a repeated key keeps its first value (Go's
    /// `Values.Get`).
    init(_ uri: String) {
        var uri = uri
        values = uri.withUTF8 { bytes in
            var values: [String: String] = [:]
            guard let q = bytes.firstIndex(of: UInt8(ascii: "?")) else { return values }
            var start = q + 1
            for i in (q + 1)...bytes.count where i == bytes.count || bytes[i] == UInt8(ascii: "&") {
                defer { start = i + 1 }
                guard i > start else { continue }
                let pair = UnsafeBufferPointer(rebasing: bytes[start..<i])
                let eq = pair.firstIndex(of: UInt8(ascii: "=")) ?? pair.count
                let k = APIPath.unescape(UnsafeBufferPointer(rebasing: pair[..<eq]), plusIsSpace: true)
                let v = eq < pair.count ? APIPath.unescape(UnsafeBufferPointer(rebasing: pair[(eq + 1)...]), plusIsSpace: true) : ""
                if values[k] == nil { values[k] = v }
            }
            return values
        }
    }

    subscript(_ key: String) -> String? { values[key] }

    /// A boolean parameter as apimachinery's Convert_Slice_string_To_bool reads it: absent is
    /// false, so are "0" and "false" in any letter case; anything else, even empty, is true
    /// (the Python client sends `watch=True`).
    func bool(_ key: String) -> Bool { optionalBool(key) ?? false }

    /// As `bool`, but nil when absent (for `*bool` options such as sendInitialEvents).
    func optionalBool(_ key: String) -> Bool? {
        guard let v = values[key] else { return nil }
        return !(v == "0" || v.lowercased() == "false")
    }
    func int(_ key: String) -> Int? { values[key].flatMap { Int($0) } }
}
