import Foundation
import KplaneTestSupport
import KubeModel
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
        let clients = c.clients()
        try c.wait("CrashLoopBackOff") { try c.get("crash", "{.status.containerStatuses[0].state.waiting.reason}") == "CrashLoopBackOff" }
        let firstBackOff = Date()
        #expect(try c.get("crash", "{.status.containerStatuses[0].lastState.terminated.exitCode}") == "3")
        #expect(try c.get("crash", "{.status.containerStatuses[0].lastState.terminated.reason}") == "Error")
        #expect(try c.get("crash", "{.status.containerStatuses[0].restartCount}") == "1")
        #expect(try c.get("crash", "{.status.containerStatuses[0].state.waiting.message}").hasPrefix("back-off 10s restarting failed container=main pod=crash_default("))
        #expect(try c.events("crash").contains("BackOff: Back-off restarting failed container main in pod crash_default("))
        #expect(try c.get("crash", "{.status.phase}") == "Running")
        #expect(try c.logFile("crash").contains("stdout F about to fail"))
        // Restarts grow: after its 10 s back-off it runs again, fails again, and waits 20 s.
        try c.wait("the second restart and a back-off of 20 s", seconds: 25) {
            try c.get("crash", "{.status.containerStatuses[0].restartCount}") == "2"
                && c.get("crash", "{.status.containerStatuses[0].state.waiting.message}").hasPrefix("back-off 20s restarting failed container=main pod=crash_default(")
        }
        let backOff = Date().timeIntervalSince(firstBackOff)
        #expect(backOff > 8.5 && backOff < 14, "the second restart came \(backOff) s after the first back-off began")
        #expect(try c.get("crash", "{.status.containerStatuses[0].state.waiting.reason}") == "CrashLoopBackOff")
        #expect(try c.get("crash", "{.status.containerStatuses[0].lastState.terminated.exitCode}") == "3")
        #expect(try c.logFile("crash", instance: 1).contains("stdout F about to fail"))
        // What each client shows (the pod waits 20 s now): the kubelet's reason as STATUS, the
        // restarts, the last run's log through the API server and the node's kubelet, and the
        // back-off event.
        for k in clients {
            let row = try k.row("get", "pod", "crash", name: "crash")
            #expect(row.count >= 4 && row[1] == "0/1" && row[2] == "CrashLoopBackOff" && row[3] == "2", "\(k.name): \(row)")
            let previous = try k("logs", "crash", "--previous")
            #expect(previous.out == "about to fail\n", "\(k.name): \(previous.err)")
            #expect(try k("describe", "pod", "crash").out.contains("Back-off restarting failed container main in pod crash_default("), "\(k.name)")
        }

        try c.wait("CreateContainerConfigError") {
            try c.get("needs-secret", "{.status.containerStatuses[0].state.waiting.reason}") == "CreateContainerConfigError"
        }
        #expect(try c.get("needs-secret", "{.status.containerStatuses[0].state.waiting.message}") == "secret \"myapp-secrets\" not found")
        #expect(try c.events("needs-secret").contains("Failed: Error: secret \"myapp-secrets\" not found"))
        for k in clients {
            let row = try k.row("get", "pod", "needs-secret", name: "needs-secret")
            #expect(row.count >= 3 && row[2] == "CreateContainerConfigError", "\(k.name): \(row)")
        }
        #expect(try c.kubectl("create", "secret", "generic", "myapp-secrets", "--from-literal=database-url=postgres://db").code == 0)
        try c.wait("the pod to start once its Secret exists") { try c.get("needs-secret", "{.status.phase}") == "Running" }
        try c.wait("the secret in its environment") { try c.kubectl("logs", "needs-secret").out == "url=postgres://db\n" }
    }

    @Test func aLeakPastItsMemoryLimitIsOOMKilled() throws {
        let c = try ProcessCluster()
        // 4 MiB more every 20 ms, each step printing its time (ms since the epoch) once the
        // memory is filled: the step after the last line crossed the limit.
        let leak = "const a = []; setInterval(() => { a.push(Buffer.alloc(4 << 20, 1)); console.log('rss', process.memoryUsage().rss >> 20, 'at', Date.now()) }, 20)"
        try c.apply("""
            apiVersion: v1
            kind: Pod
            metadata: {name: leak}
            spec:
              restartPolicy: Never
              containers:
              - name: main
                image: node:20
                command: ["node", "-e", \(jsonString(leak))]
                resources: {limits: {memory: 64Mi}}
            """)
        try c.wait("OOMKilled") { try c.get("leak", "{.status.containerStatuses[0].state.terminated.reason}") == "OOMKilled" }
        #expect(try c.get("leak", "{.status.containerStatuses[0].state.terminated.exitCode}") == "137")
        #expect(try c.get("leak", "{.status.phase}") == "Failed")
        // Killed as it crossed the limit: it printed a line per 4 MiB allocated, so a few dozen
        // lines at most (RSS counts shared pages too, so the sizes it printed say less).
        let lines = try c.logFile("leak").split(separator: "\n").filter { $0.contains(" rss ") }
        #expect(lines.count > 0 && lines.count < 60)
        // Killed, and recorded so, within 1 s of crossing it. The crossing came in the step
        // after the last line (20 ms later, and the allocation); the kubelet's finishedAt has
        // whole seconds, rounded down, so it can only read earlier than the end it records.
        // Allowed: 1 s after the last line, plus 0.1 s for the step. A kill 2.1 s or more after
        // the crossing always fails this (a whole second lost to rounding at most); one 5 s
        // late is about 4 s over. (Here the kernel kills ~15 ms after the last line.)
        let lastLine = lines.last.flatMap { Double($0.split(separator: " ").last ?? "") }.map { Date(timeIntervalSince1970: $0 / 1000) }
        let finished = Timestamp.parse(try c.get("leak", "{.status.containerStatuses[0].state.terminated.finishedAt}"))
        if let lastLine, let finished {
            let after = finished.timeIntervalSince(lastLine)
            #expect(after > -1 && after <= 1.1, "finishedAt is \(after) s after the last line")
        } else {
            Issue.record("no time to compare: last line \(String(describing: lines.last)), finishedAt \(String(describing: finished))")
        }
        for k in c.clients() {
            let row = try k.row("get", "pod", "leak", name: "leak")
            #expect(row.count >= 4 && row[1] == "0/1" && row[2] == "OOMKilled" && row[3] == "0", "\(k.name): \(row)")
        }
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
        // What each client shows. The reason alternates (ErrImagePull at each new try, then
        // ImagePullBackOff for 10 s, 20 s, ...): wait for it rather than catch a retry.
        for k in c.clients() {
            try c.wait("\(k.name) to show ImagePullBackOff") {
                let row = try k.row("get", "pod", "missing", name: "missing")
                return row.count >= 4 && row[1] == "0/1" && row[2] == "ImagePullBackOff" && row[3] == "0"
            }
            let described = try k("describe", "pod", "missing").out
            #expect(described.contains("Failed to pull image \"no-such-image:1.0\": "), "\(k.name): \(described)")
            #expect(described.contains("Back-off pulling image \"no-such-image:1.0\""), "\(k.name): \(described)")
        }
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
        for k in c.clients() {
            let described = try k("describe", "pod", "probed").out
            #expect(described.contains("Liveness probe failed: HTTP probe failed with statuscode: 500"), "\(k.name): \(described)")
            #expect(described.contains("Container main failed liveness probe, will be restarted"), "\(k.name): \(described)")
            let row = try k.row("get", "pod", "probed", name: "probed")
            #expect(row.count >= 4 && (Int(row[3]) ?? 0) >= 1, "\(k.name): \(row)")
        }
    }

    /// Deletion without --force: preStop, then SIGTERM, which a process that handles it ends
    /// on; one that ignores it is killed when its grace period runs out, and its pod stays
    /// Terminating until then.
    @Test func deletionRunsPreStopThenSIGTERMThenSIGKILLAfterTheGracePeriod() throws {
        let c = try ProcessCluster()
        let dir = temporaryDirectory()
        let file = dir + "/order"
        let script = "process.on('SIGTERM', () => { require('fs').appendFileSync('/out/order', 'term\\n'); process.exit(0) }); setInterval(() => {}, 1000)"
        let marker = "kplane-deaf-\(getpid())"
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
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: deaf}
            spec:
              terminationGracePeriodSeconds: 2
              containers: [{name: main, image: busybox, command: ["sh", "-c", "trap '' TERM; while :; do sleep 1; done; : \(marker)"]}]
            """)
        try c.wait("Running") { try c.get("graceful", "{.status.containerStatuses[0].state.running.startedAt}") != "" }
        usleep(300_000)  // node has installed its handler
        let started = Date()
        #expect(try c.kubectl("delete", "pod", "graceful").code == 0)
        #expect(Date().timeIntervalSince(started) < 10)
        #expect((try? String(contentsOfFile: file, encoding: .utf8)) == "prestop\nterm\n")
        #expect(try c.events("graceful").contains("Killing: Stopping container main"))

        try c.wait("deaf Running") { try c.get("deaf", "{.status.containerStatuses[0].state.running.startedAt}") != "" }
        #expect(!processes(containing: marker).isEmpty)
        // Each client shows it Running (and has read the server's discovery: no delay later).
        let clients = c.clients()
        for k in clients {
            let row = try k.row("get", "pod", "deaf", name: "deaf")
            #expect(row.count >= 3 && row[2] == "Running", "\(k.name): \(row)")
        }
        // `kubectl delete` as a user types it (it waits for the pod to be gone), on a thread of
        // its own while this one watches.
        let deleted = Date()
        let kubectl = c.kubectl
        let deletion = Background { () throws -> (code: Int32, out: String, err: String, seconds: Double) in
            let r = try kubectl("delete", "pod", "deaf")
            return (r.code, r.out, r.err, Date().timeIntervalSince(deleted))
        }
        try c.wait("deaf to be Terminating", seconds: 2) { try c.get("deaf", "{.metadata.deletionTimestamp}") != "" }
        for k in clients {
            let row = try k.row("get", "pod", "deaf", name: "deaf")
            #expect(row.count >= 3 && row[2] == "Terminating", "\(k.name) at \(Date().timeIntervalSince(deleted)) s: \(row)")
        }
        // SIGTERM has come and gone: the process lives on, and so does the pod, until the
        // 2 s grace period ends.
        let soon = deleted.addingTimeInterval(1.5).timeIntervalSinceNow
        if soon > 0 { usleep(useconds_t(soon * 1_000_000)) }
        #expect(!processes(containing: marker).isEmpty, "the process died before its grace period ended")
        #expect(try c.kubectl("get", "pod", "deaf", "-o", "name").out == "pod/deaf\n", "the pod went before its grace period ended")
        let r = try deletion.wait()
        #expect(r.code == 0, "\(r.err)")
        #expect(r.out.contains("pod \"deaf\" deleted"))
        // Gone once the node killed it, 2 s after it saw the deletion: not before, and not
        // much after (the API and the clients take a moment).
        #expect(r.seconds >= 2 && r.seconds < 6, "the delete took \(r.seconds) s")
        #expect(processes(containing: marker).isEmpty)
        #expect(try c.kubectl("get", "pod", "deaf").err.contains("pods \"deaf\" not found"))
        #expect(try c.events("deaf").contains("Killing: Stopping container main"))
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

    /// The seed's chapter: its Deployment waits for its Secret (the kubelet's
    /// CreateContainerConfigError), is Ready once config.yaml brings it; `set image` to the
    /// broken 3.0.0 stalls (its readiness never passes, the old pods keep serving), and
    /// `rollout undo` recovers, through each client.
    @Test func aBrokenReleaseStallsAndRolloutUndoRecovers() throws {
        let c = try ProcessCluster()
        let clients = c.clients()
        let manifests = Kubectl.manifestsFolder
        func pods(_ jsonpath: String) throws -> [String] {
            try c.kubectl("get", "pods", "-l", "app=myapp", "-o", "jsonpath={range .items[*]}\(jsonpath){\"\\n\"}{end}").out
                .split(separator: "\n").map(String.init)
        }
        // The Deployment alone: its pods wait for the Secret its env names.
        #expect(try c.kubectl("apply", "-f", manifests + "/deployment.yaml").code == 0)
        try c.wait("three pods waiting for their Secret") {
            try pods("{.status.containerStatuses[0].state.waiting.reason}") == Array(repeating: "CreateContainerConfigError", count: 3)
        }
        #expect(try pods("{.status.containerStatuses[0].state.waiting.message}") == Array(repeating: "secret \"myapp-secrets\" not found", count: 3))
        let waiting = try pods("{.metadata.name}")
        for k in clients {
            let rows = try k.rows(["get", "pods", "-l", "app=myapp"])
            for pod in waiting {
                let row = rows.first { $0.first == pod } ?? []
                #expect(row.count >= 4 && row[1] == "0/1" && row[2] == "CreateContainerConfigError" && row[3] == "0", "\(k.name): \(rows)")
            }
            let described = try k("describe", "pod", waiting[0]).out
            #expect(described.contains("Error: secret \"myapp-secrets\" not found"), "\(k.name): \(described)")
        }
        // Its ConfigMap and Secret: the same pods start and become Ready.
        #expect(try c.kubectl("apply", "-f", manifests + "/config.yaml").code == 0)
        let ready = try c.kubectl("rollout", "status", "deployment/myapp", "--timeout=150s")
        #expect(ready.code == 0, "\(ready.err)")
        #expect(ready.out.contains("deployment \"myapp\" successfully rolled out"))
        #expect(try pods("{.metadata.name}") == waiting)
        #expect(try pods("{.status.conditions[?(@.type=='Ready')].status}") == ["True", "True", "True"])
        for k in clients {
            let status = try k("rollout", "status", "deployment/myapp", "--timeout=10s")
            #expect(status.code == 0 && status.out.contains("deployment \"myapp\" successfully rolled out"), "\(k.name): \(status.out) \(status.err)")
            let rows = try k.rows(["get", "pods", "-l", "app=myapp"])
            for pod in waiting {
                let row = rows.first { $0.first == pod } ?? []
                #expect(row.count >= 4 && row[1] == "1/1" && row[2] == "Running" && row[3] == "0", "\(k.name): \(rows)")
            }
        }
        // The broken release, once through each client: set image stalls, undo recovers.
        for (n, k) in clients.enumerated() {
            let set = try k("set", "image", "deployment/myapp", "myapp=myapp:3.0.0")
            #expect(set.code == 0 && set.out.contains("deployment.apps/myapp image updated"), "\(k.name): \(set.out) \(set.err)")
            // The first time, 20 s of a stall the user watches; then the moment it shows.
            let stalled = try k("rollout", "status", "deployment/myapp", n == 0 ? "--timeout=20s" : "--timeout=4s")
            #expect(stalled.code != 0, "\(k.name)")
            #expect(stalled.out.contains("Waiting for deployment \"myapp\" rollout to finish: 1 out of 3 new replicas have been updated..."),
                    "\(k.name): \(stalled.out) \(stalled.err)")
            #expect(try c.kubectl("get", "deployment", "myapp", "-o", "jsonpath={.status.availableReplicas}").out == "3")
            #expect(try pods("{.spec.containers[0].image}").filter { $0 == "myapp:3.0.0" }.count == 1)
            let undo = try k("rollout", "undo", "deployment/myapp")
            #expect(undo.out.contains("deployment.apps/myapp rolled back"), "\(k.name): \(undo.out) \(undo.err)")
            let recovered = try k("rollout", "status", "deployment/myapp", "--timeout=90s")
            #expect(recovered.code == 0 && recovered.out.contains("deployment \"myapp\" successfully rolled out"), "\(k.name): \(recovered.err)")
            try c.wait("only 1.0.0 pods left", seconds: 60) {
                try pods("{.spec.containers[0].image}") == ["myapp:1.0.0", "myapp:1.0.0", "myapp:1.0.0"]
            }
            // The pods that waited for the Secret served throughout, never restarted.
            #expect(try pods("{.metadata.name}") == waiting, "\(k.name)")
            #expect(try pods("{.status.containerStatuses[0].restartCount}") == ["0", "0", "0"], "\(k.name)")
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

/// Blocking work (a child process to its end) on a thread of its own, while the test's thread
/// goes on; `wait()` returns what it returned.
final class Background<T: Sendable>: @unchecked Sendable {
    // Safety: `result` is written once, before `done` is signalled, and read after.
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<T, any Error>?

    init(_ work: @escaping @Sendable () throws -> T) {
        Thread.detachNewThread {
            self.result = Result { try work() }
            self.done.signal()
        }
    }

    func wait() throws -> T {
        done.wait()
        return try result!.get()
    }
}
