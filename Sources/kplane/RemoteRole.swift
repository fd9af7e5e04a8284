import ArgumentParser
import Foundation
import KubeClient

/// The roles that run apart talk HTTP to the API server their kubeconfig names, found as
/// kubectl finds it: `--kubeconfig`, else `$KUBECONFIG`, else `~/.kube/config`.
enum RemoteRole {
    static let kubeconfigHelp: ArgumentHelp = "Path to the kubeconfig file naming the API server (default: $KUBECONFIG, else ~/.kube/config)."

    static func client(kubeconfig: String?) throws -> HTTPAPIClient {
        do {
            let rest = try RestConfig.resolve(try Kubeconfig.load(explicit: kubeconfig), ConfigOverrides())
            return try HTTPAPIClient(config: rest)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
