import KubeModel

/// port-forward's port words made numeric against the pod, as kubectl does before forwarding:
/// a Service's port (number or name) becomes the container port its `targetPort` names; a
/// pod's named port becomes its number. The local part stays as written, or takes the
/// resolved number when it was the same name.
enum ServicePorts {
    static func split(_ word: String) -> (local: String, remote: String) {
        let parts = word.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        return parts.count == 2 ? (parts[0], parts[1]) : (parts[0], parts[0])
    }

    /// translateServicePortToTargetPort.
    static func translate(_ words: [String], service: JSONValue, pod: JSONValue) throws -> [String] {
        let svc = Service(service), name = service.metadata.name
        return try words.map { word in
            var (local, remote) = split(word)
            var number = Int64(remote)
            if number == nil {
                guard let p = svc.spec.ports.first(where: { $0.name == remote }) else {
                    throw KctlError("Service '\(name)' does not have a named port '\(remote)'")
                }
                number = p.port
                if local == remote { local = String(p.port) }
            }
            guard let servicePort = svc.spec.ports.first(where: { $0.port == number }) else {
                throw KctlError("Service \(name) does not have a service port \(number ?? 0)")
            }
            let container: Int64
            switch servicePort.targetPort {
            case .int(let n)? where n != 0: container = n
            case .string(let s)? where !s.isEmpty: container = try containerPort(named: s, in: pod)
            default: container = servicePort.port
            }
            return local == String(container) ? local : "\(local):\(container)"
        }
    }

    /// convertPodNamedPortToNumber.
    static func namedToNumbers(_ words: [String], pod: JSONValue) throws -> [String] {
        try words.map { word in
            let (local, remote) = split(word)
            let number = Int64(remote) == nil ? String(try containerPort(named: remote, in: pod)) : remote
            return local == remote ? number : "\(local):\(number)"
        }
    }

    static func containerPort(named name: String, in pod: JSONValue) throws -> Int64 {
        for c in Pod(pod).spec.containers {
            if let p = c.ports.first(where: { $0.name == name }) { return p.containerPort }
        }
        throw KctlError("Pod '\(pod.metadata.name)' does not have a named port '\(name)'")
    }
}
