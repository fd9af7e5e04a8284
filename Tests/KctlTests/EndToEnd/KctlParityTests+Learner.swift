import Foundation
import KplaneTestSupport
import Testing

/// What a learner's walk-through met: diff, wait by selector, edit refusals, old ReplicaSets in
/// describe, revision templates, YAML error lines and explain, each against real kubectl 1.32.
extension KctlParityTests {
    typealias Output = (code: Int32, out: String, err: String)

    /// Runs the same command with kctl and kubectl and expects the same exit code, stdout and
    /// stderr once `normalize` has hidden what differs between any two runs (temporary names).
    @discardableResult
    func expectSame(_ server: ServerProcess, _ args: [String], env: [String: String] = [:], stdin: String? = nil,
                    normalize: (String) -> String = { $0 }, sourceLocation: SourceLocation = #_sourceLocation) throws -> Output {
        func run(_ binary: String) throws -> Output {
            let r = try ServerProcess.run(binary, ["--kubeconfig", server.kubeconfig] + args, stdin: stdin, env: env)
            return (r.code, normalize(r.out), normalize(r.err))
        }
        let ours = try run(KctlRunner.binary), theirs = try run(Kubectl.v132)
        #expect(ours.out == theirs.out, "stdout of \(args.joined(separator: " "))", sourceLocation: sourceLocation)
        #expect(ours.err == theirs.err, "stderr of \(args.joined(separator: " "))", sourceLocation: sourceLocation)
        #expect(ours.code == theirs.code, "exit code of \(args.joined(separator: " "))", sourceLocation: sourceLocation)
        return ours
    }

    static func replacing(_ s: String, _ pattern: String, with template: String) -> String {
        s.replacingOccurrences(of: pattern, with: template, options: .regularExpression)
    }

    static func file(_ text: String, in dir: String = temporaryDirectory(), name: String = "m.yaml") throws -> String {
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func diffShowsWhatApplyWouldChange() throws {
        let server = try ServerProcess()
        let kubectl = Kubectl(binary: Kubectl.v132, server: server)
        let deployment = kubectl.manifests + "/deployment.yaml"
        try kubectl("apply", "-f", deployment)
        try kubectl("create", "secret", "generic", "creds", "--from-literal=password=old", "--from-literal=user=admin")
        let tmp = temporaryDirectory()
        // Temporary folders, file times and what a dry-run create makes up differ between runs.
        let mask: (String) -> String = { s in
            var s = Self.replacing(s, "(LIVE|MERGED)-[0-9]+", with: "$1-X")
            s = Self.replacing(s, "\t[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:.]+ [+-][0-9]{4}", with: "\tDATE")
            return Self.replacing(s, "(?m)^\\+  (uid|creationTimestamp): .*$", with: "+  $1: X")
        }
        let scaled = try Self.file(try String(contentsOfFile: deployment, encoding: .utf8).replacingOccurrences(of: "replicas: 3", with: "replicas: 4"))
        let secret = try Self.file("apiVersion: v1\nkind: Secret\nmetadata: {name: creds}\nstringData: {password: new, user: admin}\n")
        let env = ["TMPDIR": tmp]
        let unchanged = try expectSame(server, ["diff", "-f", deployment], env: env, normalize: mask)
        #expect(unchanged.code == 0 && unchanged.out.isEmpty)
        // A client dry run of apply says "configured" for an object that exists, changed or not.
        #expect(try expectSame(server, ["apply", "-f", deployment, "--dry-run=client"]).out == "deployment.apps/myapp configured (dry run)\n")
        let changed = try expectSame(server, ["diff", "-f", scaled], env: env, normalize: mask)
        #expect(changed.code == 1 && changed.out.contains("-  replicas: 3\n+  replicas: 4\n"))
        let created = try expectSame(server, ["diff", "-f", kubectl.manifests + "/config.yaml"], env: env, normalize: mask)
        #expect(created.code == 1 && created.out.contains("+  database-url: '***'") && !created.out.contains("postgres"))
        let rotated = try expectSame(server, ["diff", "-f", secret], env: env, normalize: mask)
        #expect(rotated.out.contains("-  password: '*** (before)'\n+  password: '*** (after)'\n") && rotated.out.contains(" user: '***'"))
        try expectSame(server, ["diff", "--server-side", "-f", scaled], env: env, normalize: mask)
        try expectSame(server, ["diff", "-f", kubectl.manifests + "/hpa.yaml", "-f", kubectl.manifests + "/service-ingress.yaml"], env: env, normalize: mask)
        try expectSame(server, ["diff", "-f", scaled], env: ["TMPDIR": tmp, "KUBECTL_EXTERNAL_DIFF": "diff -q"], normalize: mask)
        let noProgram = try expectSame(server, ["diff", "-f", scaled], env: ["TMPDIR": tmp, "KUBECTL_EXTERNAL_DIFF": "no-such-diff"], normalize: mask)
        #expect(noProgram.code == 2 && noProgram.err == "error: failed to run \"no-such-diff\": executable file not found in $PATH\n")
        let missing = try expectSame(server, ["diff", "-f", tmp + "/nope.yaml"], env: env, normalize: mask)
        #expect(missing.code == 2)
        let usage = try ServerProcess.run(KctlRunner.binary, ["diff", "--bogus"])
        #expect(usage.code == 2 && usage.err.hasPrefix("error: unknown option '--bogus'\n"))
        // Nothing was applied, and the folders compared are gone.
        #expect(try kubectl("get", "deploy", "myapp", "-o", "jsonpath={.spec.replicas}").out == "3")
        #expect(try kubectl("get", "cm").out.contains("myapp-config") == false)
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp).isEmpty)
    }

    /// Starts `wait` with both tools, runs `act`, and compares what they printed once both ended.
    func expectSameWhileActing(_ server: ServerProcess, _ args: [String], act: () throws -> Void) throws {
        func start(_ binary: String) throws -> (Process, Pipe, Pipe) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: binary)
            p.arguments = ["--kubeconfig", server.kubeconfig] + args
            let out = Pipe(), err = Pipe()
            p.standardOutput = out
            p.standardError = err
            try p.run()
            return (p, out, err)
        }
        let ours = try start(KctlRunner.binary), theirs = try start(Kubectl.v132)
        Thread.sleep(forTimeInterval: 1.5)
        try act()
        func finish(_ r: (Process, Pipe, Pipe)) -> Output {
            r.0.waitUntilExit()
            return (r.0.terminationStatus, String(decoding: r.1.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self),
                    String(decoding: r.2.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
        }
        let a = finish(ours), b = finish(theirs)
        #expect(a.out == b.out && a.err == b.err && a.code == b.code, "kctl \(a) kubectl \(b)")
    }

    @Test func waitTakesSelectorsAndAllAndSaysConditionMet() throws {
        let server = try ServerProcess()
        let kubectl = Kubectl(binary: Kubectl.v132, server: server)
        try kubectl("apply", "-f", kubectl.manifests + "/deployment.yaml")
        let configMaps = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c1, labels: {grp: x}}\ndata: {a: b}\n---\n"
            + "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c2, labels: {grp: x}}\ndata: {a: b}\n"
        try kubectl("apply", "-f", "-", stdin: configMaps)
        let selected = try expectSame(server, ["wait", "--for=jsonpath={.data.a}=b", "cm", "-l", "grp=x"])
        #expect(selected.out == "configmap/c1 condition met\nconfigmap/c2 condition met\n")
        try expectSame(server, ["wait", "--for=jsonpath={.spec.replicas}=3", "deploy", "--all"])
        let gone = try expectSame(server, ["wait", "--for=delete", "pod/missing"])
        #expect(gone.code == 0 && gone.out.isEmpty && gone.err.isEmpty)
        let none = try expectSame(server, ["wait", "--for=condition=Ready", "pods", "-l", "app=none"])
        #expect(none.code == 1 && none.err == "error: no matching resources found\n")
        let late = try expectSame(server, ["wait", "--for=condition=Available", "deploy/myapp", "--timeout=1s"])
        #expect(late.err == "error: timed out waiting for the condition on deployments/myapp\n")
        try expectSame(server, ["wait", "--for=condition=Available", "deploy/myapp", "--timeout=0"])
        try expectSame(server, ["wait", "--for=condition=Available", "deploy/nope"])
        try expectSame(server, ["wait", "--for=bogus", "deploy/myapp"])
        try expectSameWhileActing(server, ["wait", "--for=delete", "cm", "-l", "grp=x", "--timeout=20s"]) { () throws in
            #expect(try kubectl("delete", "cm", "-l", "grp=x").code == 0)
        }
        // --for=create: there later, there already, or not in time. kubectl gives up at once
        // when more than one named object is missing.
        let twoMissing = try expectSame(server, ["wait", "--for=create", "cm/c1", "cm/c2", "--timeout=20s"])
        #expect(twoMissing.code == 1 && twoMissing.err == "Error from server (NotFound): configmaps \"c1\" not found\nError from server (NotFound): configmaps \"c2\" not found\n")
        try expectSameWhileActing(server, ["wait", "--for=create", "cm/c1", "--timeout=20s"]) { () throws in
            #expect(try kubectl("apply", "-f", "-", stdin: configMaps).code == 0)
        }
        try expectSame(server, ["wait", "--for=create", "cm", "-l", "grp=x"])
        try expectSame(server, ["wait", "--for=create", "cm", "-l", "grp=none"])
        let never = try expectSame(server, ["wait", "--for=create", "cm/c1", "cm/never", "--timeout=1s"])
        #expect(never.code == 1 && never.out.isEmpty && never.err == "error: timed out waiting for the condition\n")
        try expectSame(server, ["wait", "--for=create", "cm/never", "--timeout=0"])
        try expectSameWhileActing(server, ["wait", "--for=jsonpath={.data.a}=changed", "cm/c1", "--timeout=20s"]) { () throws in
            #expect(try kubectl("patch", "cm", "c1", "-p", "{\"data\":{\"a\":\"changed\"}}").code == 0)
        }
    }

    @Test func editSaysWhatTheServerRefusedAsKubectlDoes() throws {
        let server = try ServerProcess()
        let kubectl = Kubectl(binary: Kubectl.v132, server: server)
        try kubectl("apply", "-f", kubectl.manifests + "/deployment.yaml")
        // The temporary file's name and the tool's own name differ; the rest must not.
        let mask: (String) -> String = { s in
            Self.replacing(Self.replacing(s, "/(kubectl|kctl)-edit-[0-9]+\\.yaml", with: "/EDIT.yaml"), "`(kubectl|kctl) replace", with: "`TOOL replace")
        }
        func edit(_ editor: String) throws -> Output {
            try expectSame(server, ["edit", "deploy/myapp"], env: ["KUBE_EDITOR": editor], normalize: mask)
        }
        let typo = try edit("sed -i s/replicas:.3/replicass:\\ 2/")
        #expect(typo.code == 1 && typo.err.contains("could not be patched: ") && typo.err.contains("unknown field \"spec.replicass\""))
        #expect(typo.err.hasSuffix("You can run `TOOL replace -f /tmp/EDIT.yaml` to try this update again.\n"))
        let invalid = try edit("sed -i s/replicas:.3/replicas:\\ -1/")
        #expect(invalid.err.hasPrefix("error: deployments.apps \"myapp\" is invalid\nA copy of your changes has been stored to"))
        let unchanged = try edit("true")
        #expect(unchanged.code == 0 && unchanged.err == "Edit cancelled, no changes made.\n")
        // A file that is empty or has no kind fails kubectl's own check before anything is sent.
        let emptied = try edit("truncate -s 0")
        #expect(emptied.code == 1 && emptied.err.hasSuffix("error: Edit cancelled, no valid changes were saved.\n"))
        _ = try edit("sed -i /^kind:/d")
        let renamed = try edit("sed -i s/^..name:.myapp/\\ \\ name:\\ other/")
        #expect(renamed.err.hasSuffix("error: At least one of apiVersion, kind and name was changed\n"))
        #expect(try kubectl("get", "deploy", "myapp", "-o", "jsonpath={.spec.replicas}").out == "3")
        // What edit suggests: replace -f with the edited object.
        let live = try kubectl("get", "deploy", "myapp", "-o", "yaml").out
        let edited = try Self.file(live.replacingOccurrences(of: "replicas: 3", with: "replicas: 2"))
        let replaced = try ServerProcess.run(KctlRunner.binary, ["--kubeconfig", server.kubeconfig, "replace", "-f", edited])
        #expect(replaced.out == "deployment.apps/myapp replaced\n", "\(replaced.err)")
        #expect(try kubectl("get", "deploy", "myapp", "-o", "jsonpath={.spec.replicas}").out == "2")
        let stale = try expectSame(server, ["replace", "-f", edited])
        #expect(stale.code == 1 && stale.err.hasPrefix("Error from server (Conflict): error when replacing"))
        // Without a resourceVersion, the live one is taken: the file wins.
        let unversioned = try Self.file(Self.replacing(live, "(?m)^  resourceVersion: .*\n", with: ""))
        try expectSame(server, ["replace", "-f", unversioned])
        #expect(try kubectl("get", "deploy", "myapp", "-o", "jsonpath={.spec.replicas}").out == "3")
        let missing = try expectSame(server, ["replace", "-f", try Self.file("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: nope}\n")])
        #expect(missing.code == 1 && missing.err.hasPrefix("Error from server (NotFound): error when replacing"))
    }

    /// A ReplicaSet the deployment controller could have made: the Deployment's own template
    /// with another image, its hash label and revision.
    func revisionOf(_ kubectl: Kubectl, revision: Int, image: String, replicas: Int) throws {
        let d = try JSONSerialization.jsonObject(with: Data(try kubectl("get", "deploy", "myapp", "-o", "json").out.utf8)) as? [String: Any] ?? [:]
        let meta = d["metadata"] as? [String: Any] ?? [:], spec = d["spec"] as? [String: Any] ?? [:]
        var template = spec["template"] as? [String: Any] ?? [:]
        var templateMeta = template["metadata"] as? [String: Any] ?? [:]
        templateMeta["labels"] = ["app": "myapp", "pod-template-hash": "rev\(revision)"]
        template["metadata"] = templateMeta
        var podSpec = template["spec"] as? [String: Any] ?? [:]
        var containers = podSpec["containers"] as? [[String: Any]] ?? []
        containers[0]["image"] = image
        podSpec["containers"] = containers
        template["spec"] = podSpec
        let rs: [String: Any] = [
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": ["name": "myapp-rev\(revision)", "labels": ["app": "myapp", "pod-template-hash": "rev\(revision)"],
                         "annotations": ["deployment.kubernetes.io/revision": "\(revision)", "kubernetes.io/change-cause": "release \(revision)"],
                         "ownerReferences": [["apiVersion": "apps/v1", "kind": "Deployment", "name": "myapp", "uid": meta["uid"] ?? "", "controller": true]]],
            "spec": ["replicas": replicas, "selector": ["matchLabels": ["app": "myapp", "pod-template-hash": "rev\(revision)"]], "template": template],
        ]
        let json = String(decoding: try JSONSerialization.data(withJSONObject: rs), as: UTF8.self)
        #expect(try kubectl("create", "-f", "-", stdin: json).code == 0)
    }

    @Test func describeAndHistoryShowEveryRevisionAsKubectlDoes() throws {
        let server = try ServerProcess()
        let kubectl = Kubectl(binary: Kubectl.v132, server: server)
        try kubectl("apply", "-f", kubectl.manifests + "/deployment.yaml")
        try revisionOf(kubectl, revision: 1, image: "myapp:0.9.0", replicas: 0)
        try revisionOf(kubectl, revision: 2, image: "myapp:1.0.0", replicas: 3)
        try revisionOf(kubectl, revision: 3, image: "myapp:0.8.0", replicas: 0)
        try kubectl("annotate", "deploy", "myapp", "deployment.kubernetes.io/revision=3")
        let described = try expectSame(server, ["describe", "deploy/myapp"])
        #expect(described.out.contains(" myapp-rev1 (0/0 replicas created), myapp-rev3 (0/0 replicas created)\n"))
        #expect(Self.replacing(described.out, "NewReplicaSet: +", with: "NewReplicaSet: ").contains("NewReplicaSet: myapp-rev2 (0/3 replicas created)\n"))
        for args in [["rollout", "history", "deploy/myapp"], ["rollout", "history", "deploy/myapp", "--revision=1"],
                     ["rollout", "history", "deploy/myapp", "--revision=3"], ["rollout", "history", "deploy/myapp", "--revision=7"],
                     ["rollout", "undo", "deploy/myapp", "--dry-run=server"], ["rollout", "undo", "deploy/myapp", "--dry-run=client"],
                     ["rollout", "undo", "deploy/myapp", "--to-revision=2", "--dry-run=server"], ["rollout", "undo", "deploy/myapp", "--to-revision=-1"]] {
            try expectSame(server, args)
        }
        #expect(try kubectl("get", "deploy", "myapp", "-o", "jsonpath={.spec.template.spec.containers[0].image}").out == "myapp:1.0.0")
        // Every way an environment variable can be set, aligned as kubectl aligns it.
        let envs = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: envs}
            spec:
              selector: {matchLabels: {app: envs}}
              template:
                metadata: {labels: {app: envs}}
                spec:
                  containers:
                  - name: c
                    image: nginx
                    resources: {limits: {cpu: 1500m, memory: 300Mi}}
                    envFrom: [{configMapRef: {name: cfg}}, {secretRef: {name: sec, optional: true}, prefix: S_}]
                    env:
                    - {name: A, valueFrom: {secretKeyRef: {name: s, key: k}}}
                    - {name: LONGER_NAME, valueFrom: {secretKeyRef: {name: another-secret, key: much-longer-key}}}
                    - {name: C, valueFrom: {configMapKeyRef: {name: cm, key: x, optional: true}}}
                    - {name: POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
                    - {name: LCPU, valueFrom: {resourceFieldRef: {resource: limits.cpu}}}
                    - {name: LMEM, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}}
                    - {name: RMEM, valueFrom: {resourceFieldRef: {resource: requests.memory}}}
                    - {name: RCPU, valueFrom: {resourceFieldRef: {resource: requests.cpu, divisor: 1m}}}
            """
        try kubectl("apply", "-f", "-", stdin: envs)
        try expectSame(server, ["describe", "deploy/envs"])
    }

    @Test func manifestErrorsNameTheLinesKubectlNames() throws {
        let server = try ServerProcess()
        let dir = temporaryDirectory()
        let broken = [
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: [\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n data: {a: b}\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\ndata:\n  a: \"b\n  c: d\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: b\n   c: d\n",
            "kind: ConfigMap\napiVersion: v1\nmetadata: {name: x\n",
            "\tkind: ConfigMap\n",
            "\"just a string\"\n",
            "--- {a: b}\nkind: x\n",
            "# a comment\n---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: z}\n",
        ]
        var files: [String] = []
        for (i, text) in broken.enumerated() {
            let f = try Self.file(text, in: dir, name: "m\(i).yaml")
            files.append(f)
            try expectSame(server, ["apply", "-f", f, "--dry-run=client"])
        }
        // The objects before a broken document are still applied; every failure is reported after them.
        let several = try expectSame(server, ["apply", "-f", files[2], "-f", files[0], "-f", Kubectl.manifestsFolder + "/deployment.yaml", "--dry-run=client"])
        #expect(several.out == "configmap/x created (dry run)\ndeployment.apps/myapp created (dry run)\n")
        #expect(several.err.hasPrefix("error parsing \(files[2]): error converting YAML to JSON: yaml: line 8: found unexpected end of stream\n"))
        try expectSame(server, ["create", "-f", files[2], "-f", files[0], "--dry-run=client"])
    }

    @Test func explainDescribesEveryFieldLearnersMeet() throws {
        let server = try ServerProcess()
        for target in ["deployment", "deployment.spec", "deployment.spec.strategy.rollingUpdate", "deployment.status", "deployment.metadata",
                       "replicaset.spec", "pod.spec", "pod.spec.containers", "pod.spec.containers.livenessProbe", "pod.spec.containers.env.valueFrom",
                       "pod.spec.containers.resources", "pod.spec.containers.ports", "pod.spec.volumes", "pod.spec.volumes.configMap", "pod.status",
                       "service", "service.spec", "service.spec.ports", "ingress.spec.rules.http.paths.backend", "hpa.spec", "hpa.spec.metrics.resource.target",
                       "configmap", "secret", "namespace.status", "deployment.metadata.ownerReferences"] {
            let r = try expectSame(server, ["explain", target])
            #expect(r.code == 0 && !r.out.contains("<no description>") && !r.out.contains("<empty>"), "kubectl explain \(target)")
        }
        let spec = try expectSame(server, ["explain", "pod.spec.serviceAccountName"])
        #expect(spec.out.contains("The ServiceAccount the Pod runs as"))
    }

    @Test func podsShowTheirServiceAccount() throws {
        let server = try ServerProcess()
        let kubectl = Kubectl(binary: Kubectl.v132, server: server)
        try kubectl("run", "nginx", "--image=nginx")
        #expect(try kubectl("get", "pod", "nginx", "-o", "jsonpath={.spec.serviceAccountName} {.spec.serviceAccount}").out == "default default")
        let described = try expectSame(server, ["describe", "pod/nginx"])
        #expect(described.out.contains("\nService Account:  default\n"))
        // The accounts themselves, with the secrets they name marked when missing.
        try kubectl("create", "secret", "generic", "registry", "--from-literal=a=b")
        try kubectl("apply", "-f", "-", stdin: "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: robot}\nimagePullSecrets: [{name: registry}, {name: gone}]\nsecrets: [{name: mounted}]\n")
        for args in [["describe", "sa", "default"], ["describe", "sa", "robot"], ["describe", "sa"], ["get", "sa"]] {
            try expectSame(server, args, normalize: maskAges)
        }
        // kplane apiserver alone is as kube-apiserver alone: a new namespace has no default ServiceAccount.
        try kubectl("create", "namespace", "team")
        let refused = try kubectl("run", "web", "--image=nginx", "-n", "team")
        #expect(refused.code == 1 && refused.err.contains("pods \"web\" is forbidden: error looking up service account team/default: serviceaccount \"default\" not found"))
    }
}
