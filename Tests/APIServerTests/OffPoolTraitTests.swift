import KplaneTestSupport
import Testing

/// Tests that block (kubectl, `kplane` processes, sleeps) run off Swift's concurrency pool, so
/// in-process API servers of the same run keep their threads.
@Suite(.offPool, .timeLimit(.minutes(1))) struct OffPoolTraitTests {
    @Test func aSynchronousTestRunsOnAQueueOfItsOwn() {
        #expect(OffPoolTrait.isCurrent)
    }

    @Test func anAsyncTestResumesThereAfterASuspension() async throws {
        try await Task.sleep(for: .milliseconds(10))
        #expect(OffPoolTrait.isCurrent)
    }

    // Two parameterized tests at once, each case taking a turn of its own: a turn held around
    // all of a test's cases as well left none for the cases (a hang).
    @Test(arguments: 1...3) func everyCaseOfOneTestRunsOffThePool(_ n: Int) {
        #expect(OffPoolTrait.isCurrent)
    }

    @Test(arguments: 1...3) func everyCaseOfAnotherTestRunsOffThePool(_ n: Int) {
        #expect(OffPoolTrait.isCurrent)
    }
}

@Suite struct WithoutOffPoolTests {
    @Test func aTestWithoutTheTraitRunsOnThePool() {
        #expect(!OffPoolTrait.isCurrent)
    }
}
