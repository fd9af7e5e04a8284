import ArgumentParser
import Foundation
import KubeClient

/// `kctl proxy`: a local HTTP server in front of the API server, with the kubeconfig's
/// credentials, as `kubectl proxy` serves it.
struct Proxy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxy", abstract: "Run a proxy to the Kubernetes API server.",
        usage: "kctl proxy [--port=PORT] [--api-prefix=prefix] [options]",
        discussion: """
            Creates a proxy server or application-level gateway between localhost and the Kubernetes API server. All incoming data enters through one port and gets forwarded to the remote Kubernetes API server port.

            Examples:
              # To proxy all of the Kubernetes API and nothing else
              kctl proxy --api-prefix=/

              # To proxy the entire Kubernetes API at a different root
              # You can get pods info with 'curl localhost:8001/custom/api/v1/pods'
              kctl proxy --api-prefix=/custom/

              # Run a proxy to the Kubernetes API server on an arbitrary local port
              # The chosen port for the server will be output to stdout
              kctl proxy --port=0

              # Run a proxy to the Kubernetes API server, changing the API prefix to k8s-api
              # This makes e.g. the pods API available at localhost:8001/k8s-api/v1/pods/
              kctl proxy --api-prefix=/k8s-api
            """)

    @OptionGroup var global: GlobalOptions
    @Option(name: [.short, .long], help: "The port on which to run the proxy. Set to 0 to pick a random port.") var port = 8001
    @Option(help: "The IP address on which to serve on.") var address = "127.0.0.1"
    @Option(name: .customLong("api-prefix"), help: "Prefix to serve the proxied API under.") var apiPrefix = "/"
    @Option(name: .customLong("accept-hosts"), help: "Regular expression for hosts that the proxy should accept.")
    var acceptHosts = "^localhost$,^127\\.0\\.0\\.1$,^\\[::1\\]$"
    @Option(name: .customLong("accept-paths"), help: "Regular expression for paths that the proxy should accept.") var acceptPaths = "^.*"
    @Option(name: .customLong("reject-paths"), help: "Regular expression for paths that the proxy should reject. Paths specified here will be rejected even accepted by --accept-paths.")
    var rejectPaths = "^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach"
    @Option(name: .customLong("reject-methods"), help: "Regular expression for HTTP methods that the proxy should reject (example --reject-methods='POST,PUT,PATCH'). ")
    var rejectMethods = "^$"
    @Flag(name: .customLong("disable-filter"), help: "If true, disable request filtering in the proxy. This is dangerous, and can leave you vulnerable to XSRF attacks, when used with an accessible port.")
    var disableFilter = false

    func run() async throws {
        try await Kctl.guarded {
            let session = try global.session()
            func patterns(_ s: String) -> [String] { s.split(separator: ",").map(String.init) }
            let filter = APIProxy.Filter(acceptHosts: patterns(acceptHosts), acceptPaths: patterns(acceptPaths), rejectPaths: patterns(rejectPaths),
                                         rejectMethods: patterns(rejectMethods), disabled: disableFilter)
            let proxy = try APIProxy(config: session.rest, apiPrefix: apiPrefix, filter: filter)
            try await proxy.serve(address: address, port: port) { host, port in Terminal.out("Starting to serve on \(host):\(port)\n") }
        }
    }
}
