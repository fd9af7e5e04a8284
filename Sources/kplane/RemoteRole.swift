import ArgumentParser
import Foundation
import KubeClient

/// The roles that run apart talk HTTP to the API server their kubeconfig names.
enum RemoteRole {
    static func client(kubeconfig: String) throws -> HTTPAPIClient {
        do {
            let rest = try RestConfig.resolve(try Kubeconfig.load(paths: [kubeconfig], explicit: true), ConfigOverrides())
            return try HTTPAPIClient(config: rest)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
