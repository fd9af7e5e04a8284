import Foundation
import KubeClient
import Testing

/// The work queue's guarantees, with time on a manual clock.
@Suite struct WorkQueueTests {
    @Test func addsOfAQueuedKeyCollapse() async {
        let q = WorkQueue(clock: ManualClock())
        q.add("a")
        q.add("b")
        q.add("a")
        #expect(q.count == 2)
        #expect(await q.get() == "a")
        #expect(await q.get() == "b")
        #expect(q.count == 0)
    }

    @Test func aKeyIsNeverHandedOutTwiceAtOnce() async {
        let q = WorkQueue(clock: ManualClock())
        q.add("a")
        let first = await q.get()
        q.add("a")  // changed while being processed
        #expect(q.count == 0, "held back until done")
        q.done("a")
        #expect(q.count == 1)
        #expect(await q.get() == first)
        q.done("a")
        #expect(q.isIdle)
    }

    @Test func failuresBackOffExponentiallyUntilForgotten() async throws {
        let clock = ManualClock()
        let q = WorkQueue(clock: clock, baseDelay: 1, maxDelay: 8)
        for (attempt, delay) in [1.0, 2, 4, 8, 8].enumerated() {
            q.addRateLimited("k")
            #expect(q.failures("k") == attempt + 1)
            try await waitForSleeper(clock)
            clock.advance(by: delay - 0.5)
            try await Task.sleep(for: .milliseconds(5))
            #expect(q.count == 0, "not before \(delay) s")
            clock.advance(by: 0.5)
            #expect(await q.get() == "k")
            q.done("k")
        }
        q.forget("k")
        #expect(q.failures("k") == 0)
    }

    @Test func theEarliestDelayWins() async throws {
        let clock = ManualClock()
        let q = WorkQueue(clock: clock)
        q.add("k", after: 10)
        q.add("k", after: 3)
        try await waitForSleeper(clock, count: 2)
        clock.advance(by: 3)
        #expect(await q.get() == "k")
        q.done("k")
        clock.advance(by: 10)
        try await Task.sleep(for: .milliseconds(5))
        #expect(q.count == 0, "the later delay was superseded")
    }

    @Test func shutDownReleasesWaitingWorkers() async {
        let q = WorkQueue(clock: ManualClock())
        async let got = q.get()
        try? await Task.sleep(for: .milliseconds(5))
        q.shutDown()
        #expect(await got == nil)
        q.add("late")
        #expect(q.count == 0)
    }

    @Test func manualClockWakesSleepersInOrderAndOnCancel() async throws {
        let clock = ManualClock()
        let woke = Task { try await clock.sleep(for: 5); return clock.now() }
        let cancelled = Task { try await clock.sleep(for: 100) }
        try await waitForSleeper(clock, count: 2)
        let start = clock.now()
        clock.advance(by: 5)
        #expect(try await woke.value == start.addingTimeInterval(5))
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        #expect(clock.sleepers == 0)
    }

    /// DefaultControllerRateLimiter's overall bucket: past the burst, retries of any key wait
    /// for a token (1/qps each), however short their own backoff.
    @Test func retriesBeyondTheBurstWaitForTheOverallBucket() async throws {
        let clock = ManualClock()
        let q = WorkQueue(clock: clock, retriesPerSecond: 10, burst: 3)
        for key in ["a", "b", "c", "d"] { q.addRateLimited(key) }
        try await waitForSleeper(clock, count: 4)
        clock.advance(by: 0.05)
        try await Task.sleep(for: .milliseconds(5))
        #expect(q.count == 3, "the burst goes after its own 5 ms backoff")
        clock.advance(by: 0.06)
        try await Task.sleep(for: .milliseconds(5))
        #expect(q.count == 4, "the fourth waits 100 ms for a token")
    }

    func waitForSleeper(_ clock: ManualClock, count: Int = 1) async throws {
        var tries = 0
        while clock.sleepers < count && tries < 2000 {
            try await Task.sleep(for: .milliseconds(1))
            tries += 1
        }
    }
}
