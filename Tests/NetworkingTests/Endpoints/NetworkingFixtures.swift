import KubeModel

/// Services and EndpointSlices as the API server and the EndpointSlice controller write them.
enum Fixtures {
    static func service(_ name: String, namespace: String = "default", ports: [JSONValue] = [["name": "http", "port": 80, "targetPort": 3000, "protocol": "TCP"]],
                        extraSpec: [String: JSONValue] = [:]) -> JSONValue {
        var spec: JSONValue = ["selector": ["app": .string(name)], "ports": .array(ports)]
        for (k, v) in extraSpec { spec[k] = v }
        return ["apiVersion": "v1", "kind": "Service", "metadata": ["name": .string(name), "namespace": .string(namespace)], "spec": spec]
    }

    /// An endpoint; nil conditions are left out, as a slice written by hand may.
    static func endpoint(_ ip: String, ready: Bool? = true, serving: Bool? = nil, terminating: Bool? = nil, pod: String? = nil,
                         node: String? = nil) -> JSONValue {
        var conditions: JSONValue = .emptyObject
        if let ready { conditions["ready"] = .bool(ready) }
        if let serving { conditions["serving"] = .bool(serving) }
        if let terminating { conditions["terminating"] = .bool(terminating) }
        var e: JSONValue = ["addresses": [.string(ip)], "conditions": conditions]
        if let pod { e["targetRef"] = ["kind": "Pod", "namespace": "default", "name": .string(pod)] }
        if let node { e["nodeName"] = .string(node) }
        return e
    }

    static func slice(_ name: String, service: String, namespace: String = "default", endpoints: [JSONValue],
                      ports: [JSONValue] = [["name": "http", "port": 3000, "protocol": "TCP"]]) -> JSONValue {
        ["apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
         "metadata": ["name": .string(name), "namespace": .string(namespace), "labels": ["kubernetes.io/service-name": .string(service)]],
         "addressType": "IPv4", "endpoints": .array(endpoints), "ports": .array(ports)]
    }
}
