import Foundation
import KplaneTestSupport
import Testing

/// Loopback pod network (pods share the host's network, each its own 127.x.y.z): a process
/// listening on 0.0.0.0 holds its port for every pod, and the pods' events say so.
@Suite(.serialized, .timeLimit(.minutes(3))) struct LoopbackPortConflictE2ETests {
    @Test(.offPool) func aWildcardListenerIsReportedAndTheNextPodsFailureNamesIt() throws {
        let c = try ProcessCluster(environment: ["KPLANE_POD_NETWORK": "loopback"])
        let port = 21000 + Int(getpid()) % 9000
        func pod(_ name: String) -> String {
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: \(name)}
            spec:
              terminationGracePeriodSeconds: 1
              restartPolicy: Never
              containers:
              - name: main
                image: node:20
                command: ["node", "-e", "require('net').createServer().listen(\(port), '0.0.0.0')"]
                ports: [{containerPort: \(port)}]
            """
        }
        try c.apply(pod("first"))
        try c.wait("the wildcard listener's event", seconds: 90) { try c.events("first").contains("HostPortConflict") }
        let ip = try c.get("first", "{.status.podIP}")
        #expect(ip.hasPrefix("127.1."))
        #expect(try c.events("first").contains(
            "HostPortConflict: Container main listens on 0.0.0.0:\(port), every address of the host: pods share the host's network here "
            + "(loopback pod network), so this takes port \(port) from every other pod; listen on $POD_IP (\(ip)) instead"))

        try c.apply(pod("second"))
        try c.wait("the second pod to fail", seconds: 60) { try c.get("second", "{.status.phase}") == "Failed" }
        try c.wait("the conflict's event", seconds: 30) { try c.events("second").contains("HostPortConflict") }
        #expect(try c.events("second").contains(
            "HostPortConflict: Container main exited with code 1 while its port \(port) is held by pod default/first (container main), "
            + "listening on 0.0.0.0:\(port)"))
        #expect(try c.get("first", "{.status.phase}") == "Running")
    }
}
