import APIServer
import ArgumentParser
import Foundation
import Logging
import Networking

/// `kplane apiserver`: the API server alone, for the split roles.
struct APIServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apiserver", abstract: "Run the API server alone (Kubernetes REST API over SQLite).")

    @Option(help: "Address to listen on. Non-loopback addresses need --token-file.") var address = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one).") var port = 6443
    @Option(name: .customLong("data-dir"), help: "Where the database and kubeconfig live.") var dataDir = APIServerConfig.defaultDataDir
    @Option(name: .customLong("token-file"), help: "File holding the bearer token clients must send.") var tokenFile: String?
    @Option(name: .customLong("service-cluster-ip-range"),
            help: "CIDR for Service ClusterIPs (default: a /16 of 10.96.0.0/12 routed to this machine as root, else 127.96.0.0/16).")
    var serviceCIDR: String?
    @Option(name: .customLong("default-watch-cache-size"), help: "Changes kept for watches to resume from; older revisions get 410 Expired.")
    var watchCacheSize = 20_000
    @Option(name: .customLong("event-ttl"), help: "How long events are kept after their last update.") var eventTTL = "1h0m0s"

    @OptionGroup var verbosity: Verbosity

    func run() async throws {
        verbosity.bootstrap()
        var config = APIServerConfig(dataDir: dataDir)
        config.host = address
        config.port = port
        // As `kplane up` does: ClusterIPs from a range that stays on this machine, unless asked otherwise.
        let claimed = serviceCIDR == nil ? ServiceAddressRange.claim(logger: Logger(label: "apiserver")) : nil
        defer { claimed?.release() }
        // At -v=2: the first line of the log is where the server serves, as before.
        if let claimed { Logger(label: "apiserver").debug("\(claimed.reason)") }
        config.serviceCIDR = serviceCIDR ?? claimed?.cidr ?? config.serviceCIDR
        config.watchCacheSize = watchCacheSize
        config.eventTTL = try UpCommand.ttl(eventTTL)
        do {
            if let tokenFile { config.token = try APIServerConfig.readToken(tokenFile) }
            let server = try await APIServer(config: config)
            try await server.run { boundPort in
                announce(server, port: boundPort, headline: "kplane apiserver listening on http://\(address):\(boundPort)",
                         hint: "kubectl --kubeconfig {} get namespaces")
            }
        } catch let e as ConfigError {
            FileHandle.standardError.write(Data("error: \(e.message)\n".utf8))
            throw ExitCode.failure
        }
    }
}

/// Writes the kubeconfig and tells the user how to use it.
func announce(_ server: APIServer, port: Int, headline: String, hint: String) {
    do {
        let path = try server.writeKubeconfig(port: port)
        print(headline)
        print("kubeconfig: \(path)")
        print("try: " + hint.replacingOccurrences(of: "{}", with: path))
    } catch {
        FileHandle.standardError.write(Data("error: cannot write kubeconfig: \(error)\n".utf8))
    }
    fflush(nil)
}
