import Foundation
import KplaneTestSupport
import Testing

/// A process node's podCIDR is sized from its max pods, as `--node-cidr-mask-size` sizes a
/// Kubernetes node's: a /24 for the default 110, a /23 for 300.
@Suite(.serialized, .timeLimit(.minutes(3))) struct PodCIDRE2ETests {
    @Test(.offPool) func aNodeOf300PodsHasASlash23() throws {
        let c = try ProcessCluster(extraArgs: ["--node-max-pods", "300"])
        let cidr = try c.kubectl("get", "node", "kplane-process-1", "-o", "jsonpath={.spec.podCIDR} {.spec.podCIDRs[*]} {.status.capacity.pods}").out
        let parts = cidr.split(separator: " ").map(String.init)
        #expect(parts.count == 3 && parts[0] == parts[1] && parts[2] == "300", "\(cidr)")
        #expect(parts[0].hasPrefix("10.243.") && parts[0].hasSuffix(".0/23"), "\(cidr)")
        try c.apply("""
            apiVersion: v1
            kind: Pod
            metadata: {name: sleeper}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - {name: main, image: busybox, command: ["sleep", "600"]}
            """)
        try c.wait("the pod to run") { try c.get("sleeper", "{.status.phase}") == "Running" }
        let third = Int(parts[0].split(separator: ".")[2]) ?? -1
        let ip = try c.get("sleeper", "{.status.podIP}").split(separator: ".").compactMap { Int($0) }
        #expect(ip.count == 4 && ip[0...1] == [10, 243] && (third...third + 1).contains(ip[2]), "\(ip)")
    }
}
