import Foundation
import KplaneTestSupport
import Testing

/// What `kplane up` makes of its node flags, and what a process node reports of itself and its
/// images: a bare `up` is one process node the size of the machine; simulated and process nodes
/// mix in one cluster; images the node lacks, may not pull, or cannot parse wait with the
/// kubelet's reasons; a running container's imageID carries its digest.
@Suite(.serialized, .timeLimit(.minutes(3)), .offPool) struct ProcessClusterShapeE2ETests {
    @Test func aBareUpIsOneProcessNodeTheSizeOfTheMachine() throws {
        let server = try ServerProcess(role: "up", extraArgs: ["--ingress-port", "0"])
        let kubectl = Kubectl(binary: Kubectl.v132, server: server)
        func node(_ path: String) throws -> String { try kubectl("get", "nodes", "-o", "jsonpath=\(path)").out }
        try waitUntil("the node Ready") { try node("{.items[*].status.conditions[?(@.type=='Ready')].status}") == "True" }
        #expect(try node("{.items[*].metadata.name}") == "kplane-process-1")
        #expect(try node("{.items[0].metadata.labels.type}") == "kplane-process")
        #expect(try node("{.items[0].status.capacity.cpu}") == String(ProcessInfo.processInfo.activeProcessorCount))
        #expect(try node("{.items[0].status.capacity.memory}") == "\(ProcessInfo.processInfo.physicalMemory / 1024)Ki")
        #expect(try node("{.items[0].status.nodeInfo.containerRuntimeVersion}") == "kplane-process://0.1.0")
        #expect(try node("{.items[0].status.addresses[?(@.type=='InternalIP')].address}").hasPrefix("127.0.1."))
        let lease = try kubectl("get", "lease", "-n", "kube-node-lease", "kplane-process-1", "-o", "jsonpath={.spec.holderIdentity} {.spec.renewTime}").out
        #expect(lease.hasPrefix("kplane-process-1 "), "\(lease)")

        let r = try kubectl("apply", "-f", "-", stdin: """
            apiVersion: v1
            kind: Pod
            metadata: {name: web}
            spec:
              containers: [{name: nginx, image: nginx, readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 1}}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: bad-name}
            spec:
              containers: [{name: main, image: "Bad:Image"}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: never}
            spec:
              containers: [{name: main, image: "not-here:1", imagePullPolicy: Never}]
            """)
        #expect(r.code == 0, "\(r.err)")
        func pod(_ name: String, _ path: String) throws -> String { try kubectl("get", "pod", name, "-o", "jsonpath=\(path)").out }
        let waiting = "{.status.containerStatuses[0].state.waiting.reason}"
        try waitUntil("InvalidImageName") { try pod("bad-name", waiting) == "InvalidImageName" }
        #expect(try pod("bad-name", "{.status.containerStatuses[0].state.waiting.message}").hasPrefix("Failed to apply default image tag \"Bad:Image\": couldn't parse image name"))
        try waitUntil("ErrImageNeverPull") { try pod("never", waiting) == "ErrImageNeverPull" }
        #expect(try pod("never", "{.status.containerStatuses[0].state.waiting.message}") == "Container image \"not-here:1\" is not present with pull policy of Never")
        // nginx's stand-in answers on port 80 of the pod's own address, and its imageID is a digest.
        try waitUntil("nginx Ready") { try pod("web", "{.status.conditions[?(@.type=='Ready')].status}") == "True" }
        let ip = try pod("web", "{.status.podIP}")
        let page = try ServerProcess.run("/usr/bin/env", ["curl", "-s", "-m", "5", "http://\(ip):80/"])
        #expect(page.out.contains("Welcome to nginx!"), "\(page.out)")
        #expect(try pod("web", "{.status.containerStatuses[0].imageID}").hasPrefix("docker.io/library/nginx@sha256:"))
        #expect(try pod("web", "{.status.containerStatuses[0].image}") == "docker.io/library/nginx:latest")
    }

    @Test func simulatedAndProcessNodesMixAndAFleetGroupKeepsItsSize() throws {
        let fleet = temporaryDirectory() + "/fleet.yaml"
        try """
            apiVersion: kplane.dev/v1alpha1
            kind: Fleet
            nodeGroups:
            - {namePrefix: sim-, count: 2}
            - {namePrefix: proc-, count: 1, type: process, cpu: "3", memory: 6Gi}
            """.write(toFile: fleet, atomically: true, encoding: .utf8)
        let server = try ServerProcess(role: "up", extraArgs: ["--fleet", fleet, "--process-nodes", "1", "--ingress-port", "0"])
        let kubectl = Kubectl(binary: Kubectl.v132, server: server)
        try waitUntil("four nodes Ready") {
            try kubectl("get", "nodes", "-o", "jsonpath={.items[*].status.conditions[?(@.type=='Ready')].status}").out == "True True True True"
        }
        let types = try kubectl("get", "nodes", "-o", "jsonpath={range .items[*]}{.metadata.name}={.metadata.labels.type} {end}").out
        #expect(types.contains("sim-1=kplane-simulated") && types.contains("sim-2=kplane-simulated"), "\(types)")
        #expect(types.contains("proc-1=kplane-process") && types.contains("kplane-process-1=kplane-process"), "\(types)")
        // The group's own size is kept; the flag's node takes the machine's.
        #expect(try kubectl("get", "node", "proc-1", "-o", "jsonpath={.status.capacity.cpu} {.status.capacity.memory}").out == "3 6Gi")
        // One Deployment lands on both kinds (the scheduler treats them alike); the process
        // pods are real processes.
        let r = try kubectl("create", "deployment", "spread", "--image=busybox", "--replicas=8", "--", "sleep", "600")
        #expect(r.code == 0, "\(r.err)")
        try waitUntil("eight pods Running", seconds: 40) {
            try kubectl("get", "pods", "-l", "app=spread", "--field-selector=status.phase=Running", "--no-headers").out
                .split(separator: "\n").count == 8
        }
        let placed = try kubectl("get", "pods", "-l", "app=spread", "-o", "jsonpath={.items[*].spec.nodeName}").out
        #expect(placed.contains("sim-") && (placed.contains("proc-1") || placed.contains("kplane-process-1")), "\(placed)")
        #expect(!processes(containing: "sleep 600").isEmpty)
    }
}
