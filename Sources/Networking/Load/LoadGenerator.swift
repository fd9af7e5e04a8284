import AsyncHTTPClient
import Foundation
import KubeClient
import NIOCore
import Synchronization

/// A small HTTP load generator for lessons (`kplane load`): `concurrency` clients each send
/// GETs one after the other, over kept-alive connections, until `duration` has passed; each
/// second is summed up (requests, failures, median and slowest time) for the caller to print.
/// Memory stays flat: only the current second's times are kept.
public final class LoadGenerator: Sendable {
    public struct Second: Sendable {
        public var requests = 0
        public var failed = 0
        public var codes: [Int: Int] = [:]
        public var times: [Double] = []
        public var median: Double { times.isEmpty ? 0 : times.sorted()[times.count / 2] }
        public var slowest: Double { times.max() ?? 0 }
    }

    public let url: String
    public let host: String?
    public let concurrency: Int
    public let duration: TimeInterval
    public let timeout: TimeInterval
    let clock: any WallClock
    private let current = Mutex(Second())
    private let total = Mutex(Second())

    public init(url: String, host: String? = nil, concurrency: Int = 4, duration: TimeInterval = 60, timeout: TimeInterval = 10,
                clock: any WallClock = SystemClock()) {
        self.url = url
        self.host = host
        self.concurrency = max(1, concurrency)
        self.duration = duration
        self.timeout = timeout
        self.clock = clock
    }

    /// Sends until `duration` has passed (or the task is cancelled), calling `report` once a second.
    public func run(report: @escaping @Sendable (Date, Second) -> Void) async {
        let deadline = clock.now().addingTimeInterval(duration)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<concurrency {
                group.addTask { [self] in
                    while !Task.isCancelled, clock.now() < deadline { await once() }
                }
            }
            group.addTask { [self] in
                while !Task.isCancelled, clock.now() < deadline {
                    guard (try? await clock.sleep(for: 1)) != nil else { return }
                    let second = current.withLock { s in defer { s = Second() }; return s }
                    report(clock.now(), second)
                }
            }
            await group.waitForAll()
        }
    }

    /// Every request so far (its `times` stay empty: only counts are kept).
    public var totals: Second { total.withLock { $0 } }

    private func once() async {
        var request = HTTPClientRequest(url: url)
        if let host { request.headers.replaceOrAdd(name: "Host", value: host) }
        let started = ContinuousClock.now
        var code = 0
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
            _ = try await response.body.collect(upTo: 16 << 20)
            code = Int(response.status.code)
        } catch {
            // A request cut short by the end of the run is not a failure of the server.
            if Task.isCancelled { return }
            code = 0
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let failed = !(200..<400).contains(code)
        current.withLock { s in
            s.requests += 1
            if failed { s.failed += 1 }
            s.codes[code, default: 0] += 1
            s.times.append(seconds)
        }
        total.withLock { s in
            s.requests += 1
            if failed { s.failed += 1 }
            s.codes[code, default: 0] += 1
        }
        // A refused connection fails at once: do not spin.
        if code == 0 { try? await clock.sleep(for: 0.1) }
    }
}
