import Foundation
import Logging
import Synchronization
@testable import Nodes

/// What the pod network tests share: distinct nodes and subnets per test (tests run in parallel,
/// and other checkouts may run theirs on the same machine), servers in pods, and HTTP gets.
enum PodNetworkTestSupport {
    /// Root on Linux with iproute2 and nsenter: what namespaced pod networks need.
    static let namespacesAvailable = PodNetworks.chosen.ip != nil

    static let logger = Logger(label: "pod-network-test")

    /// Third octets from 200 to 249, starting at a place that depends on the process, so two test
    /// runs at once are unlikely to pick the same /24 (10.244.200.0/24 ...).
    private static let nextOctet = Mutex(200 + Int(getpid()) % 50)

    static func newSubnet() -> PodSubnet {
        nextOctet.withLock { n in
            defer { n = n >= 249 ? 200 : n + 1 }
            return PodSubnet(10, 244, n)
        }
    }

    static func newNamespacedNetwork(_ label: String) throws -> NamespacedPodNetwork {
        guard let ip = PodNetworks.chosen.ip else { throw TestFailure("no ip command") }
        return NamespacedPodNetwork(nodeName: "nettest-\(getpid())-\(label)", subnet: newSubnet(), ip: ip, logger: logger)
    }

    /// Runs a command on the host (`ip ...`) and returns what it printed, stdout then stderr.
    static func host(_ argv: String...) throws -> String {
        guard let command = HostCommand.find(argv[0]) else { throw TestFailure("\(argv[0]) not found") }
        let out = try command.output(Array(argv.dropFirst()))
        return out.stdout + out.stderr
    }

    /// A Node.js HTTP server on `port` that answers `name`, started as the runtime would start a
    /// container: the network's argv prefix, then the command. Listens on every address of the
    /// pod (`bind` nil) or on one.
    static func startServer(_ network: PodSandboxNetwork, port: Int, name: String, bind: String? = nil) throws -> Process {
        let host = bind.map { ", '\($0)'" } ?? ""
        let script = "require('http').createServer((q, r) => r.end('\(name)')).listen(\(port)\(host))"
        return try start(network.commandPrefix + ["/usr/bin/env", "node", "-e", script])
    }

    static func start(_ argv: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: argv[0].hasPrefix("/") ? argv[0] : "/usr/bin/env")
        process.arguments = argv[0].hasPrefix("/") ? Array(argv.dropFirst()) : argv
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func stop(_ processes: [Process]) {
        for p in processes where p.isRunning { p.terminate() }
        for p in processes { p.waitUntilExit() }
    }

    /// GET http://ip:port/ from inside `from` (a pod's namespace) or from the host, retried until
    /// the server answers or `seconds` pass; the body, or nil.
    static func get(_ ip: String, port: Int, from: PodSandboxNetwork? = nil, seconds: Double = 10) -> String? {
        let script = """
            fetch('http://\(ip):\(port)/', { signal: AbortSignal.timeout(1000) })
              .then(r => r.text()).then(t => process.stdout.write(t)).catch(() => process.exit(1))
            """
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let process = Process()
            let argv = (from?.commandPrefix ?? []) + ["/usr/bin/env", "node", "-e", script]
            process.executableURL = URL(fileURLWithPath: argv[0])
            process.arguments = Array(argv.dropFirst())
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { return nil }
            let body = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            if process.terminationStatus == 0 { return body }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return nil
    }
}

extension PodNetworkTestSupport {
    /// Whether `condition` holds within `seconds`, checked every 20 ms.
    static func eventually(seconds: Double = 3, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            guard Date() < deadline else { return false }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return true
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
