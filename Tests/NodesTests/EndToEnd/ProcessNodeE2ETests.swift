import Foundation
import KplaneTestSupport
import Testing

/// Pods on a process-backed node are real processes, run as the kubelet runs them: restarts
/// with back-off, limits the kernel enforces, configuration errors, image pulls, probes,
/// graceful termination, and no process left behind a killed node.
@Suite(.serialized, .timeLimit(.minutes(3)), .offPool) struct ProcessNodeE2ETests {
    @Test func aCrashingCommandLoopsWithBackOffAndAMissingSecretWaits() throws {
        let c = try ProcessCluster()
        try c.apply("""
            apiVersion: v1
            kind: Pod
            metadata: {name: crash}
            spec:
              containers:
              - {name: main, image: busybox, command: ["sh", "-c", "echo about to fail; exit 3"]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: needs-secret}
            spec:
              containers:
              - name: main
                image: busybox
                command: ["sh", "-c", "echo url=$DATABASE_URL; sleep 600"]
                env: [{name: DATABASE_URL, valueFrom: {secretKeyRef: {name: myapp-secrets, key: database-url}}}]
            """)
        try c.wait("CrashLoopBackOff") { try c.get("crash", "{.status.containerStatuses[0].state.waiting.reason}") == "CrashLoopBackOff" }
        #expect(try c.get("crash", "{.status.containerStatuses[0].lastState.terminated.exitCode}") == "3")
        #expect(try c.get("crash", "{.status.containerStatuses[0].lastState.terminated.reason}") == "Error")
        #expect(try c.get("crash", "{.status.containerStatuses[0].restartCount}") == "1")
        #expect(try c.get("crash", "{.status.containerStatuses[0].state.waiting.message}").hasPrefix("back-off 10s restarting failed container=main pod=crash_default("))
        #expect(try c.events("crash").contains("BackOff: Back-off restarting failed container main in pod crash_default("))
        #expect(try c.get("crash", "{.status.phase}") == "Running")
        #expect(try c.logFile("crash").contains("stdout F about to fail"))
        // The last run's log, through the API server and the node's kubelet.
        #expect(try c.kubectl("logs", "crash", "--previous").out == "about to fail\n")
        // kubectl 1.37 and kctl print the kubelet's reason as the STATUS, as on a real cluster.
        if let v137 = Kubectl.v137 {
            #expect(try Kubectl(binary: v137, server: c.server)("get", "pod", "crash").out.contains("CrashLoopBackOff"))
        }
        let kctl = KctlRunner(server: c.server)
        #expect(try kctl("get", "pod", "crash").out.contains("CrashLoopBackOff"))
        #expect(try kctl("describe", "pod", "crash").out.contains("Back-off restarting failed container main"))

        try c.wait("CreateContainerConfigError") {
            try c.get("needs-secret", "{.status.containerStatuses[0].state.waiting.reason}") == "CreateContainerConfigError"
        }
        #expect(try c.get("needs-secret", "{.status.containerStatuses[0].state.waiting.message}") == "secret \"myapp-secrets\" not found")
        #expect(try c.events("needs-secret").contains("Failed: Error: secret \"myapp-secrets\" not found"))
        #expect(try c.kubectl("create", "secret", "generic", "myapp-secrets", "--from-literal=database-url=postgres://db").code == 0)
        try c.wait("the pod to start once its Secret exists") { try c.get("needs-secret", "{.status.phase}") == "Running" }
        try c.wait("the secret in its environment") { try c.kubectl("logs", "needs-secret").out == "url=postgres://db\n" }
    }

    @Test func aLeakPastItsMemoryLimitIsOOMKilled() throws {
        let c = try ProcessCluster()
        try c.apply("""
            apiVersion: v1
            kind: Pod
            metadata: {name: leak}
            spec:
              restartPolicy: Never
              containers:
              - name: main
                image: node:20
                command: ["node", "-e", "const a = []; setInterval(() => { a.push(Buffer.alloc(4 << 20, 1)); console.log('rss', process.memoryUsage().rss >> 20) }, 20)"]
                resources: {limits: {memory: 64Mi}}
            """)
        try c.wait("OOMKilled") { try c.get("leak", "{.status.containerStatuses[0].state.terminated.reason}") == "OOMKilled" }
        #expect(try c.get("leak", "{.status.containerStatuses[0].state.terminated.exitCode}") == "137")
        #expect(try c.get("leak", "{.status.phase}") == "Failed")
        // Killed as it crossed the limit: it printed a line per 4 MiB allocated, so a few dozen
        // lines at most (RSS counts shared pages too, so the sizes it printed say less).
        let lines = try c.logFile("leak").split(separator: "\n").filter { $0.contains("rss") }
        #expect(lines.count > 0 && lines.count < 60)
    }

    @Test func imagesThatCannotBePulledBackOff() throws {
        let c = try ProcessCluster()
        try c.apply("""
            apiVersion: v1
            kind: Pod
            metadata: {name: missing}
            spec:
              containers: [{name: main, image: "no-such-image:1.0"}]
            """)
        try c.wait("ImagePullBackOff") {
            try c.get("missing", "{.status.containerStatuses[0].state.waiting.reason}") == "ImagePullBackOff"
        }
        let events = try c.events("missing")
        #expect(events.contains("Failed: Failed to pull image \"no-such-image:1.0\": "))
        #expect(events.contains("Failed: Error: ErrImagePull") && events.contains("BackOff: Back-off pulling image \"no-such-image:1.0\""))
        #expect(try c.get("missing", "{.status.phase}") == "Pending")
    }

    @Test func probesRestartAndGateReadiness() throws {
        let c = try ProcessCluster()
        // Ready after 0.5 s; healthy for 4 s, then /health answers 500.
        let server = """
            const t0 = Date.now(); require('http').createServer((q, s) => { \
            if (q.url === '/health') { s.statusCode = Date.now() - t0 > 4000 ? 500 : 200 } \
            if (q.url === '/ready') { s.statusCode = Date.now() - t0 > 500 ? 200 : 503 } s.end('ok') }).listen(3000, process.env.POD_IP)
            """
        try c.apply("""
            apiVersion: v1
            kind: Pod
            metadata: {name: probed}
            spec:
              # node as PID 1 without a SIGTERM handler ignores SIGTERM, as in any container.
              terminationGracePeriodSeconds: 1
              containers:
              - name: main
                image: node:20
                command: ["node", "-e", \(jsonString(server))]
                ports: [{name: http, containerPort: 3000}]
                readinessProbe: {httpGet: {path: /ready, port: http}, periodSeconds: 1}
                livenessProbe: {httpGet: {path: /health, port: 3000}, periodSeconds: 1, failureThreshold: 1}
            """)
        try c.wait("Ready") { try c.get("probed", "{.status.conditions[?(@.type=='Ready')].status}") == "True" }
        try c.wait("a restart after the liveness probe failed") { try c.get("probed", "{.status.containerStatuses[0].restartCount}") == "1" }
        // Events are written in the background, after the status that counts the restart.
        try c.wait("the liveness events") {
            let events = try c.events("probed")
            return events.contains("Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500")
                && events.contains("Killing: Container main failed liveness probe, will be restarted")
        }
        let events = try c.events("probed")
        #expect(events.contains("Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 503"))
    }

    @Test func deletionRunsPreStopThenSIGTERMWithinTheGracePeriod() throws {
        let c = try ProcessCluster()
        let dir = temporaryDirectory()
        let file = dir + "/order"
        let script = "process.on('SIGTERM', () => { require('fs').appendFileSync('/out/order', 'term\\n'); process.exit(0) }); setInterval(() => {}, 1000)"
        try c.apply("""
            apiVersion: v1
            kind: Pod
            metadata: {name: graceful}
            spec:
              terminationGracePeriodSeconds: 20
              containers:
              - name: main
                image: node:20
                command: ["node", "-e", \(jsonString(script))]
                lifecycle: {preStop: {exec: {command: ["sh", "-c", "echo prestop >> /out/order"]}}}
                volumeMounts: [{name: out, mountPath: /out}]
              volumes: [{name: out, hostPath: {path: \(dir), type: Directory}}]
            """)
        try c.wait("Running") { try c.get("graceful", "{.status.containerStatuses[0].state.running.startedAt}") != "" }
        usleep(300_000)  // node has installed its handler
        let started = Date()
        #expect(try c.kubectl("delete", "pod", "graceful").code == 0)
        #expect(Date().timeIntervalSince(started) < 10)
        #expect((try? String(contentsOfFile: file, encoding: .utf8)) == "prestop\nterm\n")
        #expect(try c.events("graceful").contains("Killing: Stopping container main"))
    }

    /// Exec probes run in the container: readiness waits for the file the process makes, and a
    /// failing liveness command restarts it with the kubelet's event, its output as the reason.
    @Test func execProbesRunInTheContainer() throws {
        let c = try ProcessCluster()
        try c.apply("""
            apiVersion: v1
            kind: Pod
            metadata: {name: exec-probed}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: main
                image: busybox
                command: ["sh", "-c", "sleep 2; touch /tmp/ready; exec sleep 600"]
                readinessProbe: {exec: {command: ["cat", "/tmp/ready"]}, periodSeconds: 1}
                livenessProbe: {exec: {command: ["sh", "-c", "test -e /tmp/ready && echo not alive && exit 1 || exit 0"]}, periodSeconds: 1, failureThreshold: 2}
            """)
        try c.wait("Ready once /tmp/ready exists in the container") {
            try c.get("exec-probed", "{.status.conditions[?(@.type=='Ready')].status}") == "True"
                || c.get("exec-probed", "{.status.containerStatuses[0].restartCount}") != "0"
        }
        // The file is the container's own (its root is its own): the host has none.
        #expect(!FileManager.default.fileExists(atPath: "/tmp/ready"))
        try c.wait("a restart after the liveness command failed") {
            try c.get("exec-probed", "{.status.containerStatuses[0].restartCount}") != "0"
        }
        try c.wait("the liveness event") {
            try c.events("exec-probed").contains("Unhealthy: Liveness probe failed: not alive")
        }
        #expect(try c.events("exec-probed").contains("Killing: Container main failed liveness probe, will be restarted"))
    }

    /// The seed's chapter: its Deployment Ready, `set image` to the broken 3.0.0 stalls (its
    /// readiness never passes, the old pods keep serving), and `rollout undo` recovers.
    @Test func aBrokenReleaseStallsAndRolloutUndoRecovers() throws {
        let c = try ProcessCluster()
        let manifests = Kubectl.manifestsFolder
        #expect(try c.kubectl("apply", "-f", manifests + "/config.yaml", "-f", manifests + "/deployment.yaml").code == 0)
        let ready = try c.kubectl("rollout", "status", "deployment/myapp", "--timeout=150s")
        #expect(ready.code == 0, "\(ready.err)")
        #expect(ready.out.contains("deployment \"myapp\" successfully rolled out"))
        #expect(try c.kubectl("set", "image", "deployment/myapp", "myapp=myapp:3.0.0").code == 0)
        let stalled = try c.kubectl("rollout", "status", "deployment/myapp", "--timeout=20s")
        #expect(stalled.code != 0)
        #expect(stalled.out.contains("Waiting for deployment \"myapp\" rollout to finish: 1 out of 3 new replicas have been updated..."))
        #expect(try c.kubectl("get", "deployment", "myapp", "-o", "jsonpath={.status.availableReplicas}").out == "3")
        #expect(try c.kubectl("rollout", "undo", "deployment/myapp").out.contains("deployment.apps/myapp rolled back"))
        let recovered = try c.kubectl("rollout", "status", "deployment/myapp", "--timeout=90s")
        #expect(recovered.code == 0, "\(recovered.err)")
        try c.wait("only 1.0.0 pods left", seconds: 60) {
            let images = try c.kubectl("get", "pods", "-l", "app=myapp", "-o", "jsonpath={.items[*].spec.containers[0].image}").out
            return images.split(separator: " ") == ["myapp:1.0.0", "myapp:1.0.0", "myapp:1.0.0"]
        }
    }

    /// `kubectl delete --grace-period=0 --force`: the Pod is gone from the API at once, and the
    /// node kills its process without waiting, though it ignores SIGTERM and asks for 60 s.
    @Test func aForcedDeletionKillsAtOnce() throws {
        let c = try ProcessCluster()
        let marker = "kplane-force-\(getpid())"
        try c.apply("""
            apiVersion: v1
            kind: Pod
            metadata: {name: stubborn}
            spec:
              terminationGracePeriodSeconds: 60
              containers: [{name: main, image: busybox, command: ["sh", "-c", "trap '' TERM; while :; do sleep 1; done; : \(marker)"]}]
            """)
        try c.wait("Running") { try c.get("stubborn", "{.status.containerStatuses[0].state.running.startedAt}") != "" }
        #expect(!processes(containing: marker).isEmpty)
        let started = Date()
        // The newest kubectl where it is installed (the test script installs it).
        let kubectl = Kubectl.v137.map { Kubectl(binary: $0, server: c.server) } ?? c.kubectl
        let r = try kubectl("delete", "pod", "stubborn", "--grace-period=0", "--force")
        #expect(r.code == 0)
        #expect(r.err.contains("Immediate deletion does not wait for confirmation that the running resource has been terminated"))
        #expect(r.out.contains("pod \"stubborn\" force deleted"))
        #expect(try c.kubectl("get", "pod", "stubborn").err.contains("pods \"stubborn\" not found"))
        try waitUntil("the process is killed", seconds: 10) { processes(containing: marker).isEmpty }
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test func initContainersRunFirstAndPhasesFollowTheRestartPolicy() throws {
        let c = try ProcessCluster()
        try c.apply("""
            apiVersion: v1
            kind: Pod
            metadata: {name: done}
            spec:
              restartPolicy: Never
              initContainers:
              - {name: setup, image: busybox, command: ["sh", "-c", "echo prepared > /work/file"], volumeMounts: [{name: work, mountPath: /work}]}
              containers:
              - {name: main, image: busybox, command: ["cat", "/work/file"], volumeMounts: [{name: work, mountPath: /work}]}
              volumes: [{name: work, emptyDir: {}}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: broken-init}
            spec:
              restartPolicy: Never
              initContainers: [{name: setup, image: busybox, command: ["sh", "-c", "exit 1"]}]
              containers: [{name: main, image: busybox, command: ["true"]}]
            """)
        try c.wait("Succeeded") { try c.get("done", "{.status.phase}") == "Succeeded" }
        #expect(try c.kubectl("logs", "done").out == "prepared\n")
        #expect(try c.kubectl("logs", "done", "-c", "setup").out == "")
        // logs -f streams a running container and returns when it stops.
        try c.apply("""
            apiVersion: v1
            kind: Pod
            metadata: {name: counter}
            spec:
              restartPolicy: Never
              containers: [{name: main, image: busybox, command: ["sh", "-c", "sleep 1; for i in 1 2 3; do echo line $i; sleep 0.3; done"]}]
            """)
        try c.wait("Running") { try c.get("counter", "{.status.phase}") == "Running" }
        let followed = try c.kubectl("logs", "-f", "counter")
        #expect(followed.out == "line 1\nline 2\nline 3\n", "\(followed.err)")
        #expect(try KctlRunner(server: c.server)("logs", "counter", "--tail=1").out == "line 3\n")
        #expect(try c.get("done", "{.status.containerStatuses[0].state.terminated.reason}") == "Completed")
        try c.wait("Failed") { try c.get("broken-init", "{.status.phase}") == "Failed" }
        #expect(try c.get("broken-init", "{.status.initContainerStatuses[0].state.terminated.exitCode}") == "1")
        #expect(try c.kubectl("get", "pod", "broken-init").out.contains("Init:Error"))
    }

    @Test func containersSeeTheirVolumesInARootOfTheirOwn() throws {
        let c = try ProcessCluster()
        #expect(try c.kubectl("create", "configmap", "app-config", "--from-literal=greeting=hello").code == 0)
        try c.apply("""
            apiVersion: v1
            kind: Pod
            metadata: {name: vols, labels: {app: demo}}
            spec:
              containers:
              - name: main
                image: busybox
                command: ["sh", "-c", "echo host=$(hostname); echo pid=$$$$; echo private > /tmp/mine; while true; do echo greeting=$(cat /config/greeting); echo labels=$(cat /podinfo/labels); sleep 0.5; done"]
                volumeMounts:
                - {name: config, mountPath: /config}
                - {name: podinfo, mountPath: /podinfo}
                - {name: missing, mountPath: /missing}
              volumes:
              - {name: config, configMap: {name: app-config}}
              - {name: podinfo, downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]}}
              - {name: missing, secret: {secretName: not-yet}}
            """)
        try c.wait("FailedMount") { try c.events("vols").contains("FailedMount: MountVolume.SetUp failed for volume \"missing\" : secret \"not-yet\" not found") }
        #expect(try c.get("vols", "{.status.containerStatuses[0].state.waiting.reason}") == "ContainerCreating")
        #expect(try c.kubectl("create", "secret", "generic", "not-yet", "--from-literal=k=v").code == 0)
        try c.wait("the files") { try c.logFile("vols").contains("greeting=hello") }
        let log = try c.logFile("vols")
        #expect(log.contains("host=vols"), "\(log)")
        #expect(log.contains("pid=1") && log.contains("labels=app=\"demo\""), "\(log)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/mine"))
        // A changed ConfigMap reaches the running container's files (the kubelet's sync).
        #expect(try c.kubectl("patch", "configmap", "app-config", "-p", #"{"data":{"greeting":"bonjour"}}"#).code == 0)
        try c.wait("the new value", seconds: 30) { try c.logFile("vols").contains("greeting=bonjour") }
    }

    /// Every `kplane up` names its first process node `kplane-process-1`: a second cluster
    /// starting on the machine must leave the first one's containers (and cgroups) alone, and
    /// remove its own cgroups when it stops.
    @Test func twoClustersWithNodesOfOneNameLeaveEachOthersContainersAlone() throws {
        let first = try ProcessCluster()
        let marker = "\(Int.random(in: 100_000...999_999))"
        try first.apply("""
            apiVersion: v1
            kind: Pod
            metadata: {name: first}
            spec:
              containers: [{name: main, image: busybox, command: ["sleep", "\(marker)"]}]
            """)
        try first.wait("Running") { processes(containing: "sleep \(marker)").count == 1 }
        var second: ProcessCluster? = try ProcessCluster()
        try second?.wait("the second node Ready") {
            try second?.kubectl("get", "node", "kplane-process-1", "-o", "jsonpath={.status.conditions[?(@.type=='Ready')].status}").out == "True"
        }
        let secondCIDR = try second?.kubectl("get", "node", "kplane-process-1", "-o", "jsonpath={.spec.podCIDR}").out ?? ""
        #expect(secondCIDR != (try first.kubectl("get", "node", "kplane-process-1", "-o", "jsonpath={.spec.podCIDR}").out))
        usleep(500_000)
        #expect(processes(containing: "sleep \(marker)").count == 1)
        #expect(try first.get("first", "{.status.containerStatuses[0].restartCount}") == "0")
        second?.server.stop()
        second = nil
        #expect(processes(containing: "sleep \(marker)").count == 1)
        func cgroupDirectory(_ cidr: String) -> String {
            "/sys/fs/cgroup/memory/kplane/kplane-process-1@" + (cidr.split(separator: ".").dropFirst(2).first.map(String.init) ?? "?")
        }
        if getuid() == 0 {
            let firstCIDR = try first.kubectl("get", "node", "kplane-process-1", "-o", "jsonpath={.spec.podCIDR}").out
            #expect(FileManager.default.fileExists(atPath: cgroupDirectory(firstCIDR)))
            #expect(!FileManager.default.fileExists(atPath: cgroupDirectory(secondCIDR)))
        }
    }

    @Test func aKilledNodeLeavesNoProcessAndARestartRunsItsPodsAgain() throws {
        let dir = temporaryDirectory()
        var c: ProcessCluster? = try ProcessCluster(dataDir: dir)
        let marker = "\(Int.random(in: 100_000...999_999))"
        // A child and a grandchild: both must die with the node.
        try c?.apply("""
            apiVersion: v1
            kind: Pod
            metadata: {name: sleeper}
            spec:
              containers: [{name: main, image: busybox, command: ["sh", "-c", "sleep \(marker) & sleep \(marker)"]}]
            """)
        try c?.wait("two sleeps") { processes(containing: "sleep \(marker)").count >= 2 }
        c?.server.stop(kill9: true)
        let deadline = Date().addingTimeInterval(2)
        while Date() < deadline && !processes(containing: "sleep \(marker)").isEmpty { usleep(50_000) }
        #expect(processes(containing: "sleep \(marker)").isEmpty)
        c = nil
        let again = try ProcessCluster(dataDir: dir)
        try again.wait("the pod running again, its restart counted") {
            try again.get("sleeper", "{.status.containerStatuses[0].restartCount}") == "1"
                && again.get("sleeper", "{.status.containerStatuses[0].state.running.startedAt}") != ""
        }
        try again.wait("its processes back") { processes(containing: "sleep \(marker)").count >= 2 }
        again.server.stop()
        try again.wait("no process after a clean stop", seconds: 5) { processes(containing: "sleep \(marker)").isEmpty }
    }
}

/// A double-quoted string literal (valid JSON and YAML) of `s`.
func jsonString(_ s: String) -> String {
    "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}
