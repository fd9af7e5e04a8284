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
}
