import Foundation
import KubeModel

/// Where one request goes: a Service port of an Ingress's namespace.
public struct IngressBackendTarget: Hashable, Sendable {
    public let service: ServiceKey
    /// `service.port.number` or `.name`.
    public let port: ServicePortReference
    /// `namespace/name` of the Ingress the rule came from.
    public let ingress: String

    public init(service: ServiceKey, port: ServicePortReference, ingress: String) {
        self.service = service
        self.port = port
        self.ingress = ingress
    }
}

/// The routing table of the Ingresses kplane serves, as ingress-nginx builds its servers and
/// locations: one server per host (exact hosts before `*.wildcard` ones, before the catch-all
/// of rules without a host), in each the longest matching path (`Exact` before `Prefix` at equal
/// length; `ImplementationSpecific` is a Prefix), then the server's default backend (an Ingress's
/// `defaultBackend`), else nothing: the caller answers ingress-nginx's 404.
public struct IngressRouter: Sendable {
    struct Location: Sendable {
        let path: String
        let exact: Bool
        let target: IngressBackendTarget?
    }
    struct Server: Sendable {
        var locations: [Location] = []
        var defaultBackend: IngressBackendTarget?
    }

    private var exact: [String: Server] = [:]
    /// Keyed by the suffix after `*` (`.example.com`).
    private var wildcard: [String: Server] = [:]
    private var catchAll = Server()
    /// Hosts an Ingress lists under `spec.tls`: plain HTTP to them is redirected (ssl-redirect).
    private var tlsHosts: Set<String> = []
    /// `namespace/name` of the TLS Secrets the Ingresses name.
    private var tlsSecrets: Set<String> = []

    /// The table for `ingresses` (those this controller serves); where two Ingresses claim the
    /// same host and path, the older one wins, as in ingress-nginx.
    public init(_ ingresses: [Ingress]) {
        let ordered = ingresses.sorted {
            let a = ($0.metadata.creationTimestamp ?? .distantPast, $0.metadata.namespace, $0.metadata.name)
            let b = ($1.metadata.creationTimestamp ?? .distantPast, $1.metadata.namespace, $1.metadata.name)
            return a < b
        }
        for ingress in ordered {
            let namespace = ingress.metadata.namespace
            let id = "\(namespace)/\(ingress.metadata.name)"
            let fallback = ingress.spec.defaultBackend.flatMap { Self.target($0, namespace, id) }
            if let fallback, catchAll.defaultBackend == nil { catchAll.defaultBackend = fallback }
            for tls in ingress.spec.tls {
                tlsHosts.formUnion(tls.hosts.map { $0.lowercased() })
                if let secret = tls.secretName { tlsSecrets.insert("\(namespace)/\(secret)") }
            }
            for rule in ingress.spec.rules {
                let host = (rule.host ?? "").lowercased()
                update(host) { server in
                    for p in rule.paths {
                        let path = p.path ?? "/"
                        let isExact = p.pathType == "Exact"
                        guard !server.locations.contains(where: { $0.path == path && $0.exact == isExact }) else { continue }
                        server.locations.append(Location(path: path, exact: isExact, target: Self.target(p.backend, namespace, id)))
                    }
                    if server.defaultBackend == nil { server.defaultBackend = fallback }
                }
            }
        }
    }

    /// The backend for a request to `host` (the Host header, a port allowed) and `path` (the
    /// request target; a query is ignored); nil: no rule matches and there is no default backend.
    public func route(host: String, path: String) -> IngressBackendTarget? {
        let server = self.server(for: Self.hostname(host))
        let path = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? "/"
        var best: Location?
        for location in server.locations where Self.matches(location, path) {
            guard let current = best else { best = location; continue }
            let (a, b) = (Self.length(location), Self.length(current))
            if a > b || (a == b && location.exact && !current.exact) { best = location }
        }
        if let best { return best.target }
        return server.defaultBackend ?? catchAll.defaultBackend
    }

    /// Whether HTTPS is configured for `host` (the Host header, a port allowed).
    public func hasTLS(host: String) -> Bool {
        let name = Self.hostname(host)
        if tlsHosts.contains(name) { return true }
        guard let dot = name.firstIndex(of: "."), dot != name.startIndex else { return false }
        return tlsHosts.contains("*" + name[dot...])
    }

    /// Whether an Ingress names this Secret for TLS.
    public func namesSecret(namespace: String, name: String) -> Bool { tlsSecrets.contains("\(namespace)/\(name)") }

    /// The host without a port, in lower case (`Myapp.Example.com:8080` → `myapp.example.com`).
    static func hostname(_ host: String) -> String {
        var h = Substring(host)
        if h.hasPrefix("[") {
            if let close = h.firstIndex(of: "]") { h = h[...close] }
        } else if let colon = h.lastIndex(of: ":") {
            h = h[..<colon]
        }
        return h.lowercased()
    }

    private func server(for host: String) -> Server {
        if let s = exact[host] { return s }
        // A wildcard covers exactly one label: `*.example.com` takes `a.example.com` only.
        if let dot = host.firstIndex(of: "."), host.startIndex != dot, let s = wildcard[String(host[dot...])] { return s }
        return catchAll
    }

    private mutating func update(_ host: String, _ body: (inout Server) -> Void) {
        if host.isEmpty {
            body(&catchAll)
        } else if host.hasPrefix("*.") {
            body(&wildcard[String(host.dropFirst()), default: Server()])
        } else {
            body(&exact[host, default: Server()])
        }
    }

    /// `Exact`: the same path. `Prefix`: whole path elements (`/foo` takes `/foo`, `/foo/` and
    /// `/foo/bar`, not `/foobar`), a trailing slash in the rule ignored.
    static func matches(_ location: Location, _ path: String) -> Bool {
        if location.exact { return path == location.path }
        let prefix = location.path.hasSuffix("/") ? String(location.path.dropLast()) : location.path
        if prefix.isEmpty { return true }
        guard path.hasPrefix(prefix) else { return false }
        let rest = path.dropFirst(prefix.count)
        return rest.isEmpty || rest.hasPrefix("/")
    }

    private static func length(_ location: Location) -> Int {
        location.exact || !location.path.hasSuffix("/") ? location.path.count : location.path.count - 1
    }

    private static func target(_ backend: IngressBackend, _ namespace: String, _ ingress: String) -> IngressBackendTarget? {
        guard let service = backend.service, let port = service.port else { return nil }
        let reference: ServicePortReference = switch port {
        case .int(let n): .number(Int(n))
        case .string(let s): .name(s)
        }
        return IngressBackendTarget(service: ServiceKey(namespace: namespace, name: service.name), port: reference, ingress: ingress)
    }
}
