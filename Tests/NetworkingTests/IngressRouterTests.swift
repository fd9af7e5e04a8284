import KubeModel
import Testing
@testable import Networking

/// The routing table against ingress-nginx's and the Ingress spec's rules, one request a row.
@Suite struct IngressRouterTests {
    static func path(_ path: String, _ type: String, _ service: String, port: JSONValue = ["number": 80]) -> JSONValue {
        ["path": .string(path), "pathType": .string(type), "backend": ["service": ["name": .string(service), "port": port]]]
    }

    static func ingress(_ name: String, created: String = "2026-12-01T00:00:00Z", rules: [(host: String?, paths: [JSONValue])],
                        defaultBackend: String? = nil) -> Ingress {
        var spec: JSONValue = ["rules": .array(rules.map { r in
            var rule: JSONValue = ["http": ["paths": .array(r.paths)]]
            if let h = r.host { rule["host"] = .string(h) }
            return rule
        })]
        if let d = defaultBackend { spec["defaultBackend"] = ["service": ["name": .string(d), "port": ["number": 80]]] }
        return Ingress(["apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
                        "metadata": ["name": .string(name), "namespace": "default", "creationTimestamp": .string(created)], "spec": spec])
    }

    static let router = IngressRouter([
        ingress("shop", rules: [
            (host: "shop.example.com", paths: [path("/", "Prefix", "web"), path("/api", "Prefix", "api"), path("/api/v2/", "Prefix", "api-v2"),
                                              path("/api/v2", "Exact", "api-v2-exact"), path("/static", "ImplementationSpecific", "static"),
                                              path("/health", "Exact", "health")]),
            (host: "*.example.com", paths: [path("/", "Prefix", "wild")]),
            (host: nil, paths: [path("/any", "Prefix", "anyhost")]),
        ]),
        ingress("only-exact", rules: [(host: "exact.example.com", paths: [path("/login", "Exact", "login")])], defaultBackend: "fallback"),
        // A newer Ingress claiming the same host and path loses to the older one.
        ingress("late", created: "2026-12-02T00:00:00Z", rules: [(host: "shop.example.com", paths: [path("/api", "Prefix", "hijack")])]),
        ingress("named-port", rules: [(host: "named.example.com", paths: [path("/", "Prefix", "web", port: ["name": "http"])])]),
    ])

    @Test(arguments: [
        ("shop.example.com", "/", "web"),
        ("shop.example.com", "/anything", "web"),
        ("SHOP.example.com:8080", "/", "web"),
        ("shop.example.com", "/api", "api"),
        ("shop.example.com", "/api/", "api"),
        ("shop.example.com", "/api/users?x=1", "api"),
        ("shop.example.com", "/apiary", "web"),  // whole path elements only
        ("shop.example.com", "/api/v2", "api-v2-exact"),  // Exact wins over Prefix at equal length
        ("shop.example.com", "/api/v2/items", "api-v2"),  // the longest prefix wins
        ("shop.example.com", "/api/v2x", "api"),
        ("shop.example.com", "/static/app.js", "static"),
        ("shop.example.com", "/health", "health"),
        ("shop.example.com", "/health/deep", "web"),
        ("a.example.com", "/x", "wild"),  // wildcard: one label
        ("a.b.example.com", "/any/thing", "anyhost"),  // not two labels: the catch-all server
        ("example.com", "/any", "anyhost"),
        ("other.test", "/any", "anyhost"),
        ("exact.example.com", "/login", "login"),
        ("exact.example.com", "/login/x", "fallback"),  // the Ingress's defaultBackend
        ("other.test", "/nothing", "fallback"),  // the catch-all's default backend
    ])
    func routes(host: String, path: String, service: String) {
        #expect(Self.router.route(host: host, path: path)?.service.name == service)
    }

    @Test func targetsCarryNamespacePortAndIngress() {
        let t = Self.router.route(host: "named.example.com", path: "/")
        #expect(t == IngressBackendTarget(service: ServiceKey(namespace: "default", name: "web"), port: .name("http"), ingress: "default/named-port"))
        #expect(Self.router.route(host: "shop.example.com", path: "/api")?.ingress == "default/shop")
    }

    @Test func nothingMatchesWithoutADefaultBackend() {
        let router = IngressRouter([Self.ingress("a", rules: [(host: "a.test", paths: [Self.path("/x", "Prefix", "x")])])])
        #expect(router.route(host: "a.test", path: "/y") == nil)
        #expect(router.route(host: "b.test", path: "/x") == nil)
        #expect(IngressRouter([]).route(host: "a.test", path: "/") == nil)
    }
}
