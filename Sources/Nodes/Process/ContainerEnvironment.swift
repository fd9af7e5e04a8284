import Foundation
import KubeClient
import KubeModel

/// A container's configuration could not be made (`CreateContainerConfigError`), with the
/// kubelet's message: `secret "myapp-secrets" not found`, `couldn't find key k in ConfigMap ns/n`.
struct ContainerConfigError: Error {
    let message: String
}

/// The environment of a container as the kubelet makes it (`kubelet_pods.go` makeEnvironmentVariables):
/// `envFrom` first (with `prefix`), then `env` in order, each `$(VAR)` expanded against what came
/// before; values from ConfigMaps, Secrets, the pod's fields and the container's resources.
struct ContainerEnvironment {
    let client: APIClient
    let pod: JSONValue
    let podIP: String
    let hostIP: String

    private var namespace: String { pod.metaNamespace }

    func make(_ container: Container) async throws -> [(String, String)] {
        // The Services' variables come last and lose to the container's own, but `$(VAR)` sees them.
        let services = try await ServiceEnvironment.variables(client: client, namespace: namespace,
                                                              enableServiceLinks: Pod(pod).spec.enableServiceLinks)
        var out: [(String, String)] = []
        var index: [String: Int] = [:]
        func set(_ name: String, _ value: String) {
            if let i = index[name] { out[i].1 = value } else {
                index[name] = out.count
                out.append((name, value))
            }
        }
        var configMaps: [String: JSONValue?] = [:]
        var secrets: [String: JSONValue?] = [:]
        func configMap(_ name: String) async throws -> JSONValue? {
            if let cached = configMaps[name] { return cached }
            let v = try await fetch(.configMaps, name)
            configMaps[name] = v
            return v
        }
        func secret(_ name: String) async throws -> JSONValue? {
            if let cached = secrets[name] { return cached }
            let v = try await fetch(.secrets, name)
            secrets[name] = v
            return v
        }
        for from in container.envFrom {
            let prefix = from.prefix ?? ""
            if let ref = from.configMapRef {
                guard let cm = try await configMap(ref.name) else {
                    if ref.optional { continue }
                    throw ContainerConfigError(message: "configmap \"\(ref.name)\" not found")
                }
                for (k, v) in Self.data(cm) { set(prefix + k, v) }
            } else if let ref = from.secretRef {
                guard let s = try await secret(ref.name) else {
                    if ref.optional { continue }
                    throw ContainerConfigError(message: "secret \"\(ref.name)\" not found")
                }
                for (k, v) in Self.data(s) { set(prefix + k, v) }
            }
        }
        for e in container.env {
            if let value = e.value {
                set(e.name, Self.expand(value, out, services))
                continue
            }
            guard let from = e.valueFrom else {
                set(e.name, "")
                continue
            }
            if let ref = from.configMapKeyRef {
                guard let cm = try await configMap(ref.name) else {
                    if ref.optional { continue }
                    throw ContainerConfigError(message: "configmap \"\(ref.name)\" not found")
                }
                guard let v = Self.data(cm)[ref.key] else {
                    if ref.optional { continue }
                    throw ContainerConfigError(message: "couldn't find key \(ref.key) in ConfigMap \(namespace)/\(ref.name)")
                }
                set(e.name, v)
            } else if let ref = from.secretKeyRef {
                guard let s = try await secret(ref.name) else {
                    if ref.optional { continue }
                    throw ContainerConfigError(message: "secret \"\(ref.name)\" not found")
                }
                guard let v = Self.data(s)[ref.key] else {
                    if ref.optional { continue }
                    throw ContainerConfigError(message: "couldn't find key \(ref.key) in Secret \(namespace)/\(ref.name)")
                }
                set(e.name, v)
            } else if let field = from.fieldRef {
                set(e.name, try fieldValue(field.fieldPath))
            } else if let resource = from.resourceFieldRef {
                set(e.name, try resourceValue(resource, container))
            }
        }
        for (k, v) in services.sorted(by: { $0.key < $1.key }) where index[k] == nil { out.append((k, v)) }
        return out
    }

    /// A ConfigMap or Secret of the pod's namespace; nil when there is none.
    func fetch(_ resource: APIResource, _ name: String) async throws -> JSONValue? {
        do {
            return try await client.get(resource, namespace: namespace, name: name)
        } catch let e as APIStatusError where e.code == 404 {
            return nil
        }
    }

    /// A ConfigMap's `data` (the kubelet reads no `binaryData` into the environment), or a
    /// Secret's `data` decoded from base64.
    static func data(_ object: JSONValue) -> [String: String] {
        PodVolumes.payload(object, binaryData: false).mapValues { String(decoding: $0, as: UTF8.self) }
    }

    /// The downward API's `fieldRef` paths (`pkg/fieldpath`).
    func fieldValue(_ path: String) throws -> String {
        let meta = Pod(pod).metadata
        switch path {
        case "metadata.name": return meta.name
        case "metadata.namespace": return meta.namespace
        case "metadata.uid": return meta.uid
        case "spec.nodeName": return Pod(pod).spec.nodeName ?? ""
        case "spec.serviceAccountName": return Pod(pod).spec.serviceAccountName ?? ""
        case "status.podIP", "status.podIPs": return podIP
        case "status.hostIP", "status.hostIPs": return hostIP
        default:
            if let key = Self.mapKey(path, "metadata.labels") { return meta.labels[key] ?? "" }
            if let key = Self.mapKey(path, "metadata.annotations") { return meta.annotations[key] ?? "" }
            if path == "metadata.labels" { return Self.formatMap(meta.labels) }
            if path == "metadata.annotations" { return Self.formatMap(meta.annotations) }
            throw ContainerConfigError(message: "unsupported fieldPath: \(path)")
        }
    }

    /// `metadata.labels['app']` → `app`.
    static func mapKey(_ path: String, _ prefix: String) -> String? {
        guard path.hasPrefix(prefix + "['"), path.hasSuffix("']") else { return nil }
        return String(path.dropFirst(prefix.count + 2).dropLast(2))
    }

    static func formatMap(_ m: [String: String]) -> String {
        m.keys.sorted().map { "\($0)=\"\(m[$0] ?? "")\"" }.joined(separator: "\n")
    }

    /// `resourceFieldRef`: a request or limit of a container, in units of `divisor`; an unset
    /// limit reads as the node's allocatable, as the kubelet does.
    func resourceValue(_ ref: ResourceFieldSelector, _ container: Container) throws -> String {
        let target = ref.containerName.flatMap { n in Pod(pod).spec.containers.first { $0.name == n } } ?? container
        let r = target.resources
        let parts = ref.resource.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw ContainerConfigError(message: "unsupported container resource : \(ref.resource)") }
        let map = parts[0] == "limits" ? r.limitQuantities : r.requestQuantities
        let quantity = map[name: parts[1]]
        let divisor = ref.divisor?.value ?? 1
        switch parts[1] {
        case "cpu":
            let cores = quantity?.value ?? Double(parts[0] == "limits" ? ProcessInfo.processInfo.activeProcessorCount : 0)
            return String(Int64(clampingValue: (cores / divisor).rounded(.up)))
        case "memory", "ephemeral-storage":
            let bytes = quantity?.value ?? (parts[0] == "limits" ? Double(ProcessInfo.processInfo.physicalMemory) : 0)
            return String(Int64(clampingValue: (bytes / divisor).rounded(.up)))
        default:
            throw ContainerConfigError(message: "unsupported container resource : \(ref.resource)")
        }
    }

    /// `$(VAR)` references to variables defined earlier (else to `fallback`, the Services');
    /// `$$(VAR)` escapes; unknown ones stay.
    static func expand(_ text: String, _ env: [(String, String)], _ fallback: [String: String] = [:]) -> String {
        guard text.contains("$") else { return text }
        var values = fallback
        for (k, v) in env { values[k] = v }
        return expand(text, values)
    }

    static func expand(_ text: String, _ values: [String: String]) -> String {
        guard text.contains("$") else { return text }
        var out = ""
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            let next = text.index(after: i)
            if c == "$", next < text.endIndex {
                if text[next] == "$" {
                    out.append("$")
                    i = text.index(after: next)
                    continue
                }
                if text[next] == "(", let close = text[next...].firstIndex(of: ")") {
                    let name = String(text[text.index(after: next)..<close])
                    if let v = values[name] { out += v } else { out += text[i...close] }
                    i = text.index(after: close)
                    continue
                }
            }
            out.append(c)
            i = next
        }
        return out
    }
}
