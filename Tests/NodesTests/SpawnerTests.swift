import Foundation
import CContainerShim
import Testing
@testable import Nodes

/// The container process as `kp_spawn` starts it: cloned straight from the agent (its own
/// child, no supervisor copy of the agent in between), in its own process group, PID 1 of its
/// own PID namespace where the machine allows, and its exit code or start failure reported.
@Suite struct SpawnerTests {
    let namespaces = getuid() == 0

    func spec(_ argv: [String], path: String = "/bin/sh") -> SpawnSpec {
        let null = open("/dev/null", O_WRONLY | O_CLOEXEC)
        return SpawnSpec(path: path, argv: argv, env: ["PATH=/usr/bin:/bin"], cwd: "/", stdout: null, stderr: null,
                         newNamespaces: namespaces, mountProc: false)
    }

    func statusLine(_ pid: pid_t, _ field: String) -> String? {
        let text = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").first { $0.hasPrefix(field + ":") }.map { String($0.dropFirst(field.count + 1)).trimmingCharacters(in: .whitespaces) }
    }

    @Test func theProcessIsTheAgentsOwnChildAndPIDOneOfItsNamespace() async throws {
        let s = spec(["sh", "-c", "sleep 30"])
        defer { close(s.stdout) }
        let pid = try await Spawner.shared.spawn(s)
        defer {
            kill(pid, SIGKILL)
        }
        #expect(statusLine(pid, "PPid") == String(getpid()))
        #expect(getpgid(pid) == pid)
        if namespaces {
            // NSpid lists the pid in each namespace, outermost first: 1 in its own.
            #expect(statusLine(pid, "NSpid")?.split(separator: "\t").last == "1")
        }
        kill(pid, SIGKILL)
        let status = await ProcessReaper.shared.wait(for: pid)
        #expect(status.signal == SIGKILL)
        #expect(status.exitCode == 137)
    }

    @Test func theExitCodeIsTheProcesss() async throws {
        let s = spec(["sh", "-c", "exit 3"])
        defer { close(s.stdout) }
        let pid = try await Spawner.shared.spawn(s)
        let status = await ProcessReaper.shared.wait(for: pid)
        #expect(status.exitCode == 3)
    }

    @Test func aMissingExecutableIsReportedWithItsStep() async throws {
        let s = spec(["nope"], path: "/nonexistent/kplane-test-binary")
        defer { close(s.stdout) }
        do {
            _ = try await Spawner.shared.spawn(s)
            Issue.record("spawned a missing executable")
        } catch {
            #expect(error.errno == ENOENT)
            #expect(error.description == "exec: No such file or directory")
        }
    }

    @Test(.enabled(if: getuid() == 0)) func theProcessRunsAsTheImagesUser() async throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        var s = spec(["sh", "-c", "echo $(id -u):$(id -g):$(id -G)"])
        s.stdout = fds[1]
        s.ids = (uid: 65534, gid: 65533)
        let pid = try await Spawner.shared.spawn(s)
        close(fds[1])
        let out = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true).readDataToEndOfFile()
        #expect(await ProcessReaper.shared.wait(for: pid).exitCode == 0)
        // No supplementary groups are left from the agent's (root's).
        #expect(String(decoding: out, as: UTF8.self) == "65534:65533:65533\n")
        // The ids changed in memory the agent shared until exec: the agent is still dumpable.
        #expect(kp_dumpable() == 1)
    }

    @Test func manyStartAtOnce() async throws {
        let s = spec(["sh", "-c", "exit 0"])
        defer { close(s.stdout) }
        let codes = try await withThrowingTaskGroup(of: Int32.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    let pid = try await Spawner.shared.spawn(s)
                    return await ProcessReaper.shared.wait(for: pid).exitCode
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(codes == Array(repeating: 0, count: 40))
    }
}
