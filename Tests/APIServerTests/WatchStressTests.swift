import Foundation
import KplaneTestSupport
import Synchronization
import Testing

/// A real `kplane apiserver` under writers and watchers that misbehave as real clients do
/// (Ctrl-C on `kubectl get -w`, informers re-watching under load), and killed mid-write.
@Suite(.serialized, .timeLimit(.minutes(5))) struct WatchStressTests {
    /// Creates and updates ConfigMaps over HTTP until `deadline`; returns the names created.
    static func writer(_ server: ServerProcess, _ id: Int, until deadline: Date, stop: StopFlag = StopFlag()) async -> [String] {
        var created: [String] = []
        var i = 0
        while Date() < deadline && !stop.isSet {
            let name = "s\(id)-\(i)"
            let body = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"\#(name)"},"data":{"i":"\#(i)"}}"#
            if let r = try? await server.request("POST", "/api/v1/namespaces/default/configmaps", body: body), r.status == 201 {
                created.append(name)
            }
            i += 1
        }
        return created
    }

    @Test func watchersThatResetTheirConnectionNeverFreezeTheServer() async throws {
        let server = try ServerProcess()
        defer { server.stop() }
        let port = server.port
        let deadline = Date().addingTimeInterval(8)
        // All load runs on threads of its own: the test process's cooperative threads are few
        // and shared with other suites, and the point is the server, not this process.
        let written = Atomic<Int>(0), resets = Atomic<Int>(0), probes = Atomic<Int>(0)
        let slowestProbe = Mutex<Double>(0)
        var threads: [Thread] = []
        for w in 0..<8 {
            threads.append(Thread {
                var i = 0
                while Date() < deadline {
                    guard let c = try? RawConnection(port: port) else { continue }
                    while Date() < deadline {
                        let body = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"s\#(w)-\#(i)"},"data":{"i":"\#(i)"}}"#
                        guard let r = c.roundTrip("POST", "/api/v1/namespaces/default/configmaps", body: body) else { break }
                        if r.status == 201 { written.add(1, ordering: .relaxed) }
                        i += 1
                    }
                }
            })
        }
        // Watchers that follow from the newest revision (so they wait for each new event), read
        // a little, then reset the connection, over and over: a reset lands while events are
        // being handed to the watch.
        for _ in 0..<8 {
            threads.append(Thread {
                while Date() < deadline {
                    guard let c = try? RawConnection(port: port),
                        let list = c.roundTrip("GET", "/api/v1/namespaces/default/configmaps?limit=1", timeout: 30),
                        let rv = list.body.split(separator: "\"resourceVersion\":\"").dropFirst().first?.split(separator: "\"").first
                    else { continue }
                    c.send("GET /api/v1/namespaces/default/configmaps?watch=true&resourceVersion=\(rv) HTTP/1.1\r\nHost: x\r\n\r\n")
                    _ = c.receive(atMost: Int.random(in: 100...2_000), timeout: Double.random(in: 0.005...0.05))
                    c.reset()
                    resets.add(1, ordering: .relaxed)
                }
            })
        }
        // Readiness checks throughout, each on a fresh connection.
        threads.append(Thread {
            while Date() < deadline {
                let t = Date()
                if let c = try? RawConnection(port: port), c.roundTrip("GET", "/readyz", timeout: 30)?.status == 200 {
                    probes.add(1, ordering: .relaxed)
                }
                let took = Date().timeIntervalSince(t)
                slowestProbe.withLock { $0 = max($0, took) }
                Thread.sleep(forTimeInterval: 0.1)
            }
        })
        for t in threads { t.start() }
        while threads.contains(where: { !$0.isFinished }) { try await Task.sleep(for: .milliseconds(50)) }
        print("stress: \(written.load(ordering: .relaxed)) writes, \(resets.load(ordering: .relaxed)) watch resets, \(probes.load(ordering: .relaxed)) readiness checks")
        #expect(written.load(ordering: .relaxed) > 0)
        #expect(resets.load(ordering: .relaxed) > 0)
        #expect(probes.load(ordering: .relaxed) > 0)
        // A frozen server never answers; a busy one answers late.
        #expect(slowestProbe.withLock { $0 } < 30)
        let after = try RawConnection(port: port).roundTrip("GET", "/readyz", timeout: 30)
        #expect(after?.status == 200)
        let list = try RawConnection(port: port).roundTrip("GET", "/api/v1/namespaces/default/configmaps", timeout: 30)
        #expect(list?.status == 200)
    }

    @Test func aRevisionAClientSawSurvivesKill9AndIsNeverReissued() async throws {
        let server = try ServerProcess()
        defer { server.stop() }
        let deadline = Date().addingTimeInterval(2)
        let stop = StopFlag()
        let writers = Task {
            await withTaskGroup(of: [String].self) { group in
                for w in 0..<4 { group.addTask { await Self.writer(server, w, until: deadline.addingTimeInterval(30), stop: stop) } }
                return await group.reduce([], +)
            }
        }
        // Read revisions from lists while the writers run, then crash the server mid-write.
        var seen: Int64 = 0
        while Date() < deadline {
            let r = try await server.request("GET", "/api/v1/namespaces/default/configmaps?limit=1")
            if let meta = r.json["metadata"] as? [String: Any], let rv = (meta["resourceVersion"] as? String).flatMap({ Int64($0) }) {
                seen = max(seen, rv)
            }
        }
        server.stop(kill9: true)
        stop.set()
        let acknowledged = await writers.value
        try server.start()
        let list = try await server.request("GET", "/api/v1/namespaces/default/configmaps")
        let meta = list.json["metadata"] as? [String: Any]
        let rv = (meta?["resourceVersion"] as? String).flatMap { Int64($0) } ?? 0
        #expect(seen > 0)
        #expect(rv >= seen)
        let names = Set((list.json["items"] as? [[String: Any]] ?? []).compactMap { ($0["metadata"] as? [String: Any])?["name"] as? String })
        #expect(acknowledged.allSatisfy(names.contains))
        let body = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"after-crash"}}"#
        let created = try await server.request("POST", "/api/v1/namespaces/default/configmaps", body: body)
        let newRV = ((created.json["metadata"] as? [String: Any])?["resourceVersion"] as? String).flatMap { Int64($0) } ?? 0
        #expect(newRV > seen)
    }
}

/// Tells concurrent test loops to stop.
final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .relaxed) }
    func set() { flag.store(true, ordering: .relaxed) }
}
