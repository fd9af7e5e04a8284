import Foundation
import KubeClient
import KubeModel

/// The Service environment variables the kubelet gives every container (`getServiceEnvVarMap`
/// and `pkg/kubelet/envvars.FromServices`): for each Service of the pod's namespace with a
/// ClusterIP (when `enableServiceLinks`, the default) and always for `kubernetes` in `default`,
/// `<NAME>_SERVICE_HOST`, `<NAME>_SERVICE_PORT[_<PORT NAME>]` and Docker's link variables
/// (`<NAME>_PORT`, `<NAME>_PORT_<port>_<PROTO>[_PROTO|_PORT|_ADDR]`).
enum ServiceEnvironment {
    static let services = APIResource.builtin("services")
    /// `masterServices`: given to every pod, whatever its namespace and `enableServiceLinks`.
    static let masterServices: Set = ["kubernetes"]

    /// The variables for a pod of `namespace`, from the Services that exist now.
    static func variables(client: APIClient, namespace: String, enableServiceLinks: Bool) async throws -> [String: String] {
        var chosen: [String: JSONValue] = [:]
        do {
            for name in masterServices.sorted() {
                if let svc = try? await client.get(services, namespace: "default", name: name) { chosen[name] = svc }
            }
            if enableServiceLinks {
                let list = try await client.list(services, namespace: namespace)
                for svc in list["items"]?.arrayValue ?? [] {
                    // The namespace's own Service of a master name wins, as the kubelet's map does.
                    chosen[svc.metaName] = svc
                }
            }
        } catch {
            throw ContainerConfigError(message: "failed to list services when setting up env vars")
        }
        return fromServices(Array(chosen.values))
    }

    /// `envvars.FromServices`: Services without a ClusterIP (headless, ExternalName) give none.
    static func fromServices(_ services: [JSONValue]) -> [String: String] {
        var out: [String: String] = [:]
        for svc in services {
            let spec = Service(svc).spec
            guard let ip = spec.clusterIP, !ip.isEmpty, ip != "None", let first = spec.ports.first else { continue }
            let prefix = variableName(svc.metaName)
            out[prefix + "_SERVICE_HOST"] = ip
            out[prefix + "_SERVICE_PORT"] = String(first.port)
            for p in spec.ports {
                if let name = p.name, !name.isEmpty { out[prefix + "_SERVICE_PORT_" + variableName(name)] = String(p.port) }
            }
            for (i, p) in spec.ports.enumerated() {
                let proto = p.protocol.isEmpty ? "TCP" : p.protocol
                let hostPort = ip.contains(":") ? "[\(ip)]:\(p.port)" : "\(ip):\(p.port)"
                let url = "\(proto.lowercased())://\(hostPort)"
                // Docker special-cases the first port.
                if i == 0 { out[prefix + "_PORT"] = url }
                let portPrefix = "\(prefix)_PORT_\(p.port)_\(proto.uppercased())"
                out[portPrefix] = url
                out[portPrefix + "_PROTO"] = proto.lowercased()
                out[portPrefix + "_PORT"] = String(p.port)
                out[portPrefix + "_ADDR"] = ip
            }
        }
        return out
    }

    /// `makeEnvVariableName`: upper case, dashes to underscores.
    static func variableName(_ s: String) -> String { s.replacingOccurrences(of: "-", with: "_").uppercased() }
}
