import Foundation
import KplaneTestSupport
import Testing

/// `kplane up --process-nodes 1` with real kubectl, and the reads the tests make of it.
struct ProcessCluster {
    let server: ServerProcess
    let kubectl: Kubectl

    init(extraArgs: [String] = [], dataDir: String? = nil, environment: [String: String] = [:]) throws {
        server = try ServerProcess(dataDir: dataDir, role: "up", extraArgs: ["--process-nodes", "1"] + extraArgs, environment: environment)
        kubectl = Kubectl(binary: Kubectl.v132, server: server)
    }

    func apply(_ yaml: String) throws {
        let r = try kubectl("apply", "-f", "-", stdin: yaml)
        #expect(r.code == 0, "\(r.err)")
    }

    /// `kubectl get pod NAME -o jsonpath=PATH`.
    func get(_ pod: String, _ jsonpath: String) throws -> String {
        try kubectl("get", "pod", pod, "-o", "jsonpath=\(jsonpath)").out
    }

    func wait(_ what: String, seconds: Double = 20, _ condition: () throws -> Bool) throws {
        try waitUntil(what, seconds: seconds, condition)
    }

    /// Pod `half`: container `app` runs, container `side` has ended (Completed). For what
    /// exec and attach say of a container that is not running.
    func applyHalfEndedPod() throws {
        try apply("""
            apiVersion: v1
            kind: Pod
            metadata: {name: half}
            spec:
              restartPolicy: Never
              containers:
              - {name: app, image: busybox, command: ["sleep", "600"]}
              - {name: side, image: busybox, command: ["true"]}
            """)
        try wait("the side container to end") { try get("half", "{.status.containerStatuses[1].state.terminated.reason}") == "Completed" }
    }

    func events(_ pod: String) throws -> String {
        try kubectl("get", "events", "--field-selector", "involvedObject.name=\(pod)", "-o",
                    "jsonpath={range .items[*]}{.reason}: {.message}{\"\\n\"}{end}").out
    }

    /// The log file of a container instance, where the node keeps it.
    func logFile(_ pod: String, container: String = "main", instance: Int = 0) throws -> String {
        let uid = try get(pod, "{.metadata.uid}")
        let path = "\(server.dataDir)/nodes/kplane-process-1/pods/default_\(pod)_\(uid)/\(container)/\(instance).log"
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }
}

/// A client a user types at: each runs with a discovery cache of its own.
struct UserClient {
    let name: String
    let run: ([String]) throws -> (code: Int32, out: String, err: String)

    @discardableResult
    func callAsFunction(_ args: String...) throws -> (code: Int32, out: String, err: String) {
        try run(args)
    }

    /// The rows of the table `get` prints, each as its words (NAME READY STATUS RESTARTS AGE
    /// for a pod; a RESTARTS of "2 (5s ago)" is two words).
    func rows(_ args: [String]) throws -> [[String]] {
        try run(args).out.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
    }

    /// The row of `name` in the table `get` prints, empty when no row names it.
    func row(_ args: String..., name: String) throws -> [String] {
        try rows(args).first { $0.first == name } ?? []
    }
}

extension ProcessCluster {
    /// kubectl 1.32, kubectl 1.37 where it is installed, and kctl: what the user sees must be
    /// what each of them shows.
    func clients() -> [UserClient] {
        let v132 = kubectl, kctl = KctlRunner(server: server)
        let v137 = Kubectl.v137.map { Kubectl(binary: $0, server: server) }
        return [UserClient(name: "kubectl 1.32") { try v132.run($0) }]
            + (v137.map { k in [UserClient(name: "kubectl 1.37") { try k.run($0) }] } ?? [])
            + [UserClient(name: "kctl") { try kctl.run($0) }]
    }
}

/// Processes on this machine whose command line contains `marker`.
func processes(containing marker: String) -> [String] {
    let r = try? ServerProcess.run("/usr/bin/env", ["ps", "-eo", "pid,args"])
    return (r?.out ?? "").split(separator: "\n").map(String.init).filter { $0.contains(marker) && !$0.contains("ps -eo") }
}
