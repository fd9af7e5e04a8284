import Foundation
import Testing
@testable import Networking

/// Round-robin and ClientIP affinity, without sockets.
struct BalancerTests {
    let a = ServiceEndpoint(ip: "10.0.0.1", port: 80), b = ServiceEndpoint(ip: "10.0.0.2", port: 80), c = ServiceEndpoint(ip: "10.0.0.3", port: 80)
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    @Test func roundRobinOverTheEndpointsAndNoneWhenEmpty() {
        let balancer = Balancer()
        #expect(balancer.pick(client: "127.0.0.1", now: t0) == nil)
        balancer.update(endpoints: [a, b, c], affinityTimeout: nil)
        let picks = (0..<6).map { _ in balancer.pick(client: "127.0.0.1", now: t0)?.ip }
        #expect(picks == ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.1", "10.0.0.2", "10.0.0.3"])
    }

    @Test func anEndpointThatLeavesGetsNoNewConnection() {
        let balancer = Balancer()
        balancer.update(endpoints: [a, b, c], affinityTimeout: nil)
        _ = balancer.pick(client: "x", now: t0)
        balancer.update(endpoints: [a, c], affinityTimeout: nil)
        let picks = Set((0..<4).compactMap { _ in balancer.pick(client: "x", now: t0) })
        #expect(picks == [a, c])
        balancer.update(endpoints: [], affinityTimeout: nil)
        #expect(balancer.pick(client: "x", now: t0) == nil)
    }

    @Test func clientIPAffinityHoldsWithinTheTimeoutFromTheLastConnection() {
        let balancer = Balancer()
        balancer.update(endpoints: [a, b, c], affinityTimeout: 10)
        let first = balancer.pick(client: "127.0.0.5", now: t0)
        let other = balancer.pick(client: "127.0.0.6", now: t0)
        #expect(first != other)
        // Each connection refreshes the timer: 9 s apart, three times, is still the same endpoint.
        for i in 1...3 { #expect(balancer.pick(client: "127.0.0.5", now: t0 + Double(9 * i)) == first) }
        // 10 s of silence ends the affinity: the next pick is round-robin again.
        let after = balancer.pick(client: "127.0.0.5", now: t0 + 27 + 10)
        #expect(after != nil)
        #expect(balancer.pick(client: "127.0.0.5", now: t0 + 38) == after)
    }

    @Test func affinityToAnEndpointThatLeftIsForgotten() {
        let balancer = Balancer()
        balancer.update(endpoints: [a, b], affinityTimeout: 10800)
        let first = balancer.pick(client: "c1", now: t0)
        balancer.update(endpoints: [a, b].filter { $0 != first }, affinityTimeout: 10800)
        let next = balancer.pick(client: "c1", now: t0 + 1)
        #expect(next != nil && next != first)
    }

    @Test func theAffinityTableIsBounded() {
        let balancer = Balancer()
        balancer.update(endpoints: [a, b], affinityTimeout: 10800)
        for i in 0..<(Balancer.affinityLimit + 50) { _ = balancer.pick(client: "client-\(i)", now: t0 + Double(i) / 1000) }
        #expect(balancer.affinityCount <= Balancer.affinityLimit)
    }
}
