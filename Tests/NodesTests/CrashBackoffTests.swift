import Foundation
import Testing
@testable import Nodes

/// The kubelet's crash-loop back-off: the first restart at once, then 10 s doubling to 5 min,
/// and a fresh start after 10 min without a restart.
@Suite struct CrashBackoffTests {
    @Test func delaysDoubleToFiveMinutes() {
        var b = CrashBackoff()
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        #expect(b.restartAt(finished: t0) == t0)
        var now = t0
        var waits: [TimeInterval] = []
        for _ in 0..<8 {
            let at = b.restartAt(finished: now)
            waits.append(at.timeIntervalSince(now))
            b.next(now: at)
            now = at.addingTimeInterval(1)  // crashes a second after each start
        }
        #expect(waits == [0, 10, 20, 40, 80, 160, 300, 300])
    }

    @Test func resetsAfterTenMinutesWithoutARestart() {
        var b = CrashBackoff()
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        b.next(now: t0)
        b.next(now: t0.addingTimeInterval(11))
        #expect(b.delay == 20)
        // Ran for more than 10 minutes before failing again: restarts at once, back to 10 s.
        let late = t0.addingTimeInterval(11 + 601)
        #expect(b.restartAt(finished: late) == late)
        b.next(now: late)
        #expect(b.delay == 10)
    }
}
