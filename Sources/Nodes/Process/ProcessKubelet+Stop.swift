import Foundation
import KubeClient
import KubeModel

extension ProcessKubelet {
    /// A deleted pod: runs each container's preStop hook, sends SIGTERM, waits out the grace
    /// period, then SIGKILL; once nothing runs, the pod's network goes and the kubelet removes
    /// the object (the final delete, with its uid as precondition), as the kubelet's status
    /// manager does.
    func terminate(_ pod: JSONValue) async {
        let uid = pod.uid
        let begin = records.update(uid) { r -> Bool in
            if r.terminating { return false }
            r.terminating = true
            return true
        }
        // Never ran here (or not since the agent restarted): nothing to stop, but its files go.
        guard begin != nil else {
            await finalDelete(pod)
            return await cleanUp(uid)
        }
        guard begin == true else { return }
        let grace = TimeInterval(Pod(pod).metadata.deletionGracePeriodSeconds ?? Pod(pod).spec.terminationGracePeriodSeconds ?? 30)
        Task {
            await stopPod(uid, grace: grace, reason: "Stopping container", pod: pod)
            await finalDelete(pod)
            await cleanUp(uid)
        }
    }

    func finalDelete(_ pod: JSONValue) async {
        do {
            _ = try await client.call("DELETE", APIResource.pods.path(namespace: pod.metaNamespace, name: pod.metaName),
                                      body: ["apiVersion": "v1", "kind": "DeleteOptions", "gracePeriodSeconds": 0,
                                             "preconditions": ["uid": .string(pod.uid)]])
        } catch let e as APIStatusError where e.code == 404 || e.code == 409 {
            // Already gone, or a new pod of the same name.
        } catch {
            logger.error("Failed to delete a terminated pod", metadata: ["pod": "\(Informer.key(pod))", "err": "\(error)"])
            queue.add(Informer.key(pod), after: 1)
        }
    }

    /// Stops every container of the pod (init containers too) within `grace` seconds.
    func stopPod(_ uid: String, grace: TimeInterval, reason: String?, pod: JSONValue? = nil) async {
        guard let r = records.get(uid) else { return }
        let spec = pod.map { Pod($0).spec }
        await withTaskGroup(of: Void.self) { group in
            for (name, c) in r.containers where c.running != nil {
                let container = spec?.containers.first { $0.name == name }
                if let pod, let reason { recorder.event(pod, of: .pods, reason: "Killing", message: "\(reason) \(name)") }
                group.addTask { await self.stopContainer(uid, name, initContainer: false, grace: grace, preStop: container, pod: pod) }
            }
            for (name, c) in r.initContainers where c.running != nil {
                group.addTask { await self.stopContainer(uid, name, initContainer: true, grace: grace, preStop: nil, pod: pod) }
            }
        }
    }

    /// Runs the preStop hook, sends SIGTERM, and SIGKILL when `grace` runs out; returns once
    /// the instance has exited.
    func stopContainer(_ uid: String, _ name: String, initContainer: Bool, grace: TimeInterval, preStop container: Container?, pod: JSONValue?) async {
        func current() -> RunningContainer? {
            records.get(uid).flatMap { (initContainer ? $0.initContainers : $0.containers)[name]?.running }
        }
        guard let running = current() else { return }
        var deadline = clock.now().addingTimeInterval(max(0, grace))
        if grace > 0, let container, let hook = container.lifecycle.preStop, let pod {
            await runHook(hook, pod: pod, container: container, running: running, until: deadline)
        }
        // killContainer: whatever the hook took, the process gets at least 2 s after SIGTERM
        // (minimumGracePeriodInSeconds) unless no grace at all was asked.
        if grace > 0 { deadline = max(deadline, clock.now().addingTimeInterval(Self.minimumGracePeriod)) }
        running.signal(grace > 0 ? SIGTERM : SIGKILL)
        var granted = grace
        while current()?.containerID == running.containerID {
            let now = clock.now()
            // A second delete with a shorter grace period shortens the wait, as the pod worker
            // restarts the kill with it.
            if let pod, let latest = self.pods.get(Informer.key(pod)), latest.uid == pod.uid,
               let shorter = Pod(latest).metadata.deletionGracePeriodSeconds.map(TimeInterval.init),
               shorter < granted {
                granted = shorter
                deadline = min(deadline, now.addingTimeInterval(shorter > 0 ? max(shorter, Self.minimumGracePeriod) : 0))
            }
            if now >= deadline {
                running.signal(SIGKILL)
                break
            }
            try? await clock.sleep(for: min(0.05, deadline.timeIntervalSince(now)))
        }
        // SIGKILL takes the container's PID namespace with it; wait until the exit is recorded.
        for _ in 0..<200 where current()?.containerID == running.containerID {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    static let minimumGracePeriod: TimeInterval = 2

    /// A lifecycle handler (preStop): exec in the container, an HTTP GET, or a sleep, bounded
    /// by the grace period.
    func runHook(_ hook: Probe, pod: JSONValue, container: Container, running: RunningContainer, until deadline: Date) async {
        let remaining = deadline.timeIntervalSince(clock.now())
        guard remaining > 0 else { return }
        if let seconds = hook.sleepSeconds {
            try? await clock.sleep(for: min(TimeInterval(seconds), remaining))
            return
        }
        let ip = records.get(pod.uid)?.ip ?? ""
        let result = await ProbeRunner(kubeletVersion: kubeletVersion).run(hook, podIP: ip, container: container,
                                                                           exec: { argv, _ in await self.exec(argv, in: running, timeout: remaining) })
        if !result.success {
            recorder.event(pod, of: .pods, type: "Warning", reason: "FailedPreStopHook",
                           message: "PreStopHook failed: \(result.message)")
        }
    }
}
