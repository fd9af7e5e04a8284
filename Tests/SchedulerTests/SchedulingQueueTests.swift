import Foundation
import KubeClient
import Testing
@testable import Scheduler

@Suite struct SchedulingQueueTests {
    @Test func higherPriorityFirstThenArrivalOrder() async {
        let q = SchedulingQueue(clock: ManualClock())
        q.add("a", priority: 0)
        q.add("b", priority: 10)
        q.add("c", priority: 0)
        q.add("a", priority: 0)
        #expect(await q.pop() == "b")
        #expect(await q.pop() == "a")
        #expect(await q.pop() == "c")
    }

    @Test func unschedulablePodsWaitForAClusterChangeThenBackOff() async throws {
        let clock = ManualClock()
        let q = SchedulingQueue(clock: clock)
        q.add("p", priority: 0)
        #expect(await q.pop() == "p")
        q.unschedulable("p")
        #expect(q.counts == .init(active: 0, backoff: 0, unschedulable: 1))
        // A change within the 1 s backoff parks the pod in backoff; the flush after it ends
        // makes it active again.
        q.clusterChanged()
        #expect(q.counts == .init(active: 0, backoff: 1, unschedulable: 0))
        clock.advance(by: 0.5)
        q.flush()
        #expect(q.counts.backoff == 1)
        clock.advance(by: 0.6)
        q.flush()
        #expect(q.counts == .init(active: 1, backoff: 0, unschedulable: 0))
        #expect(await q.pop() == "p")
        // The second failure backs off 2 s; a change after that makes the pod active at once.
        q.unschedulable("p")
        clock.advance(by: 2.1)
        q.clusterChanged()
        #expect(await q.pop() == "p")
    }

    @Test func withoutAChangeAPodIsRetriedAfterFiveMinutes() async {
        let clock = ManualClock()
        let q = SchedulingQueue(clock: clock)
        q.add("p", priority: 0)
        _ = await q.pop()
        q.unschedulable("p")
        clock.advance(by: 299)
        q.flush()
        #expect(q.isUnschedulable("p"))
        clock.advance(by: 2)
        q.flush()
        #expect(await q.pop() == "p")
    }

    @Test func aPodsOwnChangeRetriesIt() async {
        let clock = ManualClock()
        let q = SchedulingQueue(clock: clock)
        q.add("p", priority: 0)
        _ = await q.pop()
        q.unschedulable("p")
        clock.advance(by: 5)
        q.update("p", priority: 0)
        #expect(await q.pop() == "p")
    }

    @Test func doneKeysAreNotHandedOutAndShutDownReleasesWaiters() async {
        let q = SchedulingQueue(clock: ManualClock())
        q.add("gone", priority: 0)
        q.done("gone")
        q.add("kept", priority: 0)
        #expect(await q.pop() == "kept")
        async let waiting = q.pop()
        q.shutDown()
        #expect(await waiting == nil)
    }
}

extension SchedulingQueueTests {
    @Test func aChangeDuringTheCycleSendsTheFailureToBackoffNotTheWaitingPool() async {
        let clock = ManualClock()
        let q = SchedulingQueue(clock: clock)
        q.add("p", priority: 0)
        _ = await q.pop()
        // A node appears while the pod is being scheduled against the older state.
        q.clusterChanged()
        q.unschedulable("p")
        #expect(q.counts == .init(active: 0, backoff: 1, unschedulable: 0))
        clock.advance(by: 1.1)
        q.flush()
        #expect(await q.pop() == "p")
    }
}
