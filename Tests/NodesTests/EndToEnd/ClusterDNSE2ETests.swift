import Foundation
import KplaneTestSupport
import Testing

/// A process pod in its own network namespace finds a Service by name, through the resolv.conf
/// its kubelet wrote and the cluster DNS `kplane up` runs on the node bridge's gateway, and gets
/// the Service variables in its environment.
@Suite(.serialized) struct ClusterDNSE2ETests {
    @Test(.offPool) func aPodResolvesAServiceByItsShortName() throws {
        // Namespaces (and so DNS) need root; loopback pods share the host's resolver.
        guard getuid() == 0 else { return }
        let c = try ProcessCluster()
        try c.apply("""
            apiVersion: v1
            kind: Service
            metadata: {name: myapp}
            spec:
              selector: {app: myapp}
              ports: [{port: 80, targetPort: 3000}]
            """)
        let clusterIP = try c.kubectl("get", "svc", "myapp", "-o", "jsonpath={.spec.clusterIP}").out
        let script = """
            require('dns').lookup('myapp', (e, a) => { console.log('myapp=' + (e ? e.code : a)); \
            require('dns').lookup('nope', (e2) => { console.log('nope=' + (e2 ? e2.code : 'found')); \
            console.log('env=' + process.env.MYAPP_SERVICE_HOST); setInterval(() => {}, 1000) }) })
            """
        try c.apply("""
            apiVersion: v1
            kind: Pod
            metadata: {name: client}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: main
                image: node:20
                command: ["node", "-e", \(String(decoding: try JSONSerialization.data(withJSONObject: [script], options: [.withoutEscapingSlashes]), as: UTF8.self).dropFirst().dropLast())]
            """)
        try c.wait("the lookups", seconds: 60) { try c.logFile("client").contains("env=") }
        let log = try c.logFile("client")
        #expect(log.contains("myapp=\(clusterIP)"), "\(log)")
        #expect(log.contains("nope=ENOTFOUND"), "\(log)")
        #expect(log.contains("env=\(clusterIP)"), "\(log)")
    }
}
