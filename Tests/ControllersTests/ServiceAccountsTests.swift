import Controllers
import Foundation
import KplaneTestSupport
import KubeClient
import KubeModel
import Testing

/// The serviceaccounts controller: every active namespace has a `default` ServiceAccount, so
/// the pods controllers create in a new namespace are admitted and run as it.
@Suite struct ServiceAccountsTests {
    let accounts = ServiceAccountsController.serviceAccounts

    func hasDefault(_ c: TestCluster, _ ns: String) async -> Bool {
        (try? await c.client.get(accounts, namespace: ns, name: "default")) != nil
    }

    @Test func aNewNamespaceGetsADefaultServiceAccountAndKeepsIt() async throws {
        let c = try await TestCluster()
        _ = try await c.apply(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team"]])
        try await c.until("default in team") { await hasDefault(c, "team") }
        _ = try await c.client.call("DELETE", accounts.path(namespace: "team", name: "default"))
        try await c.until("default back in team") { await hasDefault(c, "team") }
        var d = TestCluster.deployment("web", replicas: 2)
        d.set(["metadata", "namespace"], "team")
        _ = try await c.apply(d)
        try await c.advance(until: "2 pods in team", limit: 5) { try await c.pods(namespace: "team").count == 2 }
        #expect(try await c.pods(namespace: "team").allSatisfy { $0[path: ["spec", "serviceAccountName"]] == "default" })
        await c.stop()
    }

    @Test func aTerminatingNamespaceGetsNone() async throws {
        let c = try await TestCluster()
        _ = try await c.apply(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "gone"]])
        try await c.until("default in gone") { await hasDefault(c, "gone") }
        _ = try await c.client.call("DELETE", APIResource.namespaces.path(namespace: nil, name: "gone"))
        try await c.advance(until: "the namespace to go", limit: 10) {
            (try? await c.client.get(.namespaces, namespace: nil, name: "gone")) == nil
        }
        try await c.settle()
        #expect(await !hasDefault(c, "gone"))
        await c.stop()
    }
}
