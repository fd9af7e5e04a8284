import Foundation
import KplaneTestSupport
import Testing

/// The seed's app behind its Service and Ingress, through `kplane up --process-nodes 1`, real
/// kubectl and curl: the Ingress routes `myapp.example.com`, and `services/proxy`,
/// `pods/proxy` and `kubectl proxy` reach the same pods.
@Suite(.serialized, .offPool) struct IngressEndToEndTests {
    /// A port nothing listens on now (the kernel's pick for port 0).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard bound else { throw CancellationError() }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    static func curl(_ args: String...) throws -> (code: Int32, out: String, err: String) {
        try ServerProcess.run("/usr/bin/curl", ["-s", "--max-time", "20"] + args)
    }

    static func waitUntil(_ what: String, seconds: Double = 60, _ condition: () throws -> Bool) throws {
        try KplaneTestSupport.waitUntil(what, seconds: seconds, interval: 0.2, condition)
    }

    @Test func seedIngressServiceProxyAndPodProxy() throws {
        let dataDir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let built = try ServerProcess.run(ServerProcess.binary, ["image", "build", "-t", "myapp:1.0.0", "--build-arg", "APP_VERSION=1.0.0",
                                                                 Kubectl.manifestsFolder + "/app", "--data-dir", dataDir])
        #expect(built.code == 0, "\(built.err)")
        let port = try Self.freePort()
        let server = try ServerProcess(dataDir: dataDir, role: "up",
                                       extraArgs: ["--process-nodes", "1", "--ingress-port", String(port), "--ingress-https-port", "0"])
        defer { server.stop() }
        let kubectl = Kubectl(binary: Kubectl.v132, server: server)
        let m = Kubectl.manifestsFolder
        let applied = try kubectl("apply", "-f", m + "/config.yaml", "-f", m + "/deployment.yaml", "-f", m + "/service-ingress.yaml")
        #expect(applied.code == 0, "\(applied.err)")

        // The IngressClass made at start, the cluster's default, and the Ingress's status.
        let ingressClass = try kubectl("get", "ingressclass", "kplane", "-o",
                                       #"jsonpath={.spec.controller} {.metadata.annotations.ingressclass\.kubernetes\.io/is-default-class}"#)
        #expect(ingressClass.out == "kplane.io/ingress-controller true", "\(ingressClass)")
        try Self.waitUntil("the Ingress's address") {
            try kubectl("get", "ingress", "myapp", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}").out == "127.0.0.1"
        }

        // Nothing is ready yet or no endpoint is listed: ingress-nginx's 503, or its 404 for other hosts.
        let other = try Self.curl("-i", "-H", "Host: other.example.com", "http://127.0.0.1:\(port)/")
        #expect(other.out.hasPrefix("HTTP/1.1 404 Not Found\r\n") && other.out.contains("<center>nginx</center>"))

        try Self.waitUntil("3 ready pods", seconds: 90) {
            let ready = try kubectl("get", "pods", "-l", "app=myapp", "-o", #"jsonpath={range .items[*]}{.status.containerStatuses[0].ready} {end}"#).out
            return ready == "true true true "
        }
        let pods = try kubectl("get", "pods", "-l", "app=myapp", "-o", #"jsonpath={range .items[*]}{.status.podIP} {.metadata.name}{"\n"}{end}"#).out
        // The endpoints controller lists the three ready pods in the Service's EndpointSlice.
        try Self.waitUntil("the Service's EndpointSlice with 3 ready endpoints") {
            let ready = try kubectl("get", "endpointslices", "-l", "kubernetes.io/service-name=myapp", "-o",
                                    #"jsonpath={range .items[*].endpoints[*]}{.conditions.ready} {end}"#).out
            return ready == "true true true "
        }

        // The seed's promise: curl with the Host header reaches the app, each pod in turn.
        var seen = Set<String>()
        try Self.waitUntil("the app through the Ingress") {
            let r = try Self.curl("-H", "Host: myapp.example.com", "http://127.0.0.1:\(port)/")
            guard r.out.contains(#""app":"myapp""#) && r.out.contains(#""version":"1.0.0""#) else { return false }
            if let pod = r.out.range(of: #""pod":"[^"]+""#, options: .regularExpression) { seen.insert(String(r.out[pod])) }
            return seen.count == 3
        }

        // services/proxy through kubectl get --raw, by port number and by an empty port name.
        let raw = try kubectl("get", "--raw", "/api/v1/namespaces/default/services/myapp:80/proxy/")
        #expect(raw.code == 0 && raw.out.contains(#""app":"myapp""#), "\(raw)")
        let noPort = try kubectl("get", "--raw", "/api/v1/namespaces/default/services/myapp:81/proxy/")
        #expect(noPort.code == 1 && noPort.err.contains(#"Error from server (ServiceUnavailable): no service port 81 found for service "myapp""#), "\(noPort)")
        let pod = try #require(pods.split(separator: "\n").first?.split(separator: " ").last)
        let health = try kubectl("get", "--raw", "/api/v1/namespaces/default/pods/\(pod)/proxy/ready")
        #expect(health.out.contains(#""status":"ready""#), "\(health)")
        let missing = try kubectl("get", "--raw", "/api/v1/namespaces/default/pods/nope/proxy/")
        #expect(missing.err.contains(#"Error from server (NotFound): pods "nope" not found"#), "\(missing)")

        // kubectl proxy: one keep-alive connection to the API server for every request.
        let proxyPort = try Self.freePort()
        let proxy = Process()
        proxy.executableURL = URL(fileURLWithPath: Kubectl.v132)
        proxy.arguments = ["--kubeconfig", server.kubeconfig, "proxy", "--port", String(proxyPort)]
        proxy.standardOutput = FileHandle.nullDevice
        proxy.standardError = FileHandle.nullDevice
        try proxy.run()
        defer { proxy.terminate(); proxy.waitUntilExit() }
        try Self.waitUntil("kubectl proxy", seconds: 20) {
            try Self.curl("http://127.0.0.1:\(proxyPort)/api/v1/namespaces/default/services/myapp:80/proxy/").out.contains(#""app":"myapp""#)
        }
        for _ in 0..<5 {
            let r = try Self.curl("http://127.0.0.1:\(proxyPort)/api/v1/namespaces/default/services/myapp/proxy/health")
            #expect(r.out.contains(#""status":"ok""#), "\(r)")
        }
    }
}
