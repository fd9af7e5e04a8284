import Foundation
import KplaneTestSupport
import Testing

/// What a learner sees of a Service's endpoints on `kplane up` (simulated nodes), through real
/// kubectl and through kctl: `get endpoints`, `get endpointslices` and `describe svc`.
@Suite(.serialized, .offPool) struct KctlEndpointsTests {
    static let manifest = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: myapp
        spec:
          replicas: 4
          selector:
            matchLabels:
              app: myapp
          template:
            metadata:
              labels:
                app: myapp
            spec:
              containers:
              - name: myapp
                image: myapp:1.0.0
                ports:
                - name: http
                  containerPort: 3000
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: myapp
        spec:
          selector:
            app: myapp
          ports:
          - name: http
            port: 80
            targetPort: http
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: nothing
        spec:
          selector:
            app: nothing
          ports:
          - port: 80
        """

    @Test func endpointsShowAsKubectlShowsThem() throws {
        let server = try ServerProcess(role: "up", extraArgs: ["--nodes", "2"])
        let kubectl = Kubectl(binary: Kubectl.v132, server: server)
        let kctl = KctlRunner(server: server)
        let applied = try kubectl("apply", "-f", "-", stdin: Self.manifest)
        #expect(applied.code == 0, "\(applied.err)")
        let deadline = Date().addingTimeInterval(60)
        var endpoints = ""
        while Date() < deadline {
            endpoints = try kubectl("get", "endpoints", "myapp").out
            if endpoints.contains("+ 1 more...") { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        // NAME    ENDPOINTS                                      AGE
        // myapp   10.244.0.2:3000,10.244.0.3:3000,... + 1 more...   5s
        #expect(endpoints.range(of: #"myapp +(\d+\.){3}\d+:3000,(\d+\.){3}\d+:3000,(\d+\.){3}\d+:3000 \+ 1 more\.\.\. "#, options: .regularExpression) != nil,
                "\(endpoints)")
        let slices = try kubectl("get", "endpointslices").out
        #expect(slices.range(of: #"myapp-[a-z0-9]{5} +IPv4 +3000 +(\d+\.){3}\d+,(\d+\.){3}\d+,(\d+\.){3}\d+ \+ 1 more\.\.\."#, options: .regularExpression) != nil,
                "\(slices)")
        // The kubernetes Service's endpoints are this API server.
        #expect(try kubectl("get", "endpoints", "kubernetes").out.contains("127.0.0.1:\(server.port)"))
        #expect(slices.contains("kubernetes"))
        for kubectl in Kubectl.all(server) {
            let described = try kubectl("describe", "svc", "myapp").out
            #expect(described.range(of: #"\nEndpoints: +(\d+\.){3}\d+:3000,(\d+\.){3}\d+:3000,(\d+\.){3}\d+:3000 \+ 1 more\.\.\.\n"#, options: .regularExpression) != nil,
                    "\(kubectl.binary): \(described)")
            for args in [["describe", "svc", "myapp"], ["describe", "endpoints", "myapp"], ["describe", "endpoints", "kubernetes"],
                         ["describe", "endpoints", "nothing"], ["get", "endpoints"], ["get", "endpointslices"], ["get", "endpoints", "myapp", "-o", "wide"]] {
                let ours = try kctl.run(args), theirs = try kubectl.run(args)
                #expect(maskAges(ours.out) == maskAges(theirs.out), "kctl and \(kubectl.binary) \(args.joined(separator: " "))")
            }
        }
        // Several objects at once: kctl follows 1.32, which shows each one's events (1.37 shows
        // events only when it describes a single object).
        let all = ["describe", "endpointslices", "-l", "kubernetes.io/service-name"]
        #expect(maskAges(try kctl.run(all).out) == maskAges(try kubectl.run(all).out))
        server.stop()
    }
}
