import Foundation
import Hummingbird
import KubeModel

extension ResourceHandler {
    /// `pods/log`, as kube-apiserver validates it before asking the node: the container must be
    /// named unless the pod has one; an unscheduled pod has an empty log. Simulated nodes run
    /// nothing, so their containers' logs are empty too, and there is no previous container.
    func podLog(namespace: String, name: String) throws -> Response {
        guard let pods = api.catalog.find(group: "", version: "v1", plural: "pods") else { throw APIError.resourceNotFound() }
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
        let node = pod[path: ["spec", "nodeName"]]?.stringValue ?? ""
        if !node.isEmpty && query.bool("previous") {
            throw APIError.badRequest("previous terminated container \"\(container)\" in pod \"\(name)\" not found")
        }
        return KubeResponder.raw([], "text/plain")
    }
}
