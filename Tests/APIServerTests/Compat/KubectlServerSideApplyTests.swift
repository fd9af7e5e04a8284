import Foundation
import KplaneTestSupport
import Testing

/// Real kubectl 1.32 and kctl against `kplane apiserver`: managedFields and server-side apply
/// behave and read as on a real cluster.
@Suite(.serialized, .offPool) struct KubectlServerSideApplyTests {
    func entries(_ k: Kubectl, _ what: String...) throws -> [[String: Any]] {
        let out = try k.run(["get"] + what + ["-o", "json", "--show-managed-fields"]).out
        let obj = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any]
        return (obj?["metadata"] as? [String: Any])?["managedFields"] as? [[String: Any]] ?? []
    }

    /// The deployment manifest with another replica count, in a file of its own.
    func manifest(_ k: Kubectl, replicas: Int) throws -> String {
        let text = try String(contentsOfFile: k.manifests + "/deployment.yaml", encoding: .utf8)
        let path = temporaryDirectory() + "/deployment.yaml"
        try text.replacingOccurrences(of: "replicas: 3", with: "replicas: \(replicas)").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func applyScaleConflictAndForceConflicts() throws {
        let server = try ServerProcess()
        let k = Kubectl(binary: Kubectl.v132, server: server)
        let kctl = KctlRunner(server: server)
        let applied = try k("apply", "--server-side", "-f", try manifest(k, replicas: 3))
        #expect(applied.out == "deployment.apps/myapp serverside-applied\n", "\(applied.err)")
        #expect(try !k("get", "deploy", "myapp", "-o", "yaml").out.contains("managedFields"))
        let shown = try k("get", "deploy", "myapp", "-o", "yaml", "--show-managed-fields").out
        #expect(shown.contains("    manager: kubectl\n    operation: Apply\n"))
        #expect(shown.contains("        f:replicas: {}\n") && shown.contains("              k:{\"name\":\"myapp\"}:\n                .: {}\n"))
        #expect(try kctl("get", "deploy", "myapp", "-o", "yaml", "--show-managed-fields").out == shown)
        #expect(try kctl("get", "deploy", "myapp", "-o", "yaml").out == k("get", "deploy", "myapp", "-o", "yaml").out)

        #expect(try k("scale", "deploy", "myapp", "--replicas=5").code == 0)
        // kubectl scale sends no fieldManager: the server names it after kubectl's User-Agent.
        let scaler = try #require(try entries(k, "deploy", "myapp").first { $0["subresource"] as? String == "scale" })
        let who = try #require(scaler["manager"] as? String)
        #expect(who.hasPrefix("kubectl") && scaler["operation"] as? String == "Update" && scaler["apiVersion"] as? String == "apps/v1")

        let four = try manifest(k, replicas: 4)
        let conflict = try k("apply", "--server-side", "-f", four)
        #expect(conflict.code == 1)
        let message = "error: Apply failed with 1 conflict: conflict with \"\(who)\" with subresource \"scale\" using apps/v1: .spec.replicas\n"
            + "Please review the fields above--they currently have other managers. Here\n"
        #expect(conflict.err.hasPrefix(message), "\(conflict.err)")
        #expect(try kctl("apply", "--server-side", "-f", four).err == conflict.err)
        #expect(try k("get", "deploy", "myapp", "-o", "jsonpath={.spec.replicas}").out == "5")

        let forced = try k("apply", "--server-side", "--force-conflicts", "-f", four)
        #expect(forced.out == "deployment.apps/myapp serverside-applied\n")
        #expect(try k("get", "deploy", "myapp", "-o", "jsonpath={.spec.replicas}").out == "4")
        #expect(try entries(k, "deploy", "myapp").map { $0["manager"] as? String } == ["kubectl"])
    }

    @Test func clientSideAppliedObjectsMoveToServerSideApply() throws {
        let server = try ServerProcess()
        let k = Kubectl(binary: Kubectl.v132, server: server)
        let path = temporaryDirectory() + "/cm.yaml"
        try "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: \"1\"\n  b: \"2\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try k("apply", "-f", path).out == "configmap/c created\n")
        #expect(try entries(k, "cm", "c").map { $0["manager"] as? String } == ["kubectl-client-side-apply"])
        // The server-side apply changes a value client-side apply set (no conflict for kubectl),
        // and kubectl moves the client-side ownership over, so the dropped key goes.
        try "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: \"9\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        let ssa = try k("apply", "--server-side", "-f", path)
        #expect(ssa.out == "configmap/c serverside-applied\n" && ssa.err.isEmpty, "\(ssa.err)")
        #expect(try k("get", "cm", "c", "-o", "jsonpath={.data}").out == #"{"a":"9"}"#)
        let after = try entries(k, "cm", "c")
        #expect(after.map { "\($0["manager"] ?? "") \($0["operation"] ?? "")" } == ["kubectl-last-applied Apply", "kubectl Apply"])
    }
}
