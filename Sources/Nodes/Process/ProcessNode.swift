import Foundation
import KubeClient
import KubeModel
import Logging
import Synchronization

/// A node whose pods are real processes: registers its Node (capacity from the machine unless
/// its group sets it, `type: kplane-process`), renews its Lease, cleans up what a previous run
/// left, and runs its kubelet. It runs inside `kplane up` or alone (`kplane node run`).
public final class ProcessNode: Sendable {
    /// The label value that tells process-backed nodes from simulated ones (`type`).
    public static let typeLabel = "kplane-process"
    public static let kubeletVersion = "v1.32.0"

    public let name: String
    let group: NodeGroup
    let client: APIClient
    let clock: any WallClock
    public let pods: Informer
    public let kubelet: ProcessKubelet
    /// Samples what its containers use, for `/stats/summary` and `/metrics/resource`.
    public let stats: StatsSampler
    let network: any PodNetwork
    let logger: Logger
    let claim: PodCIDRClaim
    /// The kubelet's own port (10250's role): container logs, on the node's address.
    let server: KubeletServer
    private let serving = Mutex<Task<Void, Never>?>(nil)
    private let port = Mutex(0)
    /// When the node last posted its status.
    private let lastStatusReport = Mutex(Date.distantPast)
    let leaseDurationSeconds: Int64 = 40
    let leaseRenewSeconds: TimeInterval = 10

    /// A process node with InternalIP 127.0.1.<n+1>, `n` being `ordinal` when given, else the
    /// number of the pod range it claims machine-wide (so no two running nodes of any cluster on
    /// this machine share an address); `group` may set its size.
    public init(client api: APIClient, clock: any WallClock, name: String, ordinal: Int? = nil, group: NodeGroup,
                dataDir: String, pods: Informer? = nil, logPolicy: ContainerLogPolicy = ContainerLogPolicy(),
                logger: Logger = Logger(label: "kubelet")) throws {
        let client = api.identified(as: UserAgent.kubelet)
        self.name = name
        self.group = group
        self.client = client
        self.clock = clock
        self.logger = logger
        // On its own (`kplane node run`), it watches only the pods bound to it, as the kubelet.
        self.pods = pods ?? Informer(client: client, resource: .pods, fieldSelector: "spec.nodeName=\(name)")
        let nodeDir = dataDir + "/nodes/\(name)"
        try FileManager.default.createDirectory(atPath: nodeDir, withIntermediateDirectories: true)
        let remembered = try? String(contentsOfFile: nodeDir + "/pod-cidr", encoding: .utf8)
        guard let claim = PodCIDRClaim.claim(maxPods: group.maxPods, preferred: remembered) else {
            throw PodCIDRExhausted(prefixLength: PodCIDRClaim.prefixLength(maxPods: group.maxPods))
        }
        try claim.cidr.write(toFile: nodeDir + "/pod-cidr", atomically: true, encoding: .utf8)
        self.claim = claim
        if let block = PodSubnet(cidr: claim.cidr), block.podOffsets.count < group.maxPods {
            logger.warning("The node's podCIDR holds fewer pods than its max pods", metadata: ["podCIDR": "\(claim.cidr)", "maxPods": "\(group.maxPods)"])
        }
        // The network's names derive from the claimed range, so they are unique on the machine.
        network = PodNetworks.make(nodeName: "\(name)@\(claim.cidr)", nodeIndex: claim.number, podCIDR: claim.cidr, logger: logger)
        let images = try ImageStore(root: dataDir + "/images")
        kubelet = ProcessKubelet(client: client, clock: clock, pods: self.pods, nodeName: name, hostIP: Self.address(ordinal: ordinal ?? claim.number),
                                 dataDir: nodeDir, images: images, network: network,
                                 kubeletVersion: Self.kubeletVersion, cgroupNode: Self.cgroupNode(name, claim),
                                 logPolicy: logPolicy, logger: logger)
        // Port 0: several clusters (a user's, a test's) may run nodes on one machine.
        stats = StatsSampler(nodeName: name, clock: clock, targets: { [records = kubelet.records] in records.sampledPods })
        server = KubeletServer(host: Self.address(ordinal: ordinal ?? claim.number), port: 0, logs: kubelet, stats: stats, exec: kubelet, logger: logger, clock: clock)
    }

    /// Node addresses on loopback, one per process node, so each kubelet has its own.
    public static func address(ordinal: Int) -> String { "127.0.1.\(ordinal % 254 + 1)" }

    var podCIDR: String { claim.cidr }
    /// Where this node's pods find the cluster DNS (see `PodNetwork.clusterDNS`).
    public var clusterDNS: String? { network.clusterDNS }

    /// The node's directory under each cgroup hierarchy's `kplane/`: its name and its claimed
    /// range, unique on the machine while it runs, so a node of the same name in another cluster
    /// (every `kplane up` has a `kplane-process-1`) never removes its containers' cgroups.
    static func cgroupNode(_ name: String, _ claim: PodCIDRClaim) -> String { "\(name)@\(claim.number)" }

    struct PodCIDRExhausted: Error, CustomStringConvertible {
        let prefixLength: Int
        var description: String { "no /\(prefixLength) of 10.243.0.0/16 is free: process nodes on this machine hold them" }
    }

    /// Creates the Node (or takes over the one that exists), posts a Ready status, takes the Lease.
    /// The seed's app images are built first if the store lacks them, so its manifests run.
    public func register() async throws {
        if serving.withLock({ $0 == nil }) {
            let server = self.server, logger = self.logger
            serving.withLock { $0 = Task {
                do { try await server.run() } catch {
                    logger.error("The kubelet's server stopped", metadata: ["err": "\(error)"])
                }
            } }
            let bound = await server.boundPort
            port.withLock { $0 = bound }
        }
        do {
            try SeedImages.ensure(in: kubelet.images)
        } catch {
            logger.warning("The seed's app images are not built", metadata: ["err": "\(error)"])
        }
        let cidr = JSONValue.string(podCIDR)
        var labels: [String: JSONValue] = [
            "kubernetes.io/hostname": .string(name), "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
            "beta.kubernetes.io/os": "linux", "beta.kubernetes.io/arch": "amd64", "type": .string(Self.typeLabel),
        ]
        for (k, v) in group.labels { labels[k] = .string(v) }
        var spec: JSONValue = ["podCIDR": cidr, "podCIDRs": [cidr]]
        if !group.taints.isEmpty { spec["taints"] = .array(group.taints.map(\.json)) }
        let object: JSONValue = [
            "apiVersion": "v1", "kind": "Node",
            "metadata": ["name": .string(name), "labels": .object(labels), "annotations": ["node.alpha.kubernetes.io/ttl": "0"]],
            "spec": spec,
        ]
        var node: JSONValue
        do {
            node = try await client.create(.nodes, namespace: nil, object)
        } catch let e as APIStatusError where e.code == 409 {
            node = try await client.get(.nodes, namespace: nil, name: name)
            // Its range went to another cluster meanwhile: a podCIDR cannot change, so the Node
            // is made again, as a kubelet on a machine that changed joins anew.
            if Node(node).spec.podCIDR != podCIDR {
                logger.info("The node's pod range changed; registering it again", metadata: ["node": "\(name)", "podCIDR": "\(podCIDR)"])
                _ = try await client.call("DELETE", APIResource.nodes.path(namespace: nil, name: name), body: nil)
                node = try await client.create(.nodes, namespace: nil, object)
            }
        }
        try await postStatus(node)
        try await NodeObject.renewLease(client: client, name: name, durationSeconds: leaseDurationSeconds, now: clock.now())
        logger.info("Registered process-backed node", metadata: ["node": "\(name)", "address": "\(kubelet.hostIP)"])
    }

    /// Writes the node's status over `node`; the node lifecycle controller may change the Node
    /// meanwhile, so a conflict reads it again (the kubelet's nodeStatusUpdateRetry, 5).
    func postStatus(_ node: JSONValue) async throws {
        var node = node
        for attempt in 1...5 {
            // Its identity is the machine's (a reboot's new boot ID shows), not carried over.
            node["status"] = NodeObject.carryingOver(status(now: clock.now()), from: node, keepingIdentity: false)
            do {
                _ = try await client.update(.nodes, namespace: nil, node, subresource: "status")
                lastStatusReport.withLock { $0 = clock.now() }
                return
            } catch let e as APIStatusError where e.code == 409 && attempt < 5 {
                node = try await client.get(.nodes, namespace: nil, name: name)
            }
        }
    }

    /// The kubelet's status loop, run with each Lease renewal: it reports again when the stored
    /// Ready condition is not True (a lapsed Lease got the node marked Unknown) or when
    /// `nodeStatusReportFrequency` (5 min) has passed since the last report.
    func reportStatusIfNeeded() async throws {
        let node = try await client.get(.nodes, namespace: nil, name: name)
        let last = lastStatusReport.withLock { $0 }
        guard !NodeObject.isReady(node) || clock.now().timeIntervalSince(last) >= Self.nodeStatusReportFrequency else { return }
        logger.debug("Reporting node status", metadata: ["node": "\(name)", "ready": "\(NodeObject.isReady(node))"])
        try await postStatus(node)
    }

    static let nodeStatusReportFrequency: TimeInterval = 300

    /// Capacity from the machine (or the group), addresses, and what this node runs.
    func status(now: Date) -> JSONValue {
        let machineCPU = String(ProcessInfo.processInfo.activeProcessorCount)
        let machineMemory = "\(ProcessInfo.processInfo.physicalMemory / 1024)Ki"
        let cpu = group.cpuFromMachine ? machineCPU : group.cpu
        let memory = group.memoryFromMachine ? machineMemory : group.memory
        let resources: JSONValue = ["cpu": .string(cpu), "memory": .string(memory), "pods": .string(String(group.maxPods)),
                                    "ephemeral-storage": "100Gi", "hugepages-2Mi": "0"]
        var uts = utsname()
        uname(&uts)
        let kernel = withUnsafeBytes(of: &uts.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return [
            "capacity": resources, "allocatable": resources,
            "conditions": NodeObject.healthyConditions(now: now),
            "addresses": [["type": "InternalIP", "address": .string(kubelet.hostIP)], ["type": "Hostname", "address": .string(name)]],
            "daemonEndpoints": ["kubeletEndpoint": ["Port": .int(Int64(port.withLock { $0 }))]],
            "nodeInfo": [
                "machineID": .string(Self.machineID), "systemUUID": .string(Self.systemUUID(name)), "bootID": .string(Self.bootID),
                "kernelVersion": .string(kernel), "osImage": .string(Self.osImage),
                "containerRuntimeVersion": "kplane-process://0.1.0",
                "kubeletVersion": .string(Self.kubeletVersion), "kubeProxyVersion": .string(Self.kubeletVersion),
                "operatingSystem": "linux", "architecture": "amd64",
            ],
        ]
    }

    static let machineID: String = {
        ((try? String(contentsOfFile: "/etc/machine-id", encoding: .utf8)) ?? FastRandom.uuid().replacingOccurrences(of: "-", with: ""))
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }()

    /// The machine's boot, as the kubelet reads it: a new one after a reboot.
    static let bootID: String = {
        ((try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8)) ?? FastRandom.uuid()).trimmingCharacters(in: .whitespacesAndNewlines)
    }()

    /// A stable UUID for node `name` on this machine (the machine's own is one for all its nodes).
    static func systemUUID(_ name: String) -> String {
        let h = Array(SHA256.hex(machineID + "/" + name).prefix(32))
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(h[$0]) }.joined(separator: "-")
    }

    /// `PRETTY_NAME` of /etc/os-release, as the kubelet reports it.
    static let osImage: String = {
        let text = (try? String(contentsOfFile: "/etc/os-release", encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
            return String(line.dropFirst(12)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return "Linux"
    }()

    /// Runs until cancelled: cleans up what a killed predecessor left, then the kubelet and the
    /// Lease renewals. Pods still bound here from before are restarted (and counted).
    public func run(workers: Int = 16, ownInformer: Bool = true) async {
        // Its own cgroups from before, and those of any node killed while it held this block.
        for node in Set(Cgroup.nodes(numbered: claim.numbers) + [kubelet.cgroupNode]) {
            if node != kubelet.cgroupNode { logger.info("Removing the cgroups of node \(node), which is gone") }
            Cgroup.cleanUp(node: node, keeping: [], logger: logger)
            if node != kubelet.cgroupNode { Cgroup.removeNode(node) }
        }
        network.cleanUp(keeping: [])
        await withTaskGroup(of: Void.self) { group in
            if ownInformer { group.addTask { await self.pods.run(clock: self.clock) } }
            await pods.waitForSync()
            group.addTask { await self.renewLeases() }
            group.addTask { await self.stats.run() }
            group.addTask { [kubelet] in
                await withTaskCancellationHandler { await kubelet.run(workers: workers) } onCancel: { kubelet.queue.shutDown() }
            }
            let bound = pods.list().filter { Pod($0).spec.nodeName == name }
            kubelet.removeOrphans(keeping: Set(bound.map(\.uid)))
            for pod in bound { kubelet.adopt(pod) }
        }
        // Stopped: the containers die with this process (killed here already, with their
        // cgroups); their networks and the bridge go too.
        Cgroup.cleanUp(node: kubelet.cgroupNode, keeping: [], logger: logger)
        Cgroup.removeNode(kubelet.cgroupNode)
        network.tearDownNode()
        claim.release()
        serving.withLock { $0 }?.cancel()
    }

    func renewLeases() async {
        while !Task.isCancelled {
            guard (try? await clock.sleep(for: leaseRenewSeconds)) != nil else { return }
            do {
                try await NodeObject.renewLease(client: client, name: name, durationSeconds: leaseDurationSeconds, now: clock.now())
            } catch {
                logger.error("Failed to renew lease", metadata: ["node": "\(name)", "err": "\(error)"])
            }
            do { try await reportStatusIfNeeded() } catch {
                logger.error("Failed to post node status", metadata: ["node": "\(name)", "err": "\(error)"])
            }
        }
    }
}
