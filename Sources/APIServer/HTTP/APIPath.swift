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

    static func parse(_ path: String) -> APIPath {
        // Split on bytes: splitting a String walks grapheme clusters, a measurable share of a GET.
        let bytes = path.utf8
        let end = bytes.firstIndex(of: UInt8(ascii: "?")) ?? bytes.endIndex
        let parts = bytes[..<end].split(separator: UInt8(ascii: "/")).map { percentDecode(String(Substring($0))) }
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
            return resource(group: "", version: parts[1], rest: Array(parts[2...]))
        case "apis":
            if parts.count == 1 { return .apis }
            if parts.count == 2 { return .group(parts[1]) }
            if parts.count == 3 { return .groupVersion(group: parts[1], version: parts[2]) }
            return resource(group: parts[1], version: parts[2], rest: Array(parts[3...]))
        default: return .unknown
        }
    }

    private static func resource(group: String, version: String, rest: [String]) -> APIPath {
        if CustomResourceDefinitions.isCollection(group: group, version: version, rest: rest) { return .customResourceDefinitions }
        var rest = rest[...]
        var namespace: String?
        if rest.first == "namespaces" && rest.count == 3 && ["status", "finalize"].contains(rest[rest.startIndex + 2]),
            let info = ResourceCatalog.find(group: group, version: version, plural: "namespaces")
        {
            // /api/v1/namespaces/{name}/status|finalize
            return .resource(ResourceRequest(info: info, namespace: nil, name: rest[rest.startIndex + 1], subresource: rest.last))
        }
        if rest.first == "namespaces" && rest.count >= 3 {
            namespace = rest[rest.startIndex + 1]
            rest = rest.dropFirst(2)
        } else if rest.first == "namespaces" && rest.count == 2 {
            // /api/v1/namespaces/{name}
            guard let info = ResourceCatalog.find(group: group, version: version, plural: "namespaces") else { return .unknown }
            return .resource(ResourceRequest(info: info, namespace: nil, name: rest.last, subresource: nil))
        }
        guard let plural = rest.first, let info = ResourceCatalog.find(group: group, version: version, plural: plural) else {
            return .unknown
        }
        if namespace != nil && !info.namespaced { return .unknown }
        let name = rest.count > 1 ? rest[rest.startIndex + 1] : nil
        let sub = rest.count > 2 ? rest[rest.startIndex + 2] : nil
        if rest.count > 3 { return .unknown }
        return .resource(ResourceRequest(info: info, namespace: namespace, name: name, subresource: sub))
    }

    static func percentDecode(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else { return s }
        var bytes: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "%"), it.count >= 2, let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(v)
                it = it.dropFirst(2)
            } else if b == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Query parameters, decoded.
struct Query {
    private var values: [String: String] = [:]

    init(_ uri: String) {
        let bytes = uri.utf8
        guard let q = bytes.firstIndex(of: UInt8(ascii: "?")) else { return }
        for pair in bytes[bytes.index(after: q)...].split(separator: UInt8(ascii: "&")) {
            let kv = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let k = APIPath.percentDecode(String(Substring(kv[0])))
            values[k] = kv.count > 1 ? APIPath.percentDecode(String(Substring(kv[1]))) : ""
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
