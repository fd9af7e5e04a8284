import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KubeClient
import KubeModel
import KplaneTestSupport
import Logging
import Synchronization
import Testing

@testable import Nodes

/// A kubelet's log source for the test: one pod, `p`, whose container `app` has a current and a
/// previous instance, and whose status the test sets.
final class TestLogSource: ContainerLogSource {
    struct Instance: Sendable { var path: String; var running: Bool }
    struct State: Sendable {
        var current: Instance?
        var previous: Instance?
        var pod: JSONValue?
    }
    let state = Mutex(State())
    /// How often the kubelet asked (a follower asks whether the container runs at every poll).
    let asked = Atomic(0)

    func logFile(namespace: String, pod: String, container: String, previous: Bool) -> (path: String, running: Bool)? {
        asked.add(1, ordering: .relaxed)
        guard namespace == "default", pod == "p", container == "app" else { return nil }
        let instance = state.withLock { previous ? $0.previous : $0.current }
        return instance.map { ($0.path, $0.running) }
    }

    func pod(namespace: String, name: String) -> JSONValue? {
        namespace == "default" && name == "p" ? state.withLock { $0.pod } : nil
    }

    /// The pod as the kubelet reports it: the container in `state`, its last instance terminated.
    static func pod(_ state: JSONValue, restarted: Bool) -> JSONValue {
        var status: JSONValue = ["name": "app", "state": state, "restartCount": .int(restarted ? 1 : 0)]
        if restarted { status["lastState"] = ["terminated": ["exitCode": 0, "reason": "Completed", "containerID": "kplane://app-0"]] }
        return ["metadata": ["name": "p", "namespace": "default"], "spec": ["containers": [["name": "app", "image": "busybox"]]],
                "status": ["containerStatuses": [status]]]
    }
}

/// `kubectl logs` and `kctl logs` against `kplane apiserver`, whose pods/log reaches a kubelet
/// server in this process serving logs that a real child process wrote.
@Suite(.serialized) struct KubeletLogsEndToEndTests {
    static let script = "for i in 1 2 3; do echo line $i; sleep 0.2; done"

    /// Runs a process on its own thread (not the concurrency pool, which the kubelet server needs).
    static func spawn(_ exe: String, _ args: [String]) throws -> (Process, Pipe, Pipe) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        return (p, out, err)
    }

    static func output(_ run: (Process, Pipe, Pipe)) async -> (code: Int32, out: String, err: String) {
        await withCheckedContinuation { c in
            Thread.detachNewThread {
                let out = run.1.fileHandleForReading.readDataToEndOfFile()
                let err = run.2.fileHandleForReading.readDataToEndOfFile()
                run.0.waitUntilExit()
                c.resume(returning: (run.0.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self)))
            }
        }
    }

    static func node(_ name: String, ip: String, port: Int) -> String {
        #"{"apiVersion":"v1","kind":"Node","metadata":{"name":"\#(name)"}}"#
    }

    static func nodeStatus(ip: String, port: Int) -> String {
        #"{"status":{"addresses":[{"type":"InternalIP","address":"\#(ip)"}],"daemonEndpoints":{"kubeletEndpoint":{"Port":\#(port)}}}}"#
    }

    static func pod(_ name: String, node: String) -> String {
        #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"\#(name)"},"spec":{"nodeName":"\#(node)","containers":[{"name":"app","image":"busybox"}]}}"#
    }

    /// A loopback port nothing listens on.
    static func closedPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        close(fd)
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// `kplane apiserver` and a kubelet server in this process serving `source`, on its port.
    static func withKubelet(_ body: (ServerProcess, TestLogSource, Int) async throws -> Void) async throws {
        let server = try ServerProcess()
        defer { server.stop() }
        let source = TestLogSource()
        let kubelet = KubeletServer(host: "127.0.0.1", port: 0, logs: source, logger: Logger(label: "kubelet-test"))
        let serving = Task { try await kubelet.run() }
        defer { serving.cancel() }
        let port = await kubelet.boundPort
        try await body(server, source, port)
    }

    /// A Node whose InternalIP and kubelet port are these, as a kubelet registers them.
    static func addNode(_ server: ServerProcess, _ name: String, ip: String, port: Int) async throws {
        #expect(try await server.request("POST", "/api/v1/nodes", body: Self.node(name, ip: ip, port: port)).status == 201)
        let patched = try await server.request("PATCH", "/api/v1/nodes/\(name)/status", body: Self.nodeStatus(ip: ip, port: port),
                                               contentType: "application/merge-patch+json")
        #expect(patched.status == 200)
    }

    @Test func kubectlAndKctlReadAndFollowAProcessLog() async throws {
        try await Self.withKubelet { server, source, port in
            for (name, ip, p) in [("proc-1", "127.0.0.1", port), ("sim-1", "172.18.0.2", 10250), ("gone-1", "127.0.0.1", Self.closedPort())] {
                try await Self.addNode(server, name, ip: ip, port: p)
            }
            for (name, node) in [("p", "proc-1"), ("q", "sim-1"), ("r", "gone-1")] {
                #expect(try await server.request("POST", "/api/v1/namespaces/default/pods", body: Self.pod(name, node: node)).status == 201)
            }

            // The first instance ran and ended: it is the previous one.
            let root = temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: root) }
            let first = try ContainerLog(root: root, namespace: "default", pod: "p", uid: "u1", container: "app", restartCount: 0, clock: SystemClock())
            try await ContainerLogTests.run("for i in 1 2 3; do echo old $i; done", into: first)
            // The second is created; logs -f started now follow it from its first line to its end.
            let second = try ContainerLog(root: root, namespace: "default", pod: "p", uid: "u1", container: "app", restartCount: 1, clock: SystemClock())
            source.state.withLock {
                $0.previous = .init(path: first.path, running: false)
                $0.current = .init(path: second.path, running: true)
                $0.pod = TestLogSource.pod(["running": ["startedAt": "2026-01-01T00:00:00Z"]], restarted: true)
            }
            let kubectls = Kubectl.all(server)
            let kctl = KctlRunner(server: server)
            var followers = kubectls.map { k in
                try? Self.spawn(k.binary, ["--kubeconfig", server.kubeconfig, "--cache-dir", k.cacheDir, "logs", "p", "-f"])
            }
            followers.append(try? Self.spawn(KctlRunner.binary, ["--kubeconfig", server.kubeconfig, "--cache-dir", kctl.cacheDir, "logs", "-f", "p"]))
            try await Task.sleep(for: .milliseconds(500))
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", Self.script]
            process.standardOutput = FileHandle(fileDescriptor: second.stdout, closeOnDealloc: false)
            process.standardError = FileHandle(fileDescriptor: second.stderr, closeOnDealloc: false)
            try process.run()
            second.closeWriteEnds()
            try await Task.sleep(for: .milliseconds(250))
            for f in followers { #expect(f?.0.isRunning == true, "logs -f ended while the container ran") }
            await second.finished()
            source.state.withLock { $0.current?.running = false }
            for f in followers {
                guard let f else { Issue.record("a follower did not start"); continue }
                let r = await Self.output(f)
                #expect(r.code == 0, "\(f.0.arguments ?? []): \(r.err)")
                #expect(r.out == "line 1\nline 2\nline 3\n", "\(f.0.arguments ?? [])")
            }

            // Reading without following, with the options, for every client alike.
            let clients = kubectls.map { ($0.binary, ["--kubeconfig", server.kubeconfig, "--cache-dir", $0.cacheDir]) }
                + [(KctlRunner.binary, ["--kubeconfig", server.kubeconfig, "--cache-dir", kctl.cacheDir])]
            for (name, global) in clients {
                // Each command waits for its process off the concurrency pool.
                func run(_ args: [String]) async throws -> (code: Int32, out: String, err: String) {
                    try await offPool { try ServerProcess.run(name, global + args) }
                }
                #expect(try await run(["logs", "p"]).out == "line 1\nline 2\nline 3\n", "\(name)")
                #expect(try await run(["logs", "p", "--tail=1"]).out == "line 3\n", "\(name)")
                #expect(try await run(["logs", "p", "--previous"]).out == "old 1\nold 2\nold 3\n", "\(name)")
                #expect(try await run(["logs", "p", "-p", "--tail=1"]).out == "old 3\n", "\(name)")
                #expect(try await run(["logs", "p", "--limit-bytes=8"]).out == "line 1\nl", "\(name)")
                #expect(try await run(["logs", "p", "--since=1h"]).out == "line 1\nline 2\nline 3\n", "\(name)")
                #expect(try await run(["logs", "p", "--since-time=2000-01-01T00:00:00Z"]).out == "line 1\nline 2\nline 3\n", "\(name)")
                let stamped = try await run(["logs", "p", "--timestamps"]).out.split(separator: "\n").map(String.init)
                #expect(stamped.count == 3, "\(name)")
                for (i, line) in stamped.enumerated() {
                    #expect(line.range(of: #"^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{9}Z line \#(i + 1)$"#, options: .regularExpression) != nil, "\(name): \(line)")
                }
                #expect(try await run(["logs", "p", "--all-containers", "--prefix"]).out == "[pod/p/app] line 1\n[pod/p/app] line 2\n[pod/p/app] line 3\n", "\(name)")
                // A pod on a simulated node: nothing runs there, the log is empty.
                let simulated = try await run(["logs", "q"])
                #expect(simulated.code == 0 && simulated.out.isEmpty, "\(name): \(simulated.err)")
                // A kubelet that cannot be reached: kube-apiserver's 500 with Go's dial error.
                let gone = try await run(["logs", "r"])
                #expect(gone.code != 0, "\(name)")
                #expect(gone.err.contains(#"containerLogs/default/r/app": dial tcp 127.0.0.1:"#) && gone.err.contains("connect: connection refused"), "\(name): \(gone.err)")
            }

            // A container that has not started: the kubelet's 400, relayed.
            source.state.withLock { $0.pod = TestLogSource.pod(["waiting": ["reason": "ContainerCreating"]], restarted: false) }
            for (name, global) in clients {
                let r = try await offPool { try ServerProcess.run(name, global + ["logs", "p"]) }
                #expect(r.code != 0, "\(name)")
                #expect(r.err.contains(#"container "app" in pod "p" is waiting to start: ContainerCreating"#), "\(name): \(r.err)")
                if name != KctlRunner.binary {
                    #expect(r.err == "Error from server (BadRequest): container \"app\" in pod \"p\" is waiting to start: ContainerCreating\n", "\(name)")
                }
            }
        }
    }

    /// A client that goes away ends the whole chain: the API server drops its kubelet request
    /// and the kubelet stops following.
    @Test func aFollowerThatLeavesStopsTheKubeletsRead() async throws {
        try await Self.withKubelet { server, source, port in
            try await Self.addNode(server, "proc-1", ip: "127.0.0.1", port: port)
            #expect(try await server.request("POST", "/api/v1/namespaces/default/pods", body: Self.pod("p", node: "proc-1")).status == 201)
            let root = temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: root) }
            let log = try ContainerLog(root: root, namespace: "default", pod: "p", uid: "u1", container: "app", restartCount: 0, clock: SystemClock())
            defer { log.closeWriteEnds() }
            source.state.withLock { $0.current = .init(path: log.path, running: true) }
            let k = Kubectl(binary: Kubectl.v132, server: server)
            let follower = try Self.spawn(k.binary, ["--kubeconfig", server.kubeconfig, "--cache-dir", k.cacheDir, "logs", "p", "-f"])
            try await Task.sleep(for: .seconds(1))
            let whileFollowing = source.asked.load(ordering: .relaxed)
            try await Task.sleep(for: .milliseconds(400))
            #expect(source.asked.load(ordering: .relaxed) > whileFollowing, "the kubelet polls while it follows")
            kill(follower.0.processIdentifier, SIGKILL)
            _ = await Self.output(follower)
            try await Task.sleep(for: .milliseconds(500))
            let after = source.asked.load(ordering: .relaxed)
            try await Task.sleep(for: .milliseconds(500))
            #expect(source.asked.load(ordering: .relaxed) == after, "the kubelet still follows for a client that left")
        }
    }

    @Test func theAPIServerValidatesOptionsBeforeAskingTheNode() async throws {
        let server = try ServerProcess()
        defer { server.stop() }
        #expect(try await server.request("POST", "/api/v1/namespaces/default/pods", body: Self.pod("p", node: "")).status == 201)
        let r = try await server.request("GET", "/api/v1/namespaces/default/pods/p/log?tailLines=-1&limitBytes=0")
        #expect(r.status == 422)
        #expect(r.json["message"] as? String
            == #"PodLogOptions "p" is invalid: [tailLines: Invalid value: -1: must be greater than or equal to 0, limitBytes: Invalid value: 0: must be greater than 0]"#)
        let both = try await server.request("GET", "/api/v1/namespaces/default/pods/p/log?sinceSeconds=5&sinceTime=2026-01-01T00:00:00Z")
        #expect(both.status == 422)
        #expect(both.json["message"] as? String == #"PodLogOptions "p" is invalid: : Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified"#)
    }

    @Test func theKubeletServerAnswersAsTheKubelet() async throws {
        let source = TestLogSource()
        let kubelet = KubeletServer(host: "127.0.0.1", port: 0, logs: source, logger: Logger(label: "kubelet-test"))
        let serving = Task { try await kubelet.run() }
        defer { serving.cancel() }
        let port = await kubelet.boundPort
        func get(_ path: String) async throws -> (Int, String) {
            let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
        }
        #expect(try await get("/healthz") == (200, "ok"))
        #expect(try await get("/containerLogs/default/nope/app") == (404, #"pod "nope" does not exist"#))
        source.state.withLock { $0.pod = TestLogSource.pod(["waiting": ["reason": "ErrImagePull"]], restarted: false) }
        #expect(try await get("/containerLogs/default/p/other") == (404, #"container "other" not found in pod "p""#))
        #expect(try await get("/containerLogs/default/p/app") == (400, #"container "app" in pod "p" is waiting to start: image can't be pulled"#))
        #expect(try await get("/containerLogs/default/p/app?previous=true") == (400, #"previous terminated container "app" in pod "p" not found"#))
        #expect(try await get("/containerLogs/default/p/app?tailLines=x") == (400, #"{"message": "Unable to decode query."}"#))
        #expect(try await get("/containerLogs/default/p/app?tailLines=-2") == (422, #"{"message": "Invalid request."}"#))
    }
}
