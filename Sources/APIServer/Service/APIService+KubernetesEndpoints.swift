import KubeModel

extension APIService {
    /// kube-apiserver's endpoint reconciler: the `kubernetes` Service in `default` targets the
    /// port this server serves on, and its Endpoints and EndpointSlice (both named `kubernetes`,
    /// written here, not by the controllers: the Service has no selector) list this server's
    /// address. A wildcard listen address is advertised as loopback, where kplane's clients reach it.
    public func reconcileKubernetesEndpoints(host: String, port: Int) async throws {
        let ip = ["0.0.0.0", "::", "", "localhost"].contains(host) ? "127.0.0.1" : host
        let own = WriteOptions(userAgent: "kube-apiserver/v1.32.0 (linux/amd64) kubernetes/kplane")
        let ports: JSONValue = [["name": "https", "port": .int(Int64(port)), "protocol": "TCP"]]
        if let svc = catalog.find(group: "", version: "v1", plural: "services"), let current = store.get(key(svc, "default", "kubernetes"))?.value,
           Service(current).spec.ports.first?.targetPort != .int(Int64(port)) {
            let patch: JSONValue = ["spec": ["ports": [["name": "https", "port": 443, "protocol": "TCP", "targetPort": .int(Int64(port))]]]]
            _ = try await self.patch(svc, namespace: "default", name: "kubernetes", type: .strategic, patch: patch, options: own)
        }
        if let info = catalog.find(group: "", version: "v1", plural: "endpoints") {
            try await ensureKubernetesObject(info, options: own, [
                "apiVersion": "v1", "kind": "Endpoints",
                "metadata": ["name": "kubernetes", "namespace": "default", "labels": ["endpointslice.kubernetes.io/skip-mirror": "true"]],
                "subsets": [["addresses": [["ip": .string(ip)]], "ports": ports]],
            ])
        }
        if let info = catalog.find(group: "discovery.k8s.io", version: "v1", plural: "endpointslices") {
            try await ensureKubernetesObject(info, options: own, [
                "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                "metadata": ["name": "kubernetes", "namespace": "default", "labels": ["kubernetes.io/service-name": "kubernetes"]],
                "addressType": .string(ip.contains(":") ? "IPv6" : "IPv4"),
                "endpoints": [["addresses": [.string(ip)], "conditions": ["ready": true]]],
                "ports": ports,
            ])
        }
    }

    /// Creates `desired`, or replaces the stored object's labels and content when they differ.
    private func ensureKubernetesObject(_ info: ResourceInfo, options: WriteOptions, _ desired: JSONValue) async throws {
        let name = desired.metaName
        guard let current = store.get(key(info, "default", name))?.value else {
            _ = try await create(info, namespace: "default", body: desired, options: options)
            return
        }
        var next = current
        for (field, value) in desired.objectValue ?? [:] where field != "metadata" { next[field] = value }
        next.set(["metadata", "labels"], desired[path: ["metadata", "labels"]])
        guard next != current else { return }
        _ = try await update(info, namespace: "default", name: name, body: next, options: options)
    }
}
