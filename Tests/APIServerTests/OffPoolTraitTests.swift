import KplaneTestSupport
import Testing

/// Tests that block (kubectl, `kplane` processes, sleeps) run off Swift's concurrency pool, so
/// in-process API servers of the same run keep their threads.
@Suite(.offPool) struct OffPoolTraitTests {
    @Test func aSynchronousTestRunsOnAQueueOfItsOwn() {
        #expect(OffPoolTrait.isCurrent)
    }

    @Test func anAsyncTestResumesThereAfterASuspension() async throws {
        try await Task.sleep(for: .milliseconds(10))
        #expect(OffPoolTrait.isCurrent)
    }
}

@Suite struct WithoutOffPoolTests {
    @Test func aTestWithoutTheTraitRunsOnThePool() {
        #expect(!OffPoolTrait.isCurrent)
    }
}
