import Foundation
import KubeClient
import KubeModel
import Logging
import Synchronization

/// The kubelet of a process-backed node: runs the pods bound to it as real processes (one per
/// container, in its own PID and mount namespaces and cgroups, in the pod's network), restarts
/// them by their restart policy with the kubelet's crash-loop back-off, probes them, stops them
/// gracefully, and reports their status through the API.
public final class ProcessKubelet: Controller, ContainerLogSource, ContainerExecSource {
    public let name = "kubelet"
    public let logger: Logger
    public let queue: WorkQueue
    let client: APIClient
    let clock: any WallClock
    let pods: Informer
    let nodeName: String
    let hostIP: String
    let images: ImageStore
    let network: any PodNetwork
    let recorder: EventRecorder
    let records = PodRecords()
    let logRoot: String
    /// Each pod's own directory (`/var/lib/kubelet/pods/<uid>`'s counterpart).
    let podsRoot: String
    /// Whether containers get a root of their own (an overlay); turned off, once, if the
    /// machine cannot mount one.
    let privateRoot = Mutex(true)
    let kubeletVersion: String
    /// This node's directory under `kplane/` in each cgroup hierarchy.
    let cgroupNode: String
    /// Whether containers get their own PID and mount namespaces (root on Linux).
    let namespaces: Bool
    /// How much of each container's output is kept.
    let logPolicy: ContainerLogPolicy
    /// Keyed `<pod uid>_<image>`, as the kubelet keys it; a pod's entries go with the pod.
    let pullBackoff = Mutex<[String: ImagePullBackoff]>([:])

    public init(client: APIClient, clock: any WallClock, pods: Informer, nodeName: String, hostIP: String, dataDir: String,
                images: ImageStore, network: any PodNetwork, kubeletVersion: String, cgroupNode: String? = nil,
                logPolicy: ContainerLogPolicy = ContainerLogPolicy(), logger: Logger) {
        self.cgroupNode = cgroupNode ?? nodeName
        self.logPolicy = logPolicy
        self.client = client
        self.clock = clock
        self.pods = pods
        self.nodeName = nodeName
        self.hostIP = hostIP
        self.images = images
        self.network = network
        self.kubeletVersion = kubeletVersion
        self.logger = logger
        logRoot = dataDir + "/pods"
        podsRoot = dataDir + "/kubelet/pods"
        namespaces = getuid() == 0
        queue = WorkQueue(clock: clock)
        recorder = EventRecorder(client: client, component: "kubelet", clock: clock, logger: logger)
        pods.addHandler(Informer.Handler(
            onAdd: { [weak self] in self?.enqueue($0) },
            onUpdate: { [weak self] in self?.enqueue($1) },
            onDelete: { [weak self] in self?.queue.add(Informer.key($0)) }))
    }

    func enqueue(_ pod: JSONValue) {
        guard Pod(pod).spec.nodeName == nodeName else { return }
        queue.add(Informer.key(pod))
    }

    func key(_ r: PodRecord) -> String { "\(r.namespace)/\(r.name)" }

    public func reconcile(_ key: String) async throws {
        let pod = pods.get(key).flatMap { Pod($0).spec.nodeName == nodeName ? $0 : nil }
        // Pods of this name that are gone from the API (or replaced by a new uid): stop them.
        for r in records.all where self.key(r) == key && r.uid != pod?.uid {
            await stopPod(r.uid, grace: 0, reason: nil)
            await cleanUp(r.uid)
        }
        guard let pod else { return }
        if pod.isDeleting { return await terminate(pod) }
        var record = records.ensure(pod)
        // Succeeded or Failed: nothing starts again; the final status may still need posting.
        guard !record.finished else { return try await postStatus(key) }
        if record.ip == nil {
            do {
                let (network, namespace, name, uid) = (network, pod.metaNamespace, pod.metaName, pod.uid)
                let sandbox = try await Blocking.run { try network.setUp(namespace: namespace, pod: name, uid: uid) }
                records.update(pod.uid) { r in
                    r.ip = sandbox.ip
                    r.netnsPath = sandbox.netnsPath
                    r.startTime = r.startTime ?? clock.now()
                }
                record = records.get(pod.uid) ?? record
            } catch {
                recorder.event(pod, of: .pods, type: "Warning", reason: "FailedCreatePodSandBox",
                               message: "Failed to create pod sandbox: \(error)")
                throw error
            }
        }
        // Volumes, set up again on each sync so ConfigMap and Secret changes reach the files.
        do {
            let env = ContainerEnvironment(client: client, pod: pod, podIP: record.ip ?? "", hostIP: hostIP)
            let volumes = try await PodVolumes(client: client, pod: pod, podDir: podDir(pod.uid), env: env, now: clock.now()).setUp()
            let hosts = podDir(pod.uid) + "/etc-hosts"
            if record.hostsFile == nil {
                try FileManager.default.createDirectory(atPath: podDir(pod.uid), withIntermediateDirectories: true)
                try ContainerRoot.hosts(podIP: record.ip ?? "", hostname: pod.metaName).write(toFile: hosts, atomically: true, encoding: .utf8)
            }
            let resolv = try writeResolvConf(pod, record)
            records.update(pod.uid) { r in
                r.volumes = volumes
                r.hostsFile = hosts
                r.resolvConfFile = resolv
            }
            record = records.get(pod.uid) ?? record
        } catch let e as VolumeSetUpError {
            recorder.event(pod, of: .pods, type: "Warning", reason: "FailedMount", message: e.message)
            queue.add(key, after: 2)
            return try await postStatus(key)
        }
        let spec = Pod(pod).spec
        let policy = spec.restartPolicy ?? "Always"
        var initialized = true
        for c in spec.initContainers {
            let r = record.initContainers[c.name]
            if r?.running != nil { initialized = false; break }
            if let t = r?.lastTerminated, t.exitCode == 0 { continue }
            initialized = false
            if r?.lastTerminated != nil && policy == "Never" { break }
            await start(pod, c, initContainer: true)
            break
        }
        if initialized {
            for c in spec.containers {
                let r = record.containers[c.name]
                if r?.running != nil { continue }
                if let t = r?.lastTerminated {
                    let restart = policy == "Always" || (policy == "OnFailure" && t.exitCode != 0)
                    if !restart { continue }
                }
                await start(pod, c, initContainer: false)
            }
        }
        try await postStatus(key)
        // The kubelet's periodic sync: projected files follow their ConfigMaps and Secrets.
        if spec.volumes.contains(where: { $0.configMap != nil || $0.secret != nil }) {
            queue.add(key, after: 10)
        }
    }

    func podDir(_ uid: String) -> String { "\(podsRoot)/\(uid)" }

    /// Reports the pod's status if it changed; a pod that reached Succeeded or Failed stops
    /// here for good.
    func postStatus(_ key: String) async throws {
        guard let pod = pods.get(key), let record = records.get(pod.uid) else { return }
        let status = ProcessPodStatus(pod: pod, record: record, hostIP: hostIP, now: clock.now())
        let next = status.json
        let phase = status.phase
        if phase == "Succeeded" || phase == "Failed", !record.finished {
            records.update(pod.uid) { $0.finished = true }
            let (network, uid) = (network, pod.uid)
            await Blocking.run { network.tearDown(uid: uid) }
        }
        guard pod["status"] != next else { return }
        var updated = pod
        updated["status"] = next
        do {
            _ = try await client.update(.pods, namespace: pod.metaNamespace, updated, subresource: "status")
        } catch let e as APIStatusError where e.code == 404 {
            return
        } catch let e as APIStatusError where e.code == 409 {
            queue.add(key, after: 0.05)
        }
    }

    /// Forgets a pod that is gone: its network, records and logs.
    func cleanUp(_ uid: String) async {
        let network = self.network
        await Blocking.run { network.tearDown(uid: uid) }
        try? FileManager.default.removeItem(atPath: podDir(uid))
        for dir in logDirectories(where: { $0 == uid }) { try? FileManager.default.removeItem(atPath: dir) }
        Cgroup.removePod(node: cgroupNode, uid: uid)
        pullBackoff.withLock { b in b = b.filter { !$0.key.hasPrefix(uid + "_") } }
        _ = records.remove(uid)
    }

    /// The pods' log directories (`<ns>_<pod>_<uid>`) whose uid passes `test`.
    func logDirectories(where test: (String) -> Bool) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: logRoot)) ?? []).compactMap { name in
            guard let uid = name.split(separator: "_").last.map(String.init), test(uid) else { return nil }
            return logRoot + "/" + name
        }
    }

    /// At start-up, as the kubelet's housekeeping: the directories and logs of pods deleted while
    /// the agent was down (no longer bound here) go.
    func removeOrphans(keeping uids: Set<String>) {
        for uid in (try? FileManager.default.contentsOfDirectory(atPath: podsRoot)) ?? [] where !uids.contains(uid) {
            logger.info("Removing the files of a pod that is gone", metadata: ["uid": "\(uid)"])
            try? FileManager.default.removeItem(atPath: podDir(uid))
        }
        for dir in logDirectories(where: { !uids.contains($0) }) { try? FileManager.default.removeItem(atPath: dir) }
    }

    // MARK: ContainerLogSource

    public func logFile(namespace: String, pod: String, container: String, previous: Bool) -> (path: String, running: Bool)? {
        guard let r = records.all.first(where: { $0.namespace == namespace && $0.name == pod }) else { return nil }
        guard let c = r.containers[container] ?? r.initContainers[container] else { return nil }
        // As the kubelet's validateContainerLogStatus picks the instance: the running one, else
        // the last terminated one; `previous` is always the last terminated one.
        if previous {
            guard c.lastTerminated != nil else { return nil }
            return c.logPaths[c.running != nil ? c.restartCount - 1 : c.restartCount].map { ($0, false) }
        }
        guard c.running != nil || c.lastTerminated != nil else { return nil }
        return c.logPaths[c.restartCount].map { ($0, c.running != nil) }
    }

    public func pod(namespace: String, name: String) -> JSONValue? {
        pods.get(namespace: namespace, name: name).flatMap { Pod($0).spec.nodeName == nodeName ? $0 : nil }
    }

    public var isIdle: Bool { queue.isIdle }

    public func execTarget(namespace: String, pod: String, container: String) -> ExecTarget? {
        running(namespace: namespace, pod: pod, container: container).map { ExecTarget(pid: $0.pid, namespaces: namespaces) }
    }

    public func attachTarget(namespace: String, pod: String, container: String) -> AttachTarget? {
        running(namespace: namespace, pod: pod, container: container).map { AttachTarget(log: $0.log, input: $0.input) }
    }

    /// The running instance of a container (or init container) of a pod here.
    private func running(namespace: String, pod: String, container: String) -> RunningContainer? {
        guard let r = records.all.first(where: { $0.namespace == namespace && $0.name == pod }) else { return nil }
        return r.containers[container]?.running ?? r.initContainers[container]?.running
    }

    public func portForwardTarget(namespace: String, pod: String) -> PortForwardTarget? {
        guard let r = records.all.first(where: { $0.namespace == namespace && $0.name == pod }) else { return nil }
        if let netns = r.netnsPath { return PortForwardTarget(podUID: r.uid, netnsPath: netns, host: "127.0.0.1") }
        guard let ip = r.ip else { return nil }
        return PortForwardTarget(podUID: r.uid, netnsPath: nil, host: ip)
    }
}

extension ProcessKubelet {
    /// A pod that ran here before the agent restarted: its processes died with the old agent,
    /// so each container that ran is recorded as terminated (and restarts, counted), as a
    /// kubelet restart on a machine that rebooted would.
    func adopt(_ pod: JSONValue) {
        let status = Pod(pod).status
        guard !status.containerStatuses.isEmpty, !pod.isDeleting else {
            queue.add(Informer.key(pod))
            return
        }
        let phase = status.phase ?? "Pending"
        _ = records.ensure(pod)
        let now = clock.now()
        records.update(pod.uid) { r in
            r.startTime = status.startTime
            if phase == "Succeeded" || phase == "Failed" { r.finished = true }
            for (statuses, initContainer) in [(status.containerStatuses, false), (status.initContainerStatuses, true)] {
                for cs in statuses {
                    var c = ContainerRecord()
                    // A status is writable by anyone with pods/status: keep the count sane.
                    c.restartCount = Int(clamping: max(0, min(cs.restartCount, Int64(Int32.max))))
                    c.image = cs.image
                    c.imageID = cs.imageID
                    c.waiting = nil
                    // Only the last two instances' logs are kept (current and `--previous`).
                    let dir = ContainerLog.podDirectory(root: logRoot, namespace: pod.metaNamespace, pod: pod.metaName, uid: pod.uid) + "/" + cs.name
                    for n in max(0, c.restartCount - 1)...c.restartCount where FileManager.default.fileExists(atPath: "\(dir)/\(n).log") {
                        c.logPaths[n] = "\(dir)/\(n).log"
                    }
                    func ended(_ t: ContainerState.Terminated) -> TerminatedState {
                        TerminatedState(exitCode: Int32(clamping: t.exitCode), signal: nil, reason: t.reason ?? "Error", message: nil,
                                        startedAt: t.startedAt ?? now, finishedAt: t.finishedAt ?? now,
                                        containerID: t.containerID ?? cs.containerID ?? Self.newContainerID())
                    }
                    if let t = cs.state?.terminated {
                        c.lastTerminated = ended(t)
                    } else if let running = cs.state?.running {
                        c.lastTerminated = TerminatedState(exitCode: 137, signal: nil, reason: "Error", message: nil,
                                                           startedAt: running.startedAt ?? now,
                                                           finishedAt: now, containerID: cs.containerID ?? Self.newContainerID())
                    } else if let t = cs.lastState?.terminated {
                        // Waiting to restart (CrashLoopBackOff): its last run is what ended.
                        c.lastTerminated = ended(t)
                    } else {
                        continue
                    }
                    if initContainer { r.initContainers[cs.name] = c } else { r.containers[cs.name] = c }
                }
            }
        }
        queue.add(Informer.key(pod))
    }
}
