import Foundation
import KplaneTestSupport
import Testing

/// `kctl` against `kplane apiserver`, checked line by line against real kubectl 1.32.
@Suite(.serialized, .offPool) struct KctlParityTests {
    /// The kctl runner of the support target (`Kctl` alone is kctl's own command here).
    typealias Kctl = KctlRunner

    @Test func getMatchesKubectlForEveryKindAndFormat() throws {
        let server = try ServerProcess()
        let kctl = Kctl(server: server)
        let kubectl = Kubectl(binary: Kubectl.v132, server: server)
        let applied = try kctl("apply", "-f", kubectl.manifests)
        #expect(applied.code == 0, "\(applied.err)")
        #expect(applied.out.contains("deployment.apps/myapp created"))
        for type in ["deploy", "svc", "ing", "hpa", "cm", "secret", "ns", "all", "deploy,svc"] {
            for format in ["", "wide", "yaml", "json", "name"] {
                let args = format.isEmpty ? ["get", type] : ["get", type, "-o", format]
                let ours = try kctl.run(args)
                let theirs = try kubectl.run(args)
                #expect(maskAges(ours.out) == maskAges(theirs.out), "kctl \(args.joined(separator: " "))")
                #expect(ours.code == theirs.code)
            }
        }
        for args in [["get", "cm", "-A"], ["get", "deploy", "--show-labels"], ["get", "deploy", "myapp", "-o", "jsonpath={.spec.replicas}"],
                     ["get", "deploy", "-l", "app=nope"], ["get", "cm", "myapp-config", "-o", "yaml"]] {
            let ours = try kctl.run(args)
            let theirs = try kubectl.run(args)
            #expect(maskAges(ours.out) == maskAges(theirs.out), "kctl \(args.joined(separator: " "))")
            #expect(ours.err == theirs.err)
        }
    }

    @Test func describeMatchesKubectl() throws {
        let server = try ServerProcess()
        let kctl = Kctl(server: server)
        let kubectl = Kubectl(binary: Kubectl.v132, server: server)
        try kubectl("apply", "-f", kubectl.manifests)
        try kubectl("run", "nginx", "--image=nginx")
        for target in ["deploy/myapp", "svc/myapp", "ing/myapp", "hpa/myapp-hpa", "cm/myapp-config", "secret/myapp-secrets", "ns/default", "pod/nginx", "deploy", "svc"] {
            let ours = try kctl("describe", target)
            let theirs = try kubectl("describe", target)
            // kubectl prints ConfigMap and Secret data in Go map order, which is random; kctl sorts.
            let mapOrdered = target.hasPrefix("cm/") || target.hasPrefix("secret/")
            let normalize: (String) -> String = { mapOrdered ? $0.split(separator: "\n", omittingEmptySubsequences: false).sorted().joined(separator: "\n") : $0 }
            #expect(normalize(ours.out) == normalize(theirs.out), "kctl describe \(target)")
            #expect(ours.code == theirs.code)
        }
        for target in ["deployment", "deployment.spec.strategy", "deployment.spec.strategy.rollingUpdate", "svc.spec.ports", "pod.spec.containers.resources"] {
            #expect(try kctl("explain", target).out == kubectl("explain", target).out, "kctl explain \(target)")
        }
        let missing = try kctl("describe", "deploy", "nope")
        #expect(missing.code == 1 && missing.err == "Error from server (NotFound): deployments.apps \"nope\" not found\n")
    }

    @Test func applyTakesTurnsWithKubectl() throws {
        let server = try ServerProcess()
        let kctl = Kctl(server: server)
        let kubectl = Kubectl(binary: Kubectl.v132, server: server)
        let file = kubectl.manifests + "/deployment.yaml"
        #expect(try kctl("apply", "-f", file).out == "deployment.apps/myapp created\n")
        #expect(try kubectl("apply", "-f", file).out == "deployment.apps/myapp unchanged\n")
        let edited = try String(contentsOfFile: file, encoding: .utf8)
            .replacingOccurrences(of: "        - name: NODE_ENV\n          value: \"production\"\n", with: "")
            .replacingOccurrences(of: "replicas: 3", with: "replicas: 2")
        #expect(try kubectl("apply", "-f", "-", stdin: edited).out == "deployment.apps/myapp configured\n")
        #expect(try kctl("apply", "-f", "-", stdin: edited).out == "deployment.apps/myapp unchanged\n")
        // kctl removes a field that kubectl applied, and kubectl sees no difference afterwards.
        #expect(try kctl("apply", "-f", file).out == "deployment.apps/myapp configured\n")
        #expect(try kubectl("get", "deploy", "myapp", "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].env[*].name}").out == "3 NODE_ENV DATABASE_URL")
        #expect(try kubectl("apply", "-f", file).out == "deployment.apps/myapp unchanged\n")
        let noEnv = try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(of: "        - name: NODE_ENV\n          value: \"production\"\n", with: "")
        #expect(try kctl("apply", "-f", "-", stdin: noEnv).out == "deployment.apps/myapp configured\n")
        #expect(try kubectl("get", "deploy", "myapp", "-o", "jsonpath={.spec.template.spec.containers[0].env[*].name}").out == "DATABASE_URL")
    }

    @Test func writeVerbsPrintWhatKubectlPrints() throws {
        let server = try ServerProcess()
        let kctl = Kctl(server: server)
        let kubectl = Kubectl(binary: Kubectl.v132, server: server)
        try kctl("apply", "-f", kubectl.manifests + "/deployment.yaml")
        #expect(try kctl("set", "image", "deployment/myapp", "myapp=myapp:2.0.0").out == "deployment.apps/myapp image updated\n")
        #expect(try kctl("scale", "deploy", "myapp", "--replicas=5").out == "deployment.apps/myapp scaled\n")
        #expect(try kctl("label", "deploy", "myapp", "tier=web").out == "deployment.apps/myapp labeled\n")
        #expect(try kctl("label", "deploy", "myapp", "tier=db").code == 1)
        #expect(try kctl("annotate", "deploy", "myapp", "kubernetes.io/change-cause=v2").out == "deployment.apps/myapp annotated\n")
        #expect(try kubectl("get", "deploy", "myapp", "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.metadata.labels.tier} {.metadata.generation}").out == "5 myapp:2.0.0 web 3")
        #expect(try kctl("set", "env", "deployment/myapp", "MODE=test", "NODE_ENV-").out == "deployment.apps/myapp env updated\n")
        #expect(try kubectl("get", "deploy", "myapp", "-o", "jsonpath={.spec.template.spec.containers[0].env[*].name}").out == "DATABASE_URL MODE")
        #expect(try kctl("create", "configmap", "c1", "--from-literal=a=b").out == "configmap/c1 created\n")
        #expect(try kctl("create", "secret", "generic", "s1", "--from-literal=password=hunter2").out == "secret/s1 created\n")
        #expect(try kubectl("get", "secret", "s1", "-o", "jsonpath={.data.password}").out == "aHVudGVyMg==")
        #expect(try kctl("create", "namespace", "team").out == "namespace/team created\n")
        #expect(try kctl("create", "deployment", "web", "--image=nginx:1.25", "--replicas=2").out == "deployment.apps/web created\n")
        #expect(try kctl("delete", "deploy", "web", "--cascade=foreground").out == "deployment.apps \"web\" deleted\n")
        #expect(try kctl("delete", "-f", kubectl.manifests + "/deployment.yaml").out == "deployment.apps \"myapp\" deleted\n")
        #expect(try kctl("get", "deploy").err == "No resources found in default namespace.\n")
    }

    /// ReplicaSets made by the test stand in for the deployment controller (issue #4).
    func ownedReplicaSet(_ kubectl: Kubectl, uid: String, revision: Int, image: String) throws {
        let yaml = """
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata:
              name: myapp-rev\(revision)
              labels: {app: myapp, pod-template-hash: rev\(revision)}
              annotations: {deployment.kubernetes.io/revision: "\(revision)", kubernetes.io/change-cause: "release \(revision)"}
              ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: myapp, uid: "\(uid)", controller: true, blockOwnerDeletion: true}]
            spec:
              replicas: 0
              selector: {matchLabels: {app: myapp, pod-template-hash: rev\(revision)}}
              template:
                metadata: {labels: {app: myapp, pod-template-hash: rev\(revision)}}
                spec:
                  containers: [{name: myapp, image: "\(image)"}]
            """
        #expect(try kubectl("create", "-f", "-", stdin: yaml).code == 0)
    }

    @Test func rolloutHistoryUndoAndControl() throws {
        let server = try ServerProcess()
        let kctl = Kctl(server: server)
        let kubectl = Kubectl(binary: Kubectl.v132, server: server)
        try kubectl("apply", "-f", kubectl.manifests + "/deployment.yaml")
        let uid = try kubectl("get", "deploy", "myapp", "-o", "jsonpath={.metadata.uid}").out
        try ownedReplicaSet(kubectl, uid: uid, revision: 1, image: "myapp:1.0.0")
        try ownedReplicaSet(kubectl, uid: uid, revision: 2, image: "myapp:2.0.0")
        try kubectl("annotate", "deploy", "myapp", "deployment.kubernetes.io/revision=2")
        for args in [["rollout", "history", "deploy/myapp"], ["rollout", "history", "deploy/myapp", "--revision=1"]] {
            #expect(try kctl.run(args).out == kubectl.run(args).out, "\(args)")
        }
        #expect(try kctl("rollout", "undo", "deploy/myapp").out == "deployment.apps/myapp rolled back\n")
        #expect(try kubectl("get", "deploy", "myapp", "-o", "jsonpath={.spec.template.spec.containers[0].image} {.metadata.annotations.kubernetes\\.io/change-cause}").out == "myapp:1.0.0 release 1")
        let missing = try kctl("rollout", "undo", "deploy/myapp", "--to-revision=9")
        #expect(missing.code == 1 && missing.err == "error: unable to find specified revision 9 in history\n")
        #expect(try kctl("rollout", "pause", "deploy/myapp").out == "deployment.apps/myapp paused\n")
        #expect(try kctl("rollout", "pause", "deploy/myapp").err == "error: deployments.apps \"myapp\" is already paused\n")
        #expect(try kctl("rollout", "undo", "deploy/myapp").code == 1)
        #expect(try kctl("rollout", "resume", "deploy/myapp").out == "deployment.apps/myapp resumed\n")
        #expect(try kctl("rollout", "restart", "deploy/myapp").out == "deployment.apps/myapp restarted\n")
        #expect(try kubectl("get", "deploy", "myapp", "-o", "jsonpath={.spec.template.metadata.annotations}").out.contains("kubectl.kubernetes.io/restartedAt"))
        // Without a controller nothing observes the new generation: status waits, then times out.
        let status = try kctl("rollout", "status", "deploy/myapp", "--timeout=1s")
        #expect(status.code == 1 && status.out == "Waiting for deployment spec update to be observed...\n")
        #expect(status.err == "error: timed out waiting for the condition\n")
        // Once status says the rollout is complete, status exits 0 at once.
        let gen = try kubectl("get", "deploy", "myapp", "-o", "jsonpath={.metadata.generation}").out
        let statusBody = #"{"status":{"observedGeneration":\#(gen),"replicas":3,"updatedReplicas":3,"availableReplicas":3,"readyReplicas":3}}"#
        let patched = try ServerProcess.run("/usr/bin/curl", ["-s", "-XPATCH", "-H", "Content-Type: application/merge-patch+json", "--data", statusBody,
                                                              server.baseURL + "/apis/apps/v1/namespaces/default/deployments/myapp/status"])
        #expect(patched.code == 0)
        #expect(try kctl("rollout", "status", "deploy/myapp").out == "deployment \"myapp\" successfully rolled out\n")
    }

    @Test func editWaitConfigAndHelpers() throws {
        let server = try ServerProcess()
        let kctl = Kctl(server: server)
        let kubectl = Kubectl(binary: Kubectl.v132, server: server)
        try kctl("apply", "-f", kubectl.manifests + "/deployment.yaml")
        let edit = try ServerProcess.run(KctlRunner.binary, ["--kubeconfig", server.kubeconfig, "edit", "deploy/myapp"],
                                         env: ["KUBE_EDITOR": "sed -i s/replicas:.3/replicas:\\ 2/"])
        #expect(edit.out == "deployment.apps/myapp edited\n", "\(edit.err)")
        #expect(try kubectl("get", "deploy", "myapp", "-o", "jsonpath={.spec.replicas}").out == "2")
        let refused = try ServerProcess.run(KctlRunner.binary, ["--kubeconfig", server.kubeconfig, "edit", "deploy/myapp"],
                                            env: ["KUBE_EDITOR": "sed -i s/replicas:.2/replicas:\\ -1/"])
        #expect(refused.code == 1 && refused.err.contains("Edit cancelled, no valid changes were saved."))
        #expect(try kubectl("get", "deploy", "myapp", "-o", "jsonpath={.spec.replicas}").out == "2")
        #expect(try kctl("wait", "--for=jsonpath={.spec.replicas}=2", "deploy/myapp").out == "deployment.apps/myapp condition met\n")
        // Already gone: nothing to wait for and nothing to say, as kubectl.
        let gone = try kctl("wait", "--for=delete", "cm/gone", "--timeout=1s")
        #expect(gone.code == 0 && gone.out.isEmpty && gone.err.isEmpty)
        #expect(try kctl("wait", "--for=condition=Available", "deploy/myapp", "--timeout=1s").code == 1)
        #expect(try kctl("create", "service", "clusterip", "web", "--tcp=80:8080").out == "service/web created\n")
        #expect(try kubectl("create", "service", "clusterip", "web2", "--tcp=80:8080").out == "service/web2 created\n")
        #expect(try kubectl("get", "svc", "web", "-o", "jsonpath={.spec.ports[0].name} {.spec.ports[0].targetPort}").out == "80-8080 8080")
        #expect(try kctl("cluster-info").out.hasPrefix("Kubernetes control plane is running at \(server.baseURL)\n"))
        #expect(try kctl("completion", "bash").out.contains("kctl"))
        let config = temporaryDirectory() + "/config"
        try FileManager.default.copyItem(atPath: server.kubeconfig, toPath: config)
        let set = try ServerProcess.run(KctlRunner.binary, ["--kubeconfig", config, "config", "set-context", "--current", "--namespace=team"])
        #expect(set.out == "Context \"kplane\" modified.\n", "\(set.err)")
        #expect(try ServerProcess.run(KctlRunner.binary, ["--kubeconfig", config, "config", "view", "--minify", "-o", "jsonpath={.contexts[0].context.namespace}"]).out.isEmpty == false)
        #expect(try ServerProcess.run(Kubectl.v132, ["--kubeconfig", config, "config", "view", "--minify", "-o", "jsonpath={.contexts[0].context.namespace}"]).out == "team")
        #expect(try ServerProcess.run(KctlRunner.binary, ["--kubeconfig", config, "config", "current-context"]).out == "kplane\n")
    }

    @Test func autoscaleCustomColumnsAndWatch() throws {
        let server = try ServerProcess()
        let kctl = Kctl(server: server)
        let kubectl = Kubectl(binary: Kubectl.v132, server: server)
        try kctl("apply", "-f", kubectl.manifests + "/deployment.yaml")
        #expect(try kctl("autoscale", "deploy", "myapp", "--min=2", "--max=5", "--cpu-percent=60").out == "horizontalpodautoscaler.autoscaling/myapp autoscaled\n")
        #expect(try kubectl("get", "hpa", "myapp", "-o", "jsonpath={.spec.minReplicas} {.spec.maxReplicas} {.spec.metrics[0].resource.target.averageUtilization}").out == "2 5 60")
        let columns = ["get", "deploy", "-o", "custom-columns=NAME:.metadata.name,IMAGES:.spec.template.spec.containers[*].image,MISSING:.spec.nope"]
        #expect(try kctl.run(columns).out == kubectl.run(columns).out)
        #expect(try kctl.run(columns).out == "NAME    IMAGES        MISSING\nmyapp   myapp:1.0.0   <none>\n")
        let sorted = ["get", "cm", "-o", "name", "--sort-by=.metadata.name"]
        try kctl("create", "configmap", "b-cm", "--from-literal=a=1")
        try kctl("create", "configmap", "a-cm", "--from-literal=a=1")
        #expect(try kctl.run(sorted).out == kubectl.run(sorted).out)
        // get -w: the listing, then one row per change, in the listing's column widths.
        let watcher = Process()
        watcher.executableURL = URL(fileURLWithPath: KctlRunner.binary)
        watcher.arguments = ["--kubeconfig", server.kubeconfig, "--cache-dir", kctl.cacheDir, "get", "cm", "-w"]
        let out = Pipe()
        watcher.standardOutput = out
        try watcher.run()
        Thread.sleep(forTimeInterval: 1.0)
        try kctl("create", "configmap", "c-cm", "--from-literal=a=1")
        Thread.sleep(forTimeInterval: 0.7)
        watcher.terminate()
        watcher.waitUntilExit()
        let lines = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines.first == "NAME   DATA   AGE")
        #expect(lines.contains { $0.hasPrefix("c-cm   1      ") })
    }

    @Test func badInputGivesOneLineAndExitCode1() throws {
        let server = try ServerProcess()
        let kctl = Kctl(server: server)
        let unknown = try kctl("get", "widgets")
        #expect(unknown.code == 1 && unknown.err == "error: the server doesn't have a resource type \"widgets\"\n")
        let missing = try kctl("get", "deploy", "nope")
        #expect(missing.code == 1 && missing.err == "Error from server (NotFound): deployments.apps \"nope\" not found\n")
        let badFile = temporaryDirectory() + "/bad.yaml"
        try "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: [\n".write(toFile: badFile, atomically: true, encoding: .utf8)
        let parse = try kctl("apply", "-f", badFile)
        #expect(parse.code == 1 && parse.err.hasPrefix("error: error parsing \(badFile)") && !parse.err.contains("Fatal"))
        let invalid = try kctl("apply", "-f", "-", stdin: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n")
        #expect(invalid.code == 1 && invalid.err.hasPrefix("The ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value"))
        let selector = try kctl("get", "deploy", "-l", "a in b")
        #expect(selector.code == 1 && selector.err.hasPrefix("Error from server (BadRequest)"))
        let missingFlag = try kctl("scale", "deploy", "x")
        #expect(missingFlag.code == 1 && missingFlag.err.hasPrefix("error: missing expected argument '--replicas <replicas>'"))
        let unreachable = try ServerProcess.run(KctlRunner.binary, ["--server", "http://127.0.0.1:1", "get", "pods"])
        #expect(unreachable.code == 1 && unreachable.err.contains("refused"))
        #expect(try ServerProcess.run(KctlRunner.binary, ["version", "--client"]).out == "Client Version: v1.32.0+kctl\n")
    }
}

extension KctlParityTests {
    @Test func applyRecursesIntoFoldersWithR() throws {
        let server = try ServerProcess()
        let kctl = Kctl(server: server)
        let kubectl = Kubectl(binary: Kubectl.v132, server: server)
        let dir = temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: kubectl.manifests + "/config.yaml", toPath: dir + "/config.yaml")
        try FileManager.default.copyItem(atPath: kubectl.manifests + "/hpa.yaml", toPath: dir + "/sub/hpa.yaml")
        for dryRun in ["client", "server"] {
            let ours = try kctl("apply", "-f", dir, "-R", "--dry-run=\(dryRun)")
            let theirs = try kubectl("apply", "-f", dir, "-R", "--dry-run=\(dryRun)")
            #expect(ours.code == 0 && ours.out == theirs.out, "\(ours.err)")
        }
        #expect(try kctl("apply", "-f", dir).out.contains("hpa") == false)
        #expect(try kctl("apply", "-f", dir, "-R").out.contains("horizontalpodautoscaler.autoscaling/myapp-hpa created"))
    }
}
