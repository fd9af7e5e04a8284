import Foundation
import Testing
@testable import KubeClient
@testable import KubeModel

@Suite struct KubeconfigTests {
    func write(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "kubeconfig-" + UUID().uuidString
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    let first = """
        apiVersion: v1
        kind: Config
        current-context: dev
        clusters:
        - name: dev
          cluster: {server: "http://127.0.0.1:1111"}
        contexts:
        - name: dev
          context: {cluster: dev, user: me, namespace: team}
        users:
        - name: me
          user: {token: abc}
        """
    let second = """
        apiVersion: v1
        kind: Config
        current-context: prod
        clusters:
        - name: dev
          cluster: {server: "http://shadowed:1"}
        - name: prod
          cluster: {server: "prod.example.com:6443"}
        contexts:
        - name: prod
          context: {cluster: prod, user: me}
        users: []
        """

    @Test func firstFileWinsWhenMerging() throws {
        let a = try write(first)
        let b = try write(second)
        let paths = Kubeconfig.paths(explicit: nil, environment: ["KUBECONFIG": "\(a):\(b)"])
        let config = try Kubeconfig.load(paths: paths)
        #expect(config.currentContext == "dev")
        #expect(config.clusters["dev"]?["server"] == "http://127.0.0.1:1111")
        #expect(config.clusters["prod"] != nil)
        let rest = try RestConfig.resolve(config, ConfigOverrides())
        #expect(rest.server == "http://127.0.0.1:1111" && rest.token == "abc" && rest.namespace == "team")
        var o = ConfigOverrides()
        o.context = "prod"
        o.namespace = "other"
        let prod = try RestConfig.resolve(config, o)
        #expect(prod.server == "https://prod.example.com:6443" && prod.namespace == "other" && prod.token == "abc")
        o.context = "missing"
        #expect(throws: Kubeconfig.Failure.self) { try RestConfig.resolve(config, o) }
    }

    @Test func explicitFileAndFlags() throws {
        let a = try write(first)
        #expect(Kubeconfig.paths(explicit: a, environment: ["KUBECONFIG": "/nope"]) == [a])
        #expect(Kubeconfig.paths(explicit: nil, environment: ["HOME": "/home/u"]) == ["/home/u/.kube/config"])
        #expect(throws: Kubeconfig.Failure.self) { try Kubeconfig.load(paths: ["/does/not/exist"], explicit: true) }
        var o = ConfigOverrides()
        o.server = "http://10.0.0.1:9999/"
        o.token = "t"
        let rest = try RestConfig.resolve(try Kubeconfig.load(paths: [a]), o)
        #expect(rest.server == "http://10.0.0.1:9999" && rest.token == "t")
    }

    @Test func certificatePathsAreRelativeToTheirFileAndDataWins() throws {
        let dir = NSTemporaryDirectory() + "kc-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "CA FROM FILE".write(toFile: dir + "/ca.crt", atomically: true, encoding: .utf8)
        let path = dir + "/config"
        try """
            current-context: c
            clusters:
            - name: c
              cluster: {server: "https://127.0.0.1:6443", certificate-authority: ca.crt}
            contexts:
            - name: c
              context: {cluster: c, user: u}
            users:
            - name: u
              user: {client-certificate: /abs/cert.pem, client-certificate-data: \(Data("CERT".utf8).base64EncodedString()), client-key-data: \(Data("KEY".utf8).base64EncodedString())}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let config = try Kubeconfig.load(paths: [path])
        #expect(config.clusters["c"]?["certificate-authority"] == .string(dir + "/ca.crt"))
        #expect(config.users["u"]?["client-certificate"] == "/abs/cert.pem")
        let tls = try #require(try RestConfig.resolve(config, ConfigOverrides()).tls)
        #expect(tls.caPEM == Array("CA FROM FILE".utf8) && tls.certificatePEM == Array("CERT".utf8) && tls.keyPEM == Array("KEY".utf8))
        #expect(try RestConfig.resolve(try Kubeconfig.load(paths: [try write(first)]), ConfigOverrides()).tls == nil)
    }

    @Test func discoveryResolvesNamesShortNamesAndGroups() {
        let d = Discovery(resources: [
            APIResource(group: "autoscaling", version: "v2", kind: "HorizontalPodAutoscaler", plural: "horizontalpodautoscalers", singular: "horizontalpodautoscaler", shortNames: ["hpa"], namespaced: true, verbs: [], categories: ["all"]),
            APIResource(group: "autoscaling", version: "v1", kind: "HorizontalPodAutoscaler", plural: "horizontalpodautoscalers", singular: "horizontalpodautoscaler", shortNames: ["hpa"], namespaced: true, verbs: [], categories: ["all"]),
            APIResource(group: "apps", version: "v1", kind: "Deployment", plural: "deployments", singular: "deployment", shortNames: ["deploy"], namespaced: true, verbs: [], categories: ["all"]),
        ])
        #expect(d.resolve("hpa")?.version == "v2")
        #expect(d.resolve("horizontalpodautoscalers.v1.autoscaling")?.version == "v1")
        #expect(d.resolve("deploy")?.plural == "deployments")
        #expect(d.resolve("Deployment")?.group == "apps")
        #expect(d.resolve("deployments.apps")?.kind == "Deployment")
        #expect(d.resolve("deployments.extensions") == nil)
        #expect(d.resolve(apiVersion: "autoscaling/v1", kind: "HorizontalPodAutoscaler")?.version == "v1")
        #expect(d.category("all").count == 2)
        #expect(d.resolve("deploy")?.path(namespace: "ns", name: "x", subresource: "scale") == "/apis/apps/v1/namespaces/ns/deployments/x/scale")
    }
}
