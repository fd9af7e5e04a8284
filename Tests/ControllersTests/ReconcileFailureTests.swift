import APIServer
import Foundation
@testable import Controllers
import KubeClient
import KubeModel
import Logging
import Synchronization
import Testing

/// A reconcile that fails is logged with its key and error and retried after backoff; a failed
/// pod creation does not leave the ReplicaSet waiting for pods that were never created.
@Suite struct ReconcileFailureTests {
    /// The API server's client, except that the first `failures` pod creations answer 500.
    final class FailingPodCreates: APIClient {
        let base: any APIClient
        let remaining: Mutex<Int>

        init(base: any APIClient, failures: Int) {
            self.base = base
            remaining = Mutex(failures)
        }

        func send(method: String, path: String, query: [(String, String)], body: [UInt8]?, contentType: String?, accept: String?) async throws -> APIResponse {
            let fail = method == "POST" && path.hasSuffix("/pods") && remaining.withLock { n in
                defer { n -= 1 }
                return n > 0
            }
            guard !fail else {
                let status = #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Internal error occurred: injected","reason":"InternalError","code":500}"#
                return APIResponse(status: 500, contentType: "application/json", body: Array(status.utf8))
            }
            return try await base.send(method: method, path: path, query: query, body: body, contentType: contentType, accept: accept)
        }

        func watch(path: String, query: [(String, String)], accept: String?) -> AsyncThrowingStream<WatchEventLine, any Error> {
            base.watch(path: path, query: query, accept: accept)
        }
    }

    /// An API server and the controllers (no nodes, no scheduler) on a manual clock.
    final class Cluster: Sendable {
        let clock = ManualClock()
        let server: APIServer
        let controllers: ControllerManager
        let lines = LogLines()
        let dataDir = NSTemporaryDirectory() + "kplane-fail-" + UUID().uuidString
        private let task: Task<Void, Never>

        init(failingPodCreates: Int) async throws {
            var config = APIServerConfig(dataDir: dataDir)
            config.port = 0
            let clock = self.clock
            server = try await APIServer(config: config, now: { clock.now() })
            let client = FailingPodCreates(base: server.localClient, failures: failingPodCreates)
            let lines = self.lines
            controllers = ControllerManager(client: client, clock: clock, workers: 2, logging: { lines.logger($0) })
            let (stream, synced) = AsyncStream.makeStream(of: Void.self)
            task = Task { [controllers] in await controllers.run(onSynced: { synced.yield() }) }
            for await _ in stream { break }
        }

        /// Polls until `condition` holds, moving the clock 5 ms a poll and at most `clockLimit`
        /// seconds in all: short of the five minutes after which expectations expire.
        func until(_ what: String, clockLimit: TimeInterval = 200, _ condition: () async throws -> Bool) async throws {
            var moved: TimeInterval = 0
            // Real time, generous: the whole suite shares two cores.
            let deadline = Date().addingTimeInterval(150)
            while moved < clockLimit && Date() < deadline {
                if try await condition() { return }
                try await Task.sleep(for: .milliseconds(2))
                clock.advance(by: 0.005)
                moved += 0.005
            }
            Issue.record("timed out waiting for \(what)")
        }

        func stop() async {
            task.cancel()
            await task.value
            try? FileManager.default.removeItem(atPath: dataDir)
        }
    }

    @Test func aFailedCreateIsRetriedWithoutWaitingForExpectationsToExpire() async throws {
        let c = try await Cluster(failingPodCreates: 1)
        _ = try await c.server.localClient.create(.replicaSets, namespace: "default", ReplicaSetTests.replicaSet("web", replicas: 3))
        try await c.until("3 pods though the first create failed") {
            try await c.server.localClient.list(.pods, namespace: "default")["items"]?.arrayValue?.count == 3
        }
        await c.stop()
    }

    @Test func aFailedReconcileIsLoggedWithItsKeyAndRetried() async throws {
        let c = try await Cluster(failingPodCreates: 1)
        _ = try await c.server.localClient.create(.replicaSets, namespace: "default", ReplicaSetTests.replicaSet("web", replicas: 2))
        try await c.until("2 pods and the retry's sync finished") {
            try await c.server.localClient.list(.pods, namespace: "default")["items"]?.arrayValue?.count == 2
                && c.lines.all.contains { $0.message == "Finished syncing" && $0.component == "replicaset-controller" }
        }
        let rsLines = c.lines.all.filter { $0.component == "replicaset-controller" }
        let failed = rsLines.filter { $0.message == "Error syncing; requeuing" && $0.metadata["err"]?.contains("injected") == true }
        #expect(failed.count == 1)
        #expect(failed.first?.level == .error)
        #expect(failed.first?.metadata["key"] == "default/web")
        #expect(failed.first?.metadata["err"]?.contains("Internal error occurred: injected") == true)
        // Retried: a later sync of the same key finished.
        #expect(rsLines.contains { $0.message == "Finished syncing" && $0.metadata["key"] == "default/web" })
        #expect(rsLines.contains { $0.message == "Starting controller" })
        await c.stop()
    }
}
