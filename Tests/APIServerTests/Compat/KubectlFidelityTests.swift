import Foundation
import KplaneTestSupport
import Testing

/// Real kubectl, old and new, on the paths that need kube-apiserver's exact behaviour: OpenAPI v2
/// for kubectl 1.27/1.28, a misspelt kind, `rollout undo --to-revision`, `autoscale`.
@Suite(.serialized, .offPool) struct KubectlFidelityTests {
    static let sdk = "/usr/lib/google-cloud-sdk/bin"
    func lines(_ s: String) -> [String] { s.split(separator: "\n").map(String.init) }

    @Test(arguments: ["1.27", "1.28"])
    func oldKubectlAppliesWithOpenAPIV2(version: String) throws {
        let binary = "\(Self.sdk)/kubectl.\(version)"
        guard FileManager.default.isExecutableFile(atPath: binary) else { return }
        let server = try ServerProcess()
        let k = Kubectl(binary: binary, server: server)
        let applied = try k("apply", "-f", k.manifests)
        #expect(applied.code == 0, "\(applied.err)")
        #expect(applied.out.contains("deployment.apps/myapp created"))
        #expect(try k("apply", "-f", k.manifests).out.contains("deployment.apps/myapp unchanged"))
        // A List is validated on the client against /openapi/v2's definitions.
        let list = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: ConfigMap
              metadata: {name: listed}
              data: {a: "1"}
            - apiVersion: apps/v1
              kind: Deployment
              metadata: {name: listed}
              spec:
                selector: {matchLabels: {app: listed}}
                template:
                  metadata: {labels: {app: listed}}
                  spec:
                    containers:
                    - {name: app, image: "nginx:1.25", ports: [{containerPort: 80}], resources: {limits: {cpu: 500m}}}

            """
        let listed = try k("apply", "-f", "-", stdin: list)
        #expect(listed.code == 0, "\(listed.err)")
        #expect(listed.out == "configmap/listed created\ndeployment.apps/listed created\n")
        let typo = try k("apply", "-f", "-", stdin: list.replacingOccurrences(of: "data: {a", with: "dta: {a"))
        #expect(typo.code == 1 && typo.err.contains("unknown field \"dta\" in io.k8s.api.core.v1.ConfigMap"), "\(typo.err)")
        let explain = try k("explain", "deployment.spec.strategy")
        #expect(explain.code == 0 && explain.out.contains("rollingUpdate"), "\(explain.err)")
    }

    @Test(arguments: ["1.27", "1.28", "1.32", "1.37"])
    func misspeltKindIsNoMatchesForKind(version: String) throws {
        let binary = switch version {
        case "1.32": Kubectl.v132
        case "1.37": Kubectl.v137 ?? ""
        default: "\(Self.sdk)/kubectl.\(version)"
        }
        guard FileManager.default.isExecutableFile(atPath: binary) else { return }
        let server = try ServerProcess()
        let k = Kubectl(binary: binary, server: server)
        let r = try k("apply", "-f", "-", stdin: "apiVersion: apps/v1\nkind: Deploymnet\nmetadata:\n  name: x\nspec: {}\n")
        #expect(r.code == 1)
        #expect(r.err.contains("no matches for kind \"Deploymnet\" in version \"apps/v1\""), "\(r.err)")
    }

    @Test func undoToARevisionReusesItsReplicaSet() throws {
        let server = try ServerProcess(role: "up", extraArgs: ["--nodes", "3", "--probe-delay-scale", "0.05"])
        let k = Kubectl(binary: Kubectl.v132, server: server)
        // No `resources` in the manifest: kubectl sends `resources: {}` back on undo.
        let manifest = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 1
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - {name: web, image: "nginx:1.25"}

            """
        #expect(try k("apply", "-f", "-", stdin: manifest).code == 0)
        #expect(try k("rollout", "status", "deployment/web", "--timeout=30s").code == 0)
        let first = try k("get", "rs", "-l", "app=web", "-o", "jsonpath={.items[0].metadata.name}").out
        #expect(try k("set", "image", "deployment/web", "web=nginx:1.26").code == 0)
        #expect(try k("rollout", "status", "deployment/web", "--timeout=30s").code == 0)
        #expect(try k("rollout", "undo", "deployment/web", "--to-revision=1").out == "deployment.apps/web rolled back\n")
        #expect(try k("rollout", "status", "deployment/web", "--timeout=30s").code == 0)
        let rss = lines(try k("get", "rs", "-l", "app=web", "--no-headers", "-o", "custom-columns=NAME:.metadata.name,REV:.metadata.annotations.deployment\\.kubernetes\\.io/revision").out)
        #expect(rss.count == 2, "\(rss)")
        #expect(rss.contains("\(first)   3"), "\(rss)")
        let history = lines(try k("rollout", "history", "deployment/web").out).filter { $0.first?.isNumber == true }.map { String($0.prefix(1)) }
        #expect(history == ["2", "3"])
        #expect(try k("describe", "deployment", "web").out.contains("NewReplicaSet:   \(first) (1/1 replicas created)"))
    }

    @Test func autoscaleWithoutCPUPercentTargetsEightyPercent() throws {
        let server = try ServerProcess()
        let k = Kubectl(binary: Kubectl.v132, server: server)
        #expect(try k("apply", "-f", k.manifests + "/deployment.yaml").code == 0)
        let r = try k("autoscale", "deployment", "myapp", "--max=5")
        #expect(r.code == 0, "\(r.err)")
        #expect(try k("get", "hpa", "myapp").out.contains("cpu: <unknown>/80%"))
    }
}
