import CContainerShim
import Foundation
import KubeClient
import KubeModel

extension ProcessKubelet {
    /// Starts a container unless its back-off says to wait: pulls (resolves) its image, makes
    /// its environment, its cgroups and its log, and starts its process; every failure leaves
    /// the container waiting with the kubelet's reason, and an event.
    func start(_ pod: JSONValue, _ c: Container, initContainer: Bool) async {
        let key = Informer.key(pod), uid = pod.uid
        let now = clock.now()
        guard let record = records.get(uid) else { return }
        let previous = (initContainer ? record.initContainers : record.containers)[c.name] ?? ContainerRecord()
        func setWaiting(_ reason: String, _ message: String?) {
            records.updateContainer(uid, c.name, initContainer: initContainer) { $0.waiting = (reason, message) }
        }
        // Crash-loop back-off.
        if let finished = previous.finishedAt {
            let at = previous.backoff.restartAt(finished: finished)
            if at > now {
                let podRef = "\(pod.metaName)_\(pod.metaNamespace)(\(uid))"
                if previous.waiting?.reason != "CrashLoopBackOff" {
                    recorder.event(pod, of: .pods, type: "Warning", reason: "BackOff",
                                   message: "Back-off restarting failed container \(c.name) in pod \(podRef)")
                }
                setWaiting("CrashLoopBackOff", "back-off \(Int(previous.backoff.delay))s restarting failed container=\(c.name) pod=\(podRef)")
                queue.add(key, after: at.timeIntervalSince(now))
                return
            }
        }
        // The image.
        let image: ContainerImage
        // The kubelet's key: a corrected image is pulled at once, whatever the old one's back-off.
        let imageKey = "\(uid)_\(c.image)"
        if let (until, lastError) = imageBackoff(imageKey, now: now) {
            if previous.waiting?.reason != "ImagePullBackOff" {
                recorder.event(pod, of: .pods, reason: "BackOff", message: "Back-off pulling image \"\(c.image)\"")
                recorder.event(pod, of: .pods, type: "Warning", reason: "Failed", message: "Error: ImagePullBackOff")
            }
            // The last pull's error, as the kubelet keeps it (prevPullErrMsg), so the message
            // stays the same for the whole back-off.
            setWaiting("ImagePullBackOff", "Back-off pulling image \"\(c.image)\": ErrImagePull: \(lastError)")
            queue.add(key, after: until.timeIntervalSince(now))
            return
        }
        do {
            image = try images.resolve(c.image)
        } catch {
            switch error {
            case .invalidReference(let message):
                recorder.event(pod, of: .pods, type: "Warning", reason: "InspectFailed", message: message)
                recorder.event(pod, of: .pods, type: "Warning", reason: "Failed", message: "Error: InvalidImageName")
                setWaiting("InvalidImageName", message)
            case .notFound where c.imagePullPolicy == "Never":
                let message = "Container image \"\(c.image)\" is not present with pull policy of Never"
                recorder.event(pod, of: .pods, type: "Warning", reason: "ErrImageNeverPull", message: message)
                recorder.event(pod, of: .pods, type: "Warning", reason: "Failed", message: "Error: ErrImageNeverPull")
                setWaiting("ErrImageNeverPull", message)
                queue.add(key, after: 10)
            case .notFound(let message):
                recorder.event(pod, of: .pods, reason: "Pulling", message: "Pulling image \"\(c.image)\"")
                recorder.event(pod, of: .pods, type: "Warning", reason: "Failed", message: "Failed to pull image \"\(c.image)\": \(message)")
                recorder.event(pod, of: .pods, type: "Warning", reason: "Failed", message: "Error: ErrImagePull")
                setWaiting("ErrImagePull", message)
                let until = failImagePull(imageKey, error: message, now: now)
                queue.add(key, after: until.timeIntervalSince(now))
            }
            return
        }
        pullBackoff.withLock { _ = $0.removeValue(forKey: imageKey) }
        records.updateContainer(uid, c.name, initContainer: initContainer) { r in
            r.image = image.reference
            r.imageID = image.imageID
        }
        // Its configuration.
        let ip = record.ip ?? ""
        let env: [(String, String)]
        do {
            env = try await ContainerEnvironment(client: client, pod: pod, podIP: ip, hostIP: hostIP).make(c)
        } catch let e as ContainerConfigError {
            if previous.waiting?.message != e.message {
                recorder.event(pod, of: .pods, type: "Warning", reason: "Failed", message: "Error: \(e.message)")
            }
            setWaiting("CreateContainerConfigError", e.message)
            // The kubelet notices a ConfigMap or Secret that appears on its next sync.
            queue.add(key, after: 2)
            return
        } catch {
            logger.error("Failed to make a container's environment", metadata: ["pod": "\(key)", "container": "\(c.name)", "err": "\(error)"])
            queue.add(key, after: 2)
            return
        }
        var extra: [(String, String)] = [("HOSTNAME", pod.metaName)]
        if record.netnsPath == nil { extra.append(("POD_IP", ip)) }
        let restartCount = previous.lastTerminated == nil ? previous.restartCount : previous.restartCount + 1
        if c.imagePullPolicy == "Always" {
            // Nothing to fetch: the node's store is the registry. Said as a pull that took no time.
            recorder.event(pod, of: .pods, reason: "Pulling", message: "Pulling image \"\(c.image)\"")
            recorder.event(pod, of: .pods, reason: "Pulled", message: "Successfully pulled image \"\(c.image)\" in 0s (0s including waiting)")
        } else {
            recorder.event(pod, of: .pods, reason: "Pulled", message: "Container image \"\(c.image)\" already present on machine")
        }
        do {
            let launch = try ContainerLaunch(container: c, image: image, env: env, extra: extra)
            let running = try await spawn(pod, c, launch: launch, image: image, record: record, restartCount: restartCount)
            // The kubelet keeps one dead instance of a container (and its log) for `--previous`;
            // older ones are collected, so a crash loop does not fill the disk.
            var collected: [String] = []
            records.updateContainer(uid, c.name, initContainer: initContainer) { r in
                if r.lastTerminated != nil { r.backoff.next(now: now) }
                r.restartCount = restartCount
                r.running = running
                r.waiting = nil
                r.logPaths[restartCount] = running.logPath
                for n in r.logPaths.keys where n < restartCount - 1 { r.logPaths.removeValue(forKey: n).map { collected.append($0) } }
                r.started = c.startupProbe == nil
                r.ready = c.readinessProbe == nil
            }
            for path in collected { ContainerLog.remove(path) }
            recorder.event(pod, of: .pods, reason: "Created", message: "Created container: \(c.name)")
            recorder.event(pod, of: .pods, reason: "Started", message: "Started container \(c.name)")
            watch(pod, c, running, initContainer: initContainer)
            checkWildcardListeners(pod, c, running)
        } catch {
            // containerd's failure to start the process: a terminated instance (StartError, 128)
            // that restarts with back-off like a crash.
            let message = (error as? ContainerStartError)?.message ?? ContainerLaunch.runcError("\(error)")
            recorder.event(pod, of: .pods, type: "Warning", reason: "Failed", message: "Error: \(message)")
            records.updateContainer(uid, c.name, initContainer: initContainer) { r in
                if r.lastTerminated != nil { r.backoff.next(now: now) }
                r.restartCount = restartCount
                r.waiting = nil
                r.lastTerminated = TerminatedState(exitCode: 128, signal: nil, reason: "StartError", message: message,
                                                   startedAt: Date(timeIntervalSince1970: 0), finishedAt: now, containerID: Self.newContainerID())
            }
            queue.add(key)
        }
    }

    static func newContainerID() -> String { "containerd://" + PodStatus.hex(64) }

    /// The cgroups, log and process of one container instance.
    func spawn(_ pod: JSONValue, _ c: Container, launch: ContainerLaunch, image: ContainerImage, record: PodRecord, restartCount: Int) async throws -> RunningContainer {
        let path = try launch.executable(rootfs: image.rootfs)
        let ids = image.config.user.isEmpty ? nil : try image.resolveUser()
        // What is made below is undone if the start fails at any step (no cgroup, descriptor or
        // log thread is left behind by a start that is retried with back-off).
        var cgroup: Cgroup?, log: ContainerLog?, input: ContainerInput?
        let root = ContainerRoot(podDir: podDir(pod.uid), container: c.name, instance: restartCount)
        var started = false
        defer {
            if !started {
                log?.closeWriteEnds()
                if input == nil, let t = log?.terminal { close(t) }
                input?.instanceEnded()
                cgroup?.destroy(logger: logger)
                root.remove()
            }
        }
        if Cgroup.available {
            let cg = Cgroup(node: cgroupNode, podUID: pod.uid, container: c.name)
            cg.destroy(logger: logger)
            cgroup = cg
            let limits = c.resources.limitQuantities, requests = c.resources.requestQuantities
            try cg.create(memoryLimit: limits[name: "memory"].map { Int64(clampingValue: $0.value) },
                          cpuRequestMilli: (requests[name: "cpu"] ?? limits[name: "cpu"])?.milliValue,
                          cpuLimitMilli: limits[name: "cpu"]?.milliValue)
        }
        let containerLog = try ContainerLog(root: logRoot, namespace: pod.metaNamespace, pod: pod.metaName, uid: pod.uid, container: c.name,
                                            restartCount: restartCount, maxSize: logPolicy.maxSize, maxFiles: logPolicy.maxFiles, tty: c.tty, clock: clock)
        log = containerLog
        let containerInput = try ContainerInput(stdin: c.stdin, stdinOnce: c.stdinOnce, terminal: containerLog.terminal)
        input = containerInput
        // A terminal is all three of the process's streams, as a runtime's console is.
        var spec = SpawnSpec(path: path, argv: launch.argv, env: launch.env, cwd: launch.workingDir,
                             stdin: c.tty ? containerLog.stdout : containerInput.processStdin, stdout: containerLog.stdout, stderr: containerLog.stderr,
                             cgroupProcs: cgroup?.procsFiles ?? [], netnsPath: record.netnsPath, newNamespaces: namespaces,
                             mountProc: namespaces, ids: getuid() == 0 ? ids : nil, controllingTerminal: c.tty)
        if namespaces && privateRoot.withLock({ $0 }) {
            // The image's paths are its own: its files over the host's, in a root of its own.
            spec.mounts = try root.mounts(image: image, volumeMounts: c.volumeMounts, volumes: record.volumes ?? [:],
                                          hostsFile: record.hostsFile ?? "/etc/hosts", resolvConf: record.resolvConfFile)
            spec.root = root.merged
            spec.hostname = pod.metaName
            if let rootfs = image.rootfs, path.hasPrefix(rootfs + "/") { spec.path = String(path.dropFirst(rootfs.count)) }
        } else {
            if let rootfs = image.rootfs, FileManager.default.fileExists(atPath: rootfs + launch.workingDir) {
                // No root of its own: the image's paths resolve inside its directory.
                spec.cwd = rootfs + launch.workingDir
            }
            // Nor can its volumes appear at their mount paths: say where their files are instead.
            if restartCount == 0, !c.volumeMounts.isEmpty {
                let volumes = record.volumes ?? [:]
                let places = c.volumeMounts.map { m in "\(m.mountPath) -> \(volumes[m.name] ?? "?")" }.joined(separator: ", ")
                recorder.event(pod, of: .pods, type: "Warning", reason: "VolumeMountsNotHonored",
                               message: "Container \(c.name) shares the host's filesystem (kplane runs without root or mount namespaces), so its volumes are not at their mount paths; their files are at: \(places)")
            }
        }
        let pid: pid_t
        do {
            pid = try await Spawner.shared.spawn(spec)
        } catch {
            if error.step == Int32(KP_STEP_MOUNT), spec.root != nil {
                // This machine cannot give containers a root of their own: say so once, go on
                // without (the next start of this container shares the host's filesystem).
                logger.warning("Containers share the host's filesystem: mounting their own root failed", metadata: ["err": "\(error)"])
                privateRoot.withLock { $0 = false }
            }
            throw ContainerStartError(message: ContainerLaunch.runcError("\(error)"))
        }
        started = true
        containerLog.closeWriteEnds()
        containerInput.closeChildEnd()
        return RunningContainer(pid: pid, containerID: Self.newContainerID(), startedAt: clock.now(), cgroup: cgroup, logPath: containerLog.path,
                                log: containerLog, input: containerInput, root: spec.root == nil ? nil : root.directory)
    }

    /// Waits for the instance to exit (recording how, and whether the OOM killer did it), and
    /// probes it while it runs.
    func watch(_ pod: JSONValue, _ c: Container, _ running: RunningContainer, initContainer: Bool) {
        let key = Informer.key(pod), uid = pod.uid
        let probes = initContainer ? nil : Task { await self.probe(pod, c, running) }
        // No cgroup to enforce the limit: sample instead.
        let limit = c.resources.limitQuantities[name: "memory"].map { Int64(clampingValue: $0.value) }
        let sampler = running.cgroup == nil ? limit.map { l in Task { await MemorySampler.watch(pid: running.pid, limit: l) } } : nil
        Task {
            let status = await ProcessReaper.shared.wait(for: running.pid)
            probes?.cancel()
            sampler?.cancel()
            let now = clock.now()
            let sampledOOM = await sampler?.value ?? false
            // Every line is on disk before the instance counts as stopped (a follower ends then).
            await running.log.finished()
            running.input.instanceEnded()
            let oomKilled = sampledOOM || (running.cgroup?.oomKills ?? 0) > 0
            running.cgroup?.destroy(logger: logger)
            if let dir = running.root { try? FileManager.default.removeItem(atPath: dir) }
            let code = oomKilled ? 137 : status.exitCode
            let reason = oomKilled ? "OOMKilled" : code == 0 ? "Completed" : "Error"
            records.updateContainer(uid, c.name, initContainer: initContainer) { r in
                guard r.running?.containerID == running.containerID else { return }
                r.lastTerminated = TerminatedState(exitCode: code, signal: nil, reason: reason, message: nil,
                                                   startedAt: running.startedAt, finishedAt: now, containerID: running.containerID)
                r.running = nil
                r.ready = false
                r.started = false
                r.waiting = nil
            }
            logger.info("Container exited", metadata: ["pod": "\(key)", "container": "\(c.name)", "exitCode": "\(code)", "reason": "\(reason)"])
            if reason == "Error" { checkPortConflicts(pod, c, exitCode: code) }
            queue.add(key)
        }
    }

    /// When an image pull of `key` may be tried again, and the last pull's error, if it is
    /// backing off.
    func imageBackoff(_ key: String, now: Date) -> (until: Date, lastError: String)? {
        pullBackoff.withLock { b in
            guard let entry = b[key], let last = entry.backoff.lastUpdate else { return nil }
            let until = last.addingTimeInterval(entry.backoff.delay)
            return until > now ? (until, entry.lastError) : nil
        }
    }

    /// Records a failed pull: the next try waits 10 s, doubling to 300 s (the kubelet's image
    /// back-off).
    func failImagePull(_ key: String, error: String, now: Date) -> Date {
        pullBackoff.withLock { b in
            var entry = b[key] ?? ImagePullBackoff()
            entry.backoff.next(now: now)
            entry.lastError = error
            b[key] = entry
            return now.addingTimeInterval(entry.backoff.delay)
        }
    }
}

/// One pod's back-off pulling one image, with the error of its last pull.
struct ImagePullBackoff: Sendable {
    var backoff = CrashBackoff()
    var lastError = ""
}
