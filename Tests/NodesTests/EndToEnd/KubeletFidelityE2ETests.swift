import Foundation
import KplaneTestSupport
import Testing

/// Details of the kubelet's behaviour on a process node: what the image back-off says and how it
/// is keyed, which logs it keeps, how the startup probe gates readiness, probes over TCP and
/// HTTPS, and a node that reports Ready again after its status was lost.
@Suite(.serialized, .timeLimit(.minutes(3)), .offPool) struct KubeletFidelityE2ETests {
    /// The kubelet keys the back-off by pod and image, and keeps the last pull's error for the
    /// ImagePullBackOff message; the status stays the same through the back-off (no rewrites).
    @Test func anImagePullBackOffKeepsItsMessageAndACorrectedImageStartsAtOnce() throws {
        let c = try ProcessCluster()
        try c.apply("""
            apiVersion: v1
            kind: Pod
            metadata: {name: typo}
            spec:
              containers:
              - {name: main, image: "busyboxx:1.36", command: ["sleep", "600"]}
            """)
        let applied = Date()
        let waiting = "{.status.containerStatuses[0].state.waiting.reason}"
        try c.wait("ImagePullBackOff") { try c.get("typo", waiting) == "ImagePullBackOff" }
        let message = try c.get("typo", "{.status.containerStatuses[0].state.waiting.message}")
        #expect(message.hasPrefix("Back-off pulling image \"busyboxx:1.36\": ErrImagePull: "), "\(message)")
        #expect(message.components(separatedBy: "ErrImagePull").count == 2, "\(message)")
        let version = try c.get("typo", "{.metadata.resourceVersion}")
        Thread.sleep(forTimeInterval: 3)
        #expect(try c.get("typo", "{.metadata.resourceVersion}") == version, "the status was rewritten during the back-off")
        #expect(try c.get("typo", "{.status.containerStatuses[0].state.waiting.message}") == message)

        // Past the first 10 s back-off the second pull fails too, and the old image backs off
        // 20 s more. The corrected image has no back-off: it is pulled at once.
        while Date().timeIntervalSince(applied) < 13 { Thread.sleep(forTimeInterval: 0.5) }
        let fixed = Date()
        #expect(try c.kubectl("set", "image", "pod/typo", "main=busybox").code == 0)
        try c.wait("the corrected image to run", seconds: 8) { try c.get("typo", "{.status.phase}") == "Running" }
        #expect(Date().timeIntervalSince(fixed) < 8)
    }

    /// The kubelet keeps one dead instance of a container, for `logs --previous`; older
    /// instances and their logs are collected, and a deleted pod's logs go with it.
    @Test func onlyTheLastTwoInstancesKeepTheirLogsAndADeletedPodLeavesNone() throws {
        let c = try ProcessCluster()
        try c.apply("""
            apiVersion: v1
            kind: Pod
            metadata: {name: flaky}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - {name: main, image: busybox, command: ["sh", "-c", "echo run $(date +%s%N); exit 1"]}
            """)
        let uid = try c.get("flaky", "{.metadata.uid}")
        let dir = "\(c.server.dataDir)/nodes/kplane-process-1/pods/default_flaky_\(uid)"
        try c.wait("two restarts", seconds: 60) { (Int(try c.get("flaky", "{.status.containerStatuses[0].restartCount}")) ?? 0) >= 2 }
        try c.wait("the first instance's log collected") {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: dir + "/main")) ?? []
            return !files.contains("0.log") && files.contains("1.log") && files.contains("2.log")
        }
        #expect(try c.kubectl("logs", "flaky", "--previous").out.hasPrefix("run "))
        #expect(try c.kubectl("delete", "pod", "flaky", "--wait=true").code == 0)
        try c.wait("the pod's logs removed") { !FileManager.default.fileExists(atPath: dir) }
    }

    /// A container with a startup probe and no readiness probe is Ready only once the startup
    /// probe passes (the prober manager reports `ready` only for started containers).
    @Test func aStartupProbeGatesReadiness() throws {
        let c = try ProcessCluster()
        try c.apply("""
            apiVersion: v1
            kind: Pod
            metadata: {name: slow}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: main
                image: busybox
                command: ["sh", "-c", "sleep 4; touch /tmp/started; exec sleep 600"]
                startupProbe: {exec: {command: ["test", "-f", "/tmp/started"]}, periodSeconds: 1, failureThreshold: 30}
            """)
        try c.wait("the container to run") { !(try c.get("slow", "{.status.containerStatuses[0].state.running.startedAt}")).isEmpty }
        #expect(try c.get("slow", "{.status.containerStatuses[0].started}") == "false")
        #expect(try c.get("slow", "{.status.containerStatuses[0].ready}") == "false")
        #expect(try c.get("slow", "{.status.conditions[?(@.type=='Ready')].status}") == "False")
        try c.wait("started and Ready") {
            try c.get("slow", "{.status.containerStatuses[0].started}") == "true"
                && c.get("slow", "{.status.conditions[?(@.type=='Ready')].status}") == "True"
        }
    }

    /// A `tcpSocket` liveness probe and an HTTPS readiness probe against a self-signed
    /// certificate, which the kubelet does not verify.
    @Test func probesOverTCPAndHTTPSWithASelfSignedCertificate() throws {
        let c = try ProcessCluster()
        let tls = """
            cd /tmp && openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=self -keyout key.pem -out cert.pem -days 1 2>/dev/null \
            && exec openssl s_server -accept 8443 -cert cert.pem -key key.pem -www -quiet
            """
        try c.apply("""
            apiVersion: v1
            kind: Pod
            metadata: {name: probes}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: tls
                image: busybox
                command: ["sh", "-c", \(jsonString(tls))]
                readinessProbe: {httpGet: {scheme: HTTPS, path: /, port: 8443}, periodSeconds: 1}
              - name: tcp
                image: node:20
                command: ["node", "-e", "require('net').createServer(s => s.end()).listen(8080)"]
                livenessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1, failureThreshold: 2}
                readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
            """)
        try c.wait("both containers Ready", seconds: 30) { try c.get("probes", "{.status.conditions[?(@.type=='Ready')].status}") == "True" }
        Thread.sleep(forTimeInterval: 3)
        #expect(try c.get("probes", "{.status.containerStatuses[*].restartCount}") == "0 0")
    }

    /// A node whose Ready condition was lost (as the node lifecycle controller marks a node
    /// whose Lease lapsed) reports Ready again at its next status round.
    @Test func aNodeMarkedUnknownReportsReadyAgain() throws {
        let c = try ProcessCluster()
        let node = "kplane-process-1"
        let ready = "{.status.conditions[?(@.type=='Ready')].status}"
        try c.wait("the node Ready") { try c.kubectl("get", "node", node, "-o", "jsonpath=\(ready)").out == "True" }
        let patch = #"{"status":{"conditions":[{"type":"Ready","status":"Unknown","reason":"NodeStatusUnknown","message":"Kubelet stopped posting node status."}]}}"#
        let r = try c.kubectl("patch", "node", node, "--subresource=status", "--type=merge", "-p", patch)
        #expect(r.code == 0, "\(r.err)")
        #expect(try c.kubectl("get", "node", node, "-o", "jsonpath=\(ready)").out == "Unknown")
        try c.wait("the node Ready again", seconds: 25) { try c.kubectl("get", "node", node, "-o", "jsonpath=\(ready)").out == "True" }
        #expect(try c.kubectl("get", "node", node, "-o", "jsonpath={.status.conditions[*].type}").out.contains("MemoryPressure"))
    }

    /// Secret bytes reach a volume as they are; an item naming a missing key is the kubelet's
    /// FailedMount.
    @Test func aBinarySecretIsWrittenAsItIsAndAMissingKeyFailsTheMount() throws {
        let c = try ProcessCluster()
        try c.apply("""
            apiVersion: v1
            kind: Secret
            metadata: {name: blob}
            data: {bin: "/wD+gA=="}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: reader}
            spec:
              terminationGracePeriodSeconds: 1
              volumes: [{name: s, secret: {secretName: blob}}]
              containers:
              - {name: main, image: busybox, command: ["sh", "-c", "od -An -tx1 /s/bin; sleep 600"], volumeMounts: [{name: s, mountPath: /s}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: wrong-key}
            spec:
              volumes: [{name: s, secret: {secretName: blob, items: [{key: nope, path: x}]}}]
              containers:
              - {name: main, image: busybox, command: ["sleep", "600"], volumeMounts: [{name: s, mountPath: /s}]}
            """)
        try c.wait("the secret's bytes in the log") { try c.kubectl("logs", "reader").out.trimmingCharacters(in: .whitespacesAndNewlines) == "ff 00 fe 80" }
        try c.wait("FailedMount") {
            try c.events("wrong-key").contains(#"FailedMount: MountVolume.SetUp failed for volume "s" : references non-existent secret key: nope"#)
        }
    }

    /// An exec probe past its timeout fails with the CRI's message, and what it ran is killed
    /// rather than left behind in the container.
    @Test func anExecProbeThatHangsTimesOutAndIsKilled() throws {
        let c = try ProcessCluster()
        try c.apply("""
            apiVersion: v1
            kind: Pod
            metadata: {name: hangs}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: main
                image: busybox
                command: ["sleep", "600"]
                readinessProbe: {exec: {command: ["sh", "-c", "sleep 31"]}, timeoutSeconds: 1, periodSeconds: 1}
            """)
        try c.wait("the timeout's event") {
            try c.events("hangs").contains(#"Unhealthy: Readiness probe failed: command "sh -c sleep 31" timed out"#)
        }
        Thread.sleep(forTimeInterval: 4)
        // One probe at a time, each killed at its timeout: never more than one running.
        #expect(processes(containing: "sleep 31").count <= 1, "\(processes(containing: "sleep 31"))")
        #expect(try c.get("hangs", "{.status.containerStatuses[0].ready}") == "false")
    }

    /// An exec probe whose command leaves a child in the background holding its output waits
    /// for that output, as containerd's ExecSync does, until its timeout; the timeout kills the
    /// child too, so nothing is left running and the next probes go on.
    @Test func anExecProbeWhoseChildHoldsItsOutputTimesOutAndTheChildGoes() throws {
        let c = try ProcessCluster()
        try c.apply("""
            apiVersion: v1
            kind: Pod
            metadata: {name: forks}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: main
                image: busybox
                command: ["sleep", "600"]
                readinessProbe: {exec: {command: ["sh", "-c", "sleep 33 & echo ok"]}, timeoutSeconds: 1, periodSeconds: 1}
            """)
        try c.wait("two timeouts", seconds: 15) {
            try c.kubectl("get", "events", "--field-selector", "involvedObject.name=forks,reason=Unhealthy", "-o", "jsonpath={.items[*].count}").out
                .split(separator: " ").compactMap { Int($0) }.reduce(0, +) >= 2
        }
        #expect(try c.events("forks").contains(#"Readiness probe failed: command "sh -c sleep 33 & echo ok" timed out"#))
        // Each probe's background child was killed with it: at most the current one runs.
        #expect(processes(containing: "sleep 33").count <= 1, "\(processes(containing: "sleep 33"))")
    }

    /// In a pod with init containers the app's containers wait as `PodInitializing`.
    @Test func appContainersWaitAsPodInitializing() throws {
        let c = try ProcessCluster()
        try c.apply("""
            apiVersion: v1
            kind: Pod
            metadata: {name: staged}
            spec:
              terminationGracePeriodSeconds: 1
              initContainers: [{name: setup, image: busybox, command: ["sleep", "4"]}]
              containers: [{name: main, image: busybox, command: ["sleep", "600"]}]
            """)
        try c.wait("the init container running") { !(try c.get("staged", "{.status.initContainerStatuses[0].state.running.startedAt}")).isEmpty }
        #expect(try c.get("staged", "{.status.containerStatuses[0].state.waiting.reason}") == "PodInitializing")
        #expect(try c.kubectl("get", "pod", "staged", "--no-headers").out.contains("Init:0/1"))
        try c.wait("the app running") { try c.get("staged", "{.status.phase}") == "Running" && c.get("staged", "{.status.containerStatuses[0].ready}") == "true" }
    }

    /// A second delete with a shorter grace period cuts the wait short, as on a kubelet.
    @Test func aShorterSecondDeleteShortensTheGracePeriod() throws {
        let c = try ProcessCluster()
        try c.apply("""
            apiVersion: v1
            kind: Pod
            metadata: {name: stubborn}
            spec:
              terminationGracePeriodSeconds: 60
              containers:
              - {name: main, image: busybox, command: ["sh", "-c", "trap 'echo TERM' TERM; while true; do sleep 0.2; done"]}
            """)
        try c.wait("Running") { try c.get("stubborn", "{.status.containerStatuses[0].state.running.startedAt}") != "" }
        #expect(try c.kubectl("delete", "pod", "stubborn", "--wait=false").code == 0)
        try c.wait("the SIGTERM") { try c.kubectl("logs", "stubborn").out.contains("TERM") }
        let start = Date()
        let r = try c.kubectl("delete", "pod", "stubborn", "--grace-period=1", "--timeout=30s")
        #expect(r.code == 0, "\(r.err)")
        // At least the 2 s the kubelet always gives after SIGTERM would be long past: well under 60 s.
        #expect(Date().timeIntervalSince(start) < 10)
    }

    /// `restartPolicy: OnFailure` restarts only a failure; init containers run one after the
    /// other; a Secret volume's `items` and `defaultMode`; a CPU limit in the cgroup; a command
    /// that does not exist is runc's `StartError` (128).
    @Test func onFailureInitOrderItemsCPUQuotaAndStartError() throws {
        let c = try ProcessCluster()
        try c.apply("""
            apiVersion: v1
            kind: Secret
            metadata: {name: keys}
            stringData: {a: one, b: two}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: done}
            spec:
              restartPolicy: OnFailure
              containers: [{name: main, image: busybox, command: ["sh", "-c", "exit 0"]}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: retried}
            spec:
              restartPolicy: OnFailure
              containers: [{name: main, image: busybox, command: ["sh", "-c", "exit 4"]}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: ordered}
            spec:
              terminationGracePeriodSeconds: 1
              volumes:
              - {name: work, emptyDir: {}}
              - {name: keys, secret: {secretName: keys, defaultMode: 0400, items: [{key: b, path: sub/bee}]}}
              initContainers:
              - {name: first, image: busybox, command: ["sh", "-c", "sleep 1; echo first >> /work/order"], volumeMounts: [{name: work, mountPath: /work}]}
              - {name: second, image: busybox, command: ["sh", "-c", "echo second >> /work/order"], volumeMounts: [{name: work, mountPath: /work}]}
              containers:
              - name: main
                image: busybox
                command: ["sh", "-c", "cat /work/order; cat /keys/sub/bee; echo; stat -c %a /keys/..data/sub/bee; ls /keys; sleep 600"]
                volumeMounts: [{name: work, mountPath: /work}, {name: keys, mountPath: /keys}]
                resources: {limits: {cpu: 250m, memory: 64Mi}}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: nocmd}
            spec:
              restartPolicy: Never
              containers: [{name: main, image: busybox, command: ["no-such-command"]}]
            """)
        try c.wait("done Completed") { try c.get("done", "{.status.phase}") == "Succeeded" }
        #expect(try c.get("done", "{.status.containerStatuses[0].state.terminated.reason}") == "Completed")
        #expect(try c.get("done", "{.status.containerStatuses[0].restartCount}") == "0")
        try c.wait("retried restarted") { (Int(try c.get("retried", "{.status.containerStatuses[0].restartCount}")) ?? 0) >= 1 }
        #expect(try c.get("retried", "{.status.containerStatuses[0].lastState.terminated.exitCode}") == "4")

        try c.wait("ordered running") { try c.kubectl("logs", "ordered").out.contains("sub") }
        #expect(try c.kubectl("logs", "ordered").out == "first\nsecond\ntwo\n400\nsub\n")
        let uid = try c.get("ordered", "{.metadata.uid}")
        let quota = try ServerProcess.run("/usr/bin/env", ["sh", "-c", "cat /sys/fs/cgroup/cpu/kplane/*/\(uid)/main/cpu.cfs_quota_us"]).out
        #expect(quota.trimmingCharacters(in: .whitespacesAndNewlines) == "25000", "\(quota)")

        try c.wait("StartError") { try c.get("nocmd", "{.status.containerStatuses[0].state.terminated.reason}") == "StartError" }
        #expect(try c.get("nocmd", "{.status.containerStatuses[0].state.terminated.exitCode}") == "128")
        #expect(try c.get("nocmd", "{.status.containerStatuses[0].state.terminated.message}").contains(#"exec: "no-such-command": executable file not found in $PATH"#))
        #expect(try c.get("nocmd", "{.status.phase}") == "Failed")
    }

    /// An httpGet preStop hook reaches the container before it is sent SIGTERM.
    @Test func anHTTPPreStopHookIsCalledBeforeSIGTERM() throws {
        let c = try ProcessCluster()
        let dir = temporaryDirectory()
        let server = """
            const fs = require('fs'); const note = t => fs.appendFileSync('/out/order', t + '\\n'); \
            require('http').createServer((q, s) => { note('hook ' + q.url); s.end('ok') }).listen(8080); \
            process.on('SIGTERM', () => { note('TERM'); process.exit(0) })
            """
        try c.apply("""
            apiVersion: v1
            kind: Pod
            metadata: {name: hooked}
            spec:
              terminationGracePeriodSeconds: 10
              volumes: [{name: out, hostPath: {path: \(dir), type: Directory}}]
              containers:
              - name: main
                image: node:20
                command: ["node", "-e", \(jsonString(server))]
                lifecycle: {preStop: {httpGet: {path: /drain, port: 8080}}}
                readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
                volumeMounts: [{name: out, mountPath: /out}]
            """)
        try c.wait("Ready") { try c.get("hooked", "{.status.conditions[?(@.type=='Ready')].status}") == "True" }
        #expect(try c.kubectl("delete", "pod", "hooked", "--timeout=30s").code == 0)
        #expect((try? String(contentsOfFile: dir + "/order", encoding: .utf8)) == "hook /drain\nTERM\n")
    }

    /// `--container-log-max-size` and `--container-log-max-files`, as the kubelet's: a chatty
    /// container's instance keeps at most that many files, each about that size.
    @Test func containerLogFlagsCapEachInstancesFiles() throws {
        let c = try ProcessCluster(extraArgs: ["--container-log-max-size", "4Ki", "--container-log-max-files", "3"])
        try c.apply("""
            apiVersion: v1
            kind: Pod
            metadata: {name: chatty}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - {name: main, image: busybox, command: ["sh", "-c", "seq 0 19999 | sed 's/^/line /'; echo end; sleep 600"]}
            """)
        let uid = try c.get("chatty", "{.metadata.uid}")
        let dir = "\(c.server.dataDir)/nodes/kplane-process-1/pods/default_chatty_\(uid)/main"
        try c.wait("the last line") { try c.kubectl("logs", "chatty", "--tail=1").out == "end\n" }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(files.count == 3 && files.first == "0.log", "\(files)")
        // A file is rotated after the write that reaches the size (one read of the output, at
        // most 32 KiB as CRI lines), as the kubelet rotates after the fact; the oldest went.
        var total = 0
        for f in files {
            let size = (try FileManager.default.attributesOfItem(atPath: dir + "/" + f)[.size] as? Int) ?? 0
            #expect(size < 4096 + 200 * 1024, "\(f): \(size)")
            total += size
        }
        let written = try c.kubectl("logs", "chatty").out
        #expect(!written.hasPrefix("line 0\n"), "the oldest lines were not rotated away")
        #expect(total > 0)
    }

    /// Bad kubelet and controller flags stop `kplane up` with one line, as the components do.
    @Test(arguments: [
        (["--container-log-max-files", "1"], "containerLogMaxFiles (--container-log-max-files) 1 must be greater than 1"),
        (["--container-log-max-size", "lots"], "containerLogMaxSize must be a positive quantity, got \"lots\""),
        (["--horizontal-pod-autoscaler-sync-period", "0s"], "--horizontal-pod-autoscaler-sync-period must be greater than 0"),
        (["--horizontal-pod-autoscaler-downscale-stabilization", "soon"], "invalid argument \"soon\" for \"--horizontal-pod-autoscaler-downscale-stabilization\" flag"),
        (["--horizontal-pod-autoscaler-tolerance=-1"], "--horizontal-pod-autoscaler-tolerance must not be negative"),
    ])
    func badComponentFlagsAreRefused(args: [String], message: String) throws {
        let r = try ServerProcess.run(ServerProcess.binary, ["up", "--port", "0", "--data-dir", temporaryDirectory()] + args)
        #expect(r.code != 0)
        #expect(r.err.contains(message), "\(r.err)")
    }
}
