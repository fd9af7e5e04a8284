import Foundation
import KplaneTestSupport
import Testing

/// `kplane up --process-nodes 1` with its Ingress on a free port, driven by real kubectl off
/// Swift's thread pool: the cluster the seed's end-to-end tests (zero downtime, scale to zero,
/// autoscaling) run against.
struct SeedCluster {
    let server: ServerProcess
    let kubectl: Kubectl
    let ingressPort: Int

    init(extraArgs: [String] = []) async throws {
        let port = try IngressEndToEndTests.freePort()
        ingressPort = port
        server = try await offPool {
            try ServerProcess(role: "up", extraArgs: ["--process-nodes", "1", "--ingress-port", String(port), "--ingress-https-port", "0"] + extraArgs)
        }
        kubectl = Kubectl(binary: Kubectl.v132, server: server)
    }

    /// Runs kubectl, expects it to succeed, and returns its output.
    @discardableResult
    func ok(_ args: [String]) async throws -> String {
        let r = try await kubectl.runOffPool(args)
        #expect(r.code == 0, "kubectl \(args.joined(separator: " ")): \(r.err)")
        return r.out
    }
}
