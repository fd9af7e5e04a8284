import Foundation
import KubeClient
import KubeModel

extension ProcessKubelet {
    /// Probes a running instance as the kubelet's prober workers do: the startup probe until it
    /// passes (it gates the others), then liveness and readiness each on its own period; a
    /// result that changes readiness requeues the pod, and a failed liveness or startup probe
    /// restarts the container.
    func probe(_ pod: JSONValue, _ c: Container, _ running: RunningContainer) async {
        let key = Informer.key(pod), uid = pod.uid
        if let startup = c.startupProbe {
            let passed = await loop(startup, pod, c, running, kind: "Startup") { _ in false }
            guard passed, !Task.isCancelled else { return }
            records.updateContainer(uid, c.name, initContainer: false) { r in
                if r.running?.containerID == running.containerID { r.started = true }
            }
            queue.add(key)
        }
        await withTaskGroup(of: Void.self) { group in
            if let liveness = c.livenessProbe {
                group.addTask { _ = await self.loop(liveness, pod, c, running, kind: "Liveness") { _ in true } }
            }
            if let readiness = c.readinessProbe {
                group.addTask {
                    _ = await self.loop(readiness, pod, c, running, kind: "Readiness") { ready in
                        let changed = self.records.update(uid) { r -> Bool in
                            guard var cr = r.containers[c.name], cr.running?.containerID == running.containerID, cr.ready != ready else { return false }
                            cr.ready = ready
                            r.containers[c.name] = cr
                            return true
                        } ?? false
                        if changed { self.queue.add(key) }
                        return true
                    }
                }
            }
        }
    }

    /// Runs `probe` every period. `onResult` hears each threshold-crossing result and says
    /// whether to go on; a startup probe (`onResult` answers false) ends at its first success.
    /// Returns whether the last result was a success. Liveness and startup failures past the
    /// threshold kill the instance.
    func loop(_ probe: Probe, _ pod: JSONValue, _ c: Container, _ running: RunningContainer, kind: String,
              onResult: @escaping @Sendable (Bool) -> Bool) async -> Bool {
        let period = TimeInterval(max(1, probe.periodSeconds ?? 10))
        let successThreshold = max(1, probe.successThreshold ?? 1), failureThreshold = max(1, probe.failureThreshold ?? 3)
        let runner = ProbeRunner(kubeletVersion: kubeletVersion)
        do { try await clock.sleep(for: TimeInterval(probe.initialDelaySeconds ?? 0)) } catch { return false }
        var successes: Int64 = 0, failures: Int64 = 0
        while !Task.isCancelled {
            let ip = records.get(pod.uid)?.ip ?? ""
            let result = await runner.run(probe, podIP: ip, container: c, exec: { argv, timeout in await self.exec(argv, in: running, timeout: timeout) })
            if Task.isCancelled { return false }
            if result.success {
                successes += 1
                failures = 0
                if successes >= successThreshold {
                    if kind == "Startup" { return true }
                    if successes == successThreshold, !onResult(true) { return true }
                }
            } else {
                failures += 1
                successes = 0
                recorder.event(pod, of: .pods, type: "Warning", reason: "Unhealthy", message: "\(kind) probe failed: \(result.message)")
                if failures >= failureThreshold {
                    if kind == "Liveness" || kind == "Startup" {
                        recorder.event(pod, of: .pods, reason: "Killing",
                                       message: "Container \(c.name) failed \(kind.lowercased()) probe, will be restarted")
                        // The probe's own grace period first (ProbeTerminationGracePeriod), then the pod's.
                        let grace = TimeInterval(probe.terminationGracePeriodSeconds ?? Pod(pod).spec.terminationGracePeriodSeconds ?? 30)
                        await stopContainer(pod.uid, c.name, initContainer: false, grace: grace, preStop: c, pod: pod)
                        return false
                    }
                    if failures == failureThreshold, !onResult(false) { return false }
                }
            }
            do { try await clock.sleep(for: period) } catch { return false }
        }
        return false
    }

    /// Runs `argv` inside a running container (its namespaces), as an exec probe or hook does;
    /// success is exit 0, and the message is what it printed (the first 10 KiB).
    ///
    /// It runs in a process group of its own (Foundation's `Process` starts every child as the
    /// leader of a new group). As containerd's ExecSync (with its default of no drain timeout),
    /// the result waits for the command's output to end, so a child left in the background
    /// holding it keeps the probe until the timeout; the timeout then kills the whole group, in
    /// the container too, and the probe never waits longer.
    func exec(_ argv: [String], in running: RunningContainer, timeout: TimeInterval) async -> ProbeResult {
        guard !argv.isEmpty else { return ProbeResult(success: false, message: "no command") }
        let process = Process()
        if namespaces {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/nsenter")
            process.arguments = ["--target", String(running.pid), "--mount", "--uts", "--net", "--pid", "--root", "--wd", "--"] + argv
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = argv
        }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return ProbeResult(success: false, message: "\(error)") }
        // The group is the child's own; fall back to its tree should it share ours.
        let leader = process.processIdentifier
        let ownGroup = getpgid(leader) == leader
        let timer = Task { () -> Bool in
            guard (try? await clock.sleep(for: timeout)) != nil else { return false }
            if ownGroup {
                kill(-leader, SIGKILL)
            } else {
                for pid in ProcessTree.members(of: leader, limit: 1000).reversed() { kill(pid, SIGKILL) }
            }
            return true
        }
        // Reading and waiting block their thread: off the concurrency pool (see Blocking).
        let data = await (try? Blocking.run { () -> Data in
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return data
        }) ?? Data()
        timer.cancel()
        let text = String(decoding: data.prefix(10 * 1024), as: UTF8.self)
        if await timer.value {
            // The CRI's ExecSync deadline, as remote_runtime words it.
            return ProbeResult(success: false, message: "command \(goQuote(argv.joined(separator: " "))) timed out")
        }
        return ProbeResult(success: process.terminationStatus == 0, message: text)
    }
}
