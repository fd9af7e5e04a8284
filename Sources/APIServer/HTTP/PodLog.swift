import Foundation
import Hummingbird
import KubeModel

extension ResourceHandler {
    /// `pods/log`, as kube-apiserver's LogREST answers it: the options validated, the container
    /// must be named unless the pod has one; an unscheduled pod has an empty log. Then, as
    /// LogLocation does, the node's kubelet is asked at its InternalIP and kubelet port, and its
    /// answer streamed back. Only a kubelet on this machine's loopback (127.0.0.0/8) is ever
    /// dialled: simulated nodes (whose addresses nothing listens on) run nothing, so their
    /// containers' logs are empty and there is no previous container.
    func podLog(namespace: String, name: String) async throws -> Response {
        guard let pods = api.catalog.find(group: "", version: "v1", plural: "pods") else { throw APIError.resourceNotFound() }
        let options = try podLogOptions(name)
        let pod = try api.get(pods, namespace: namespace, name: name)
        let containers = (pod[path: ["spec", "containers"]]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        let initContainers = (pod[path: ["spec", "initContainers"]]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        var container = query["container"] ?? ""
        if container.isEmpty {
            guard containers.count == 1 else {
                var message = "a container name must be specified for pod \(name), choose one of: [\(containers.joined(separator: " "))]"
                if !initContainers.isEmpty { message += " or one of the init containers: [\(initContainers.joined(separator: " "))]" }
                throw APIError.badRequest(message)
            }
            container = containers[0]
        } else if !containers.contains(container) && !initContainers.contains(container) {
            throw APIError.badRequest("container \(container) is not valid for pod \(name)")
        }
        let nodeName = pod[path: ["spec", "nodeName"]]?.stringValue ?? ""
        if nodeName.isEmpty { return KubeResponder.raw([], "text/plain") }
        guard let nodes = api.catalog.find(group: "", version: "v1", plural: "nodes") else { throw APIError.resourceNotFound() }
        let node = try api.get(nodes, namespace: nil, name: nodeName)
        let address = (node[path: ["status", "addresses"]]?.arrayValue ?? [])
            .first { $0["type"]?.stringValue == "InternalIP" }?["address"]?.stringValue ?? ""
        guard KubeletLocation.isLoopback(address) else {
            if options.contains(where: { $0.0 == "previous" }) {
                throw APIError.badRequest("previous terminated container \"\(container)\" in pod \"\(name)\" not found")
            }
            return KubeResponder.raw([], "text/plain")
        }
        let configured = Int(node[path: ["status", "daemonEndpoints", "kubeletEndpoint", "Port"]]?.intValue ?? 0)
        let location = KubeletLocation(host: address, port: configured > 0 ? configured : 10250,
                                       path: "/containerLogs/\(namespace)/\(name)/\(container)", query: options)
        return try await proxyLog(location, pod: name)
    }

    /// The options LogLocation passes on, in url.Values.Encode's order (sorted by name), after
    /// ValidatePodLogOptions.
    private func podLogOptions(_ name: String) throws -> [(String, String)] {
        func int(_ key: String) throws -> Int? {
            guard let v = query[key] else { return nil }
            guard let n = Int(v) else { throw APIError.badRequest("strconv.ParseInt: parsing \(ContainerQuote.go(v)): invalid syntax") }
            return n
        }
        let tailLines = try int("tailLines"), limitBytes = try int("limitBytes"), sinceSeconds = try int("sinceSeconds")
        var sinceTime: Date?
        if let t = query["sinceTime"] {
            guard let d = Timestamp.parse(t) else {
                throw APIError.badRequest("parsing time \(ContainerQuote.go(t)) as \"2006-01-02T15:04:05Z07:00\": cannot parse \(ContainerQuote.go(t)) as \"2006\"")
            }
            sinceTime = d
        }
        var errors: [FieldError] = []
        if let n = tailLines, n < 0 { errors.append(.invalid("tailLines", .int(Int64(n)), "must be greater than or equal to 0")) }
        if let n = limitBytes, n < 1 { errors.append(.invalid("limitBytes", .int(Int64(n)), "must be greater than 0")) }
        if sinceSeconds != nil && sinceTime != nil {
            errors.append(.forbidden("", "at most one of `sinceTime` or `sinceSeconds` may be specified"))
        } else if let n = sinceSeconds, n < 1 {
            errors.append(.invalid("sinceSeconds", .int(Int64(n)), "must be greater than 0"))
        }
        if !errors.isEmpty { throw APIError.invalid(kind: "PodLogOptions", group: "", name: name, errors) }
        var out: [(String, String)] = []
        if query.bool("follow") { out.append(("follow", "true")) }
        if let n = limitBytes { out.append(("limitBytes", String(n))) }
        if query.bool("previous") { out.append(("previous", "true")) }
        if let n = sinceSeconds { out.append(("sinceSeconds", String(n))) }
        if let d = sinceTime { out.append(("sinceTime", Timestamp.format(d))) }
        if let n = tailLines { out.append(("tailLines", String(n))) }
        if query.bool("timestamps") { out.append(("timestamps", "true")) }
        return out
    }
}

/// Go's %q for the texts in parse errors.
enum ContainerQuote {
    static func go(_ s: String) -> String {
        "\"" + s.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\""
    }
}
