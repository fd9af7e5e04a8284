import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KplaneTestSupport
import KubeClient
import Testing

/// `kctl exec`, `attach`, `port-forward` and `proxy` against `kplane up` with a process node,
/// through the API server to the node's kubelet, each compared with what kubectl 1.32 prints
/// for the same command on the same cluster.
@Suite(.serialized, .timeLimit(.minutes(5))) struct KctlStreamingTests {
    static let pods = """
        apiVersion: v1
        kind: Pod
        metadata: {name: web, labels: {app: web}}
        spec:
          containers:
          - name: app
            image: busybox
            command: ["sh", "-c", "echo started; sleep 600"]
            workingDir: /tmp
            env: [{name: GREETING, value: hello from the container}]
          - name: side
            image: busybox
            command: ["sleep", "600"]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: httpd, labels: {app: httpd}}
        spec:
          containers:
          - name: app
            image: busybox
            command: ["python3", "-m", "http.server", "3000", "--bind", "0.0.0.0"]
            ports: [{name: http, containerPort: 3000}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: httpd}
        spec:
          selector: {app: httpd}
          ports: [{name: web, port: 80, targetPort: http}]
        """

    /// `kplane up --process-nodes 1` with the pods running.
    static func cluster() async throws -> ServerProcess {
        let server = try ServerProcess(role: "up", extraArgs: ["--process-nodes", "1"])
        let apply = try await ChildProcess.run(server, "apply", "-f", "-", stdin: pods)
        #expect(apply.code == 0, "\(apply.err)")
        try await eventually("the pods to run", seconds: 60) {
            let r = try await ChildProcess.run(server, "get", "pods", "-o", "jsonpath={.items[*].status.phase}")
            return r.out == "Running Running"
        }
        return server
    }

    @Test func execPassesOutputExitCodesAndStdinAsKubectl() async throws {
        let server = try await Self.cluster()
        for binary in [KctlRunner.binary, Kubectl.v132] {
            let r = try await ChildProcess.run(server, "exec", "web", "--", "sh", "-c", "echo $GREETING; pwd; echo to-stderr >&2", binary: binary)
            #expect(r.code == 0, "\(binary): \(r.err)")
            #expect(r.out == "hello from the container\n/tmp\n", "\(binary)")
            #expect(r.err == "Defaulted container \"app\" out of: app, side\nto-stderr\n", "\(binary)")

            let exit3 = try await ChildProcess.run(server, "exec", "web", "-c", "app", "--", "sh", "-c", "echo out; exit 3", binary: binary)
            #expect(exit3.code == 3, "\(binary): \(exit3.err)")
            #expect(exit3.out == "out\n")
            #expect(exit3.err == "command terminated with exit code 3\n", "\(binary)")

            let cat = try await ChildProcess.run(server, "exec", "-i", "web", "-c", "app", "--", "sh", "-c", "cat; echo done", stdin: "hello\nworld\n", binary: binary)
            #expect(cat.code == 0, "\(binary): \(cat.err)")
            #expect(cat.out == "hello\nworld\ndone\n", "\(binary)")

            // A Service names its pods by selector: the first of them runs the command.
            let svc = try await ChildProcess.run(server, "exec", "svc/httpd", "--", "sh", "-c", "echo via service", binary: binary)
            #expect(svc.code == 0 && svc.out == "via service\n", "\(binary): \(svc.err)")
        }
    }

    @Test func execErrorsReadAsKubectls() async throws {
        let server = try await Self.cluster()
        let cases: [[String]] = [
            ["exec", "web"],
            ["exec", "web", "-c", "nope", "--", "true"],
            ["exec", "missing", "--", "true"],
            ["exec", "cm/x", "--", "true"],
        ]
        for args in cases {
            let ours = try await ChildProcess.run(server, args, binary: KctlRunner.binary)
            let theirs = try await ChildProcess.run(server, args, binary: Kubectl.v132)
            #expect(ours.code == theirs.code, "\(args): \(ours.err) vs \(theirs.err)")
            #expect(ours.err == theirs.err.replacingOccurrences(of: "kubectl", with: "kctl"), "\(args)")
        }
        let none = try await ChildProcess.run(server, "exec", "web")
        #expect(none.err == "error: you must specify at least one command for the container\n")
    }

    @Test func portForwardCarriesHTTPToThePodThroughAServicesNamedPort() async throws {
        let server = try await Self.cluster()
        // `:80`: a free local port, forwarded to the container port the Service's targetPort names.
        let forward = try ChildProcess.kctl(server, ["port-forward", "svc/httpd", ":80", "--address", "127.0.0.1"])
        var local = 0
        try await eventually("the forwarder to listen", seconds: 10) {
            let line = forward.out.split(separator: "\n").first { $0.hasPrefix("Forwarding from 127.0.0.1:") }
            local = line.flatMap { Int($0.dropFirst("Forwarding from 127.0.0.1:".count).split(separator: " ")[0]) } ?? 0
            return local > 0
        }
        #expect(forward.out == "Forwarding from 127.0.0.1:\(local) -> 3000\n")
        for _ in 0..<3 {
            let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(local)/")!)
            #expect((response as? HTTPURLResponse)?.statusCode == 200)
            #expect(String(decoding: data, as: UTF8.self).contains("Directory listing"))
        }
        #expect(forward.out.components(separatedBy: "Handling connection for \(local)\n").count == 4, "\(forward.out)")
        #expect(forward.isRunning)
        forward.interrupt()
        #expect(await forward.exitCode() == 0)
    }

    @Test func portForwardReportsAClosedPortAndEndsAsKubectlDoes() async throws {
        let server = try await Self.cluster()
        let forward = try ChildProcess.kctl(server, ["port-forward", "pod/httpd", "0:3001"])
        var local = 0
        try await eventually("the forwarder to listen", seconds: 10) {
            let line = forward.out.split(separator: "\n").first { $0.hasPrefix("Forwarding from 127.0.0.1:") }
            local = line.flatMap { Int($0.dropFirst("Forwarding from 127.0.0.1:".count).split(separator: " ")[0]) } ?? 0
            return local > 0
        }
        _ = try? await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(local)/")!)
        #expect(await forward.exitCode() == 1)
        #expect(forward.err.contains("portforward.go:424] \"Unhandled Error\" err=\"an error occurred forwarding \(local) -> 3001: error forwarding port 3001 to pod "), "\(forward.err)")
        #expect(forward.err.hasSuffix("\nerror: lost connection to pod\n"), "\(forward.err)")
        // The pod must run, as kubectl checks before forwarding.
        let usage = try await ChildProcess.run(server, "port-forward", "pod/httpd")
        #expect(usage.code == 1 && usage.err == "error: TYPE/NAME and list of ports are required for port-forward\nSee 'kctl port-forward -h' for help and examples\n")
        let named = try await ChildProcess.run(server, "port-forward", "svc/httpd", "8080:nope")
        #expect(named.code == 1 && named.err == "error: Service 'httpd' does not have a named port 'nope'\n", "\(named.err)")
    }

    @Test func proxyServesTheAPIAndServiceProxyWithTheKubeconfigsCredentials() async throws {
        let server = try await Self.cluster()
        let proxy = try ChildProcess.kctl(server, ["proxy", "--port", "0"])
        var port = 0
        try await eventually("the proxy to serve", seconds: 10) {
            port = Int(proxy.out.split(separator: "\n").first?.split(separator: ":").last ?? "") ?? 0
            return port > 0
        }
        #expect(proxy.out == "Starting to serve on 127.0.0.1:\(port)\n")
        let base = "http://127.0.0.1:\(port)"
        let (api, _) = try await URLSession.shared.data(from: URL(string: base + "/api")!)
        #expect(String(decoding: api, as: UTF8.self).contains("\"APIVersions\""))
        let (pod, _) = try await URLSession.shared.data(from: URL(string: base + "/api/v1/namespaces/default/pods/httpd")!)
        #expect(String(decoding: pod, as: UTF8.self).contains("\"name\":\"httpd\""))
        let (page, _) = try await URLSession.shared.data(from: URL(string: base + "/api/v1/namespaces/default/services/httpd:web/proxy/")!)
        #expect(String(decoding: page, as: UTF8.self).contains("Directory listing"))
        // exec through the proxy is refused, as kubectl's default --reject-paths says.
        let (_, refused) = try await URLSession.shared.data(from: URL(string: base + "/api/v1/namespaces/default/pods/web/exec?command=true")!)
        #expect((refused as? HTTPURLResponse)?.statusCode == 403)
        proxy.stop()
    }

    @Test func attachStreamsTheRunningProcess() async throws {
        let server = try await Self.cluster()
        if try await Self.attachAnswers404(server) { try Test.cancel("the server answers 404 for pods/attach (not served yet)") }
        let attach = try ChildProcess.kctl(server, ["attach", "web", "-c", "app"])
        try await eventually("attach to start or fail", seconds: 10) { !attach.err.isEmpty }
        try await Task.sleep(for: .seconds(1))
        #expect(attach.err.hasPrefix("If you don't see a command prompt, try pressing enter.\n"), "\(attach.err)")
        #expect(attach.isRunning, "\(attach.err)")
        attach.stop()
    }

    /// Whether the API server (or the kubelet behind it) refuses the attach upgrade with 404.
    static func attachAnswers404(_ server: ServerProcess) async throws -> Bool {
        let rest = try RestConfig.resolve(try Kubeconfig.load(explicit: server.kubeconfig), ConfigOverrides())
        do {
            try await StreamDialer.upgrade(rest, userAgent: "test", method: "GET", path: "/api/v1/namespaces/default/pods/web/attach",
                                           query: [("container", "app"), ("stdout", "true")],
                                           headers: WebSocketClient.handshake(protocols: RemoteCommand.protocols)) { _ in }
            return false
        } catch let e as APIStatusError {
            return e.code == 404
        }
    }
}
