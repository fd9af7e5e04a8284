import Foundation
import Testing
@testable import KubeModel

/// The rules simulated pods' usage follows, the quantities the metrics API writes, and Go's
/// duration text kubectl's top prints.
@Suite struct SimulatedUsageTests {
    static let requests = ResourceList(milliCPU: 200, memory: 64 << 20)

    /// (rule, seconds into it, pods sharing it) → (millicores, MiB) of one pod.
    @Test(arguments: [
        ("cpu=250m", 0.0, 1, 250, nil),
        ("cpu=90%", 0, 1, 180, nil),
        ("cpu=100m to 900m over 2m", 0, 1, 100, nil),
        ("cpu=100m to 900m over 2m", 60, 1, 500, nil),
        ("cpu=100m to 900m over 2m", 600, 1, 900, nil),
        ("cpu=100m then 900m after 1m", 59, 1, 100, nil),
        ("cpu=100m then 900m after 1m", 60, 1, 900, nil),
        ("cpu=1500m shared", 0, 3, 500, nil),
        ("cpu=1500m shared", 0, 0, 1500, nil),
        ("memory=200Mi, cpu=50%", 0, 1, 100, 200),
        ("memory=10% to 100% over 10s shared", 5, 2, nil, Optional(17)),
    ] as [(String, TimeInterval, Int, Int64?, Int64?)])
    func aRuleGivesItsUsage(rule: String, elapsed: TimeInterval, sharers: Int, milliCPU: Int64?, mebibytes: Int64?) throws {
        let usage = try SimulatedUsage(parsing: rule)
        let u = usage.usage(requests: Self.requests, uid: "u", elapsed: elapsed, sharers: sharers)
        if let milliCPU { #expect(u.nanoCores == milliCPU * 1_000_000, "\(rule)") }
        if let mebibytes { #expect(u.bytes >> 20 == mebibytes, "\(rule)") }
    }

    @Test func withoutARuleAPodUsesAStableShareOfItsRequests() {
        let a = SimulatedUsage().usage(requests: Self.requests, uid: "one", elapsed: 0, sharers: 1)
        #expect(a.nanoCores >= 60_000_000 && a.nanoCores <= 160_000_000)
        #expect(a.bytes >= (64 << 20) * 30 / 100 && a.bytes <= (64 << 20) * 80 / 100)
        #expect(SimulatedUsage().usage(requests: Self.requests, uid: "one", elapsed: 900, sharers: 1) == a, "steady over time")
        let idle = SimulatedUsage().usage(requests: ResourceList(), uid: "one", elapsed: 0, sharers: 1)
        #expect(idle.nanoCores == 1_000_000 && idle.bytes == 8 << 20, "1m and 8Mi without requests")
    }

    @Test(arguments: [
        ("cpu", "want RESOURCE=RULE"),
        ("disk=1Gi", "the resource must be cpu or memory"),
        ("cpu=lots", "want an amount such as 250m, 200Mi or 70% (at most 1000000 CPUs, 1Ei of memory, or 1000000%)"),
        ("cpu=-5m", "want an amount such as 250m, 200Mi or 70% (at most 1000000 CPUs, 1Ei of memory, or 1000000%)"),
        ("cpu=1E", "want an amount such as 250m, 200Mi or 70% (at most 1000000 CPUs, 1Ei of memory, or 1000000%)"),
        ("memory=1e300%", "want an amount such as 250m, 200Mi or 70% (at most 1000000 CPUs, 1Ei of memory, or 1000000%)"),
        ("cpu=1 to 2", "want AMOUNT, \"A to B over DURATION\" or \"A then B after DURATION\", optionally followed by \"shared\""),
        ("cpu=1 to x over 1m", "x is not an amount"),
        ("cpu=1 then 2 after soon", "soon is not a duration such as 90s or 2m"),
    ])
    func aRuleThatCannotBeReadSaysWhy(rule: String, reason: String) {
        #expect(throws: UsageRule.ParseError.self) { try SimulatedUsage(parsing: rule) }
        do {
            _ = try SimulatedUsage(parsing: rule)
        } catch {
            #expect(error.reason == reason)
        }
    }

    /// Big requests and big rules stay in range: bytes times bytes, and sums, do not overflow.
    @Test func bigFiguresDoNotOverflow() {
        let big = ResourceList(milliCPU: 64_000, memory: 512 << 30)
        let u = SimulatedUsage().usage(requests: big, uid: "x", elapsed: 0, sharers: 1)
        #expect(u.bytes > 100 << 30 && u.nanoCores > 10_000_000_000)
        let most = try? SimulatedUsage(parsing: "cpu=1000000, memory=1Ei")
        let m = most?.usage(requests: big, uid: "x", elapsed: 0, sharers: 1)
        #expect(m?.nanoCores == 1_000_000 * 1_000_000_000 && m?.bytes == 1 << 60)
        #expect(Int64(9e18).addingSaturated(Int64(9e18)) == .max && Int64(clampingValue: .infinity) == .max && Int64(clampingValue: .nan) == 0)
        #expect(GoDuration.seconds("100000000000000000h") == nil && GoDuration.seconds("2562047h") == 2562047 * 3600)
    }

    @Test func anUnreadableRuleIsRefusedWhenWritten() {
        let bad: [String: JSONValue] = [SimulatedUsage.annotation: "cpu=lots", SimulatedUsage.sinceAnnotation: "yesterday"]
        let errs = SimulatedUsage.problems(in: bad)
        #expect(errs.map(\.field) == ["metadata.annotations[kplane.dev/simulated-usage]", "metadata.annotations[kplane.dev/simulated-usage-since]"])
        #expect(SimulatedUsage.problems(in: [SimulatedUsage.annotation: "cpu=1", SimulatedUsage.sinceAnnotation: "2026-01-02T15:04:05Z"]).isEmpty)
    }

    @Test(arguments: [(0, "0"), (250_000_000, "250m"), (2_000_000_000, "2"), (1_162_961, "1162961n"), (5_000, "5u")] as [(Int64, String)])
    func cpuIsWrittenAsMetricsServerWritesIt(nanoCores: Int64, text: String) {
        #expect(MetricsQuantity.cpu(nanoCores: nanoCores) == text)
    }

    @Test(arguments: [(0, "0"), (27_693_056, "27044Ki"), (50 << 20, "50Mi"), (1000, "1000"), (3 << 30, "3Gi")] as [(Int64, String)])
    func memoryIsWrittenAsMetricsServerWritesIt(bytes: Int64, text: String) {
        #expect(MetricsQuantity.memory(bytes: bytes) == text)
    }

    @Test(arguments: [(125.5, "2m5.5s"), (3600, "1h0m0s"), (59, "59s"), (3723.000000001, "1h2m3.000000001s")] as [(Double, String)])
    func durationsReadAsGoWritesThem(seconds: Double, text: String) {
        #expect(GoDuration.string(seconds: seconds) == text)
    }
}
