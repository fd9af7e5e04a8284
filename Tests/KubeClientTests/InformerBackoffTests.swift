import Foundation
import KubeClient
import KubeModel
import Synchronization
import Testing

/// An informer whose list fails retries on its clock, backing off as client-go's reflector.
@Suite struct InformerBackoffTests {
    /// Every request fails as a server that is down would.
    final class Unreachable: APIClient {
        let calls = Mutex(0)
        func send(method: String, path: String, query: [(String, String)], body: [UInt8]?, contentType: String?, accept: String?) async throws -> APIResponse {
            calls.withLock { $0 += 1 }
            throw URLError(.cannotConnectToHost)
        }
        func watch(path: String, query: [(String, String)], accept: String?) -> AsyncThrowingStream<WatchEventLine, any Error> {
            AsyncThrowingStream { $0.finish(throwing: URLError(.cannotConnectToHost)) }
        }
    }

    @Test func failedListsAreRetriedAfterABackoffOnTheInjectedClock() async throws {
        let clock = ManualClock()
        let client = Unreachable()
        let informer = Informer(client: client, resource: .pods)
        let task = Task { await informer.run(clock: clock) }
        func settle(calls: Int) async throws {
            for _ in 0..<2000 where client.calls.withLock({ $0 }) < calls || clock.sleepers == 0 {
                try await Task.sleep(for: .milliseconds(1))
            }
        }
        try await settle(calls: 1)
        for (delay, attempt) in [(0.8, 2), (1.6, 3), (3.2, 4)] {
            clock.advance(by: delay - 0.05)
            try await Task.sleep(for: .milliseconds(20))
            #expect(client.calls.withLock { $0 } == attempt - 1, "no retry before \(delay) s")
            clock.advance(by: 0.1)  // a little past the deadline: dates add up with rounding
            try await settle(calls: attempt)
            #expect(client.calls.withLock { $0 } == attempt)
        }
        task.cancel()
        await task.value
    }
}
