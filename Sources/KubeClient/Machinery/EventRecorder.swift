import Foundation
import KubeModel
import Logging

/// Records core/v1 Events about objects, as client-go's recorder does: written in the
/// background (a controller never waits on its events), and a repeat of the same event on the
/// same object bumps `count` and `lastTimestamp` instead of adding a new one.
public final class EventRecorder: Sendable {
    struct Pending: Sendable {
        let involved: JSONValue
        let namespace: String
        let type: String
        let reason: String
        let message: String
        let at: Date
    }

    public let component: String
    static let maxQueued = 1000
    let clock: any WallClock
    let logger: Logger
    private let continuation: AsyncStream<Pending>.Continuation
    private let writer: Task<Void, Never>

    /// Every event is also logged at `-v 2` (kube-controller-manager logs them as "Event
    /// occurred" at V(3)); a failed write is logged and dropped, as events are best effort.
    public init(client: APIClient, component: String, clock: any WallClock, logger: Logger? = nil) {
        let logger = logger ?? Logger(label: component)
        self.logger = logger
        self.component = component
        self.clock = clock
        // At most 1,000 events wait to be written (client-go's maxQueuedEvents); past that a new
        // event is dropped, logged, as client-go's broadcaster drops when its channel is full.
        let (stream, continuation) = AsyncStream.makeStream(of: Pending.self, bufferingPolicy: .bufferingOldest(Self.maxQueued))
        self.continuation = continuation
        writer = Task {
            // Repeats are looked up in two generations of at most 4,096 keys each (client-go's
            // correlator keeps an LRU of 4,096), so memory stays bounded however many pods come.
            var seen: [String: (name: String, count: Int64, first: String)] = [:]
            var older: [String: (name: String, count: Int64, first: String)] = [:]
            var sequence: UInt64 = 0
            for await p in stream {
                logger.debug("Event occurred", metadata: [
                    "object": "\(p.involved["namespace"]?.stringValue.map { $0 + "/" } ?? "")\(p.involved["name"]?.stringValue ?? "")",
                    "kind": "\(p.involved["kind"]?.stringValue ?? "")", "type": "\(p.type)", "reason": "\(p.reason)", "message": "\(p.message)",
                ])
                let key = [p.involved["uid"]?.stringValue ?? "", p.type, p.reason, p.message].joined(separator: "\u{0}")
                let stamp = Timestamp.format(p.at)
                if seen.count >= 4096 {
                    older = seen
                    seen = [:]
                }
                if let prior = seen[key] ?? older[key] {
                    let patch: JSONValue = ["count": .int(prior.count + 1), "lastTimestamp": .string(stamp)]
                    do {
                        _ = try await client.patch(.events, namespace: p.namespace, name: prior.name, patch, type: "application/merge-patch+json")
                        seen[key] = (prior.name, prior.count + 1, prior.first)
                        continue
                    } catch {
                        // The prior event may have expired (event TTL): record a new one below.
                        logger.trace("Unable to update event; creating a new one", metadata: ["event": "\(prior.name)", "err": "\(error)"])
                    }
                }
                // client-go names an event `<object>.<UnixNano in hex>`; two recorders stamping
                // the same instant (a test clock; two components on one clock tick) would collide,
                // so a taken name is tried again with a random number of nanoseconds added.
                sequence += 1
                let nanos = UInt64(max(0, p.at.timeIntervalSince1970) * 1_000_000_000) + sequence
                var event: JSONValue = [
                    "apiVersion": "v1", "kind": "Event",
                    "metadata": ["namespace": .string(p.namespace)],
                    "involvedObject": p.involved,
                    "reason": .string(p.reason), "message": .string(p.message), "type": .string(p.type),
                    "source": ["component": .string(component)],
                    "firstTimestamp": .string(stamp), "lastTimestamp": .string(stamp), "count": 1,
                    "reportingComponent": .string(component), "reportingInstance": "",
                ]
                for attempt in 0..<Self.nameAttempts {
                    let offset = attempt == 0 ? 0 : UInt64(FastRandom.next() & 0xffff_ffff)
                    let name = "\(p.involved["name"]?.stringValue ?? "").\(String(nanos &+ offset, radix: 16))"
                    event.set(["metadata", "name"], .string(name))
                    do {
                        _ = try await client.create(.events, namespace: p.namespace, event)
                        seen[key] = (name, 1, stamp)
                        break
                    } catch let e as APIStatusError where e.code == 409 && attempt + 1 < Self.nameAttempts {
                        continue
                    } catch {
                        logger.warning("Unable to write event", metadata: ["reason": "\(p.reason)", "object": "\(p.involved["name"]?.stringValue ?? "")", "err": "\(error)"])
                        break
                    }
                }
            }
        }
    }

    /// How many names an event tries before it is dropped (logged).
    static let nameAttempts = 4

    /// Records an event about `object`; `resource` names its kind when the object does not
    /// carry `kind` (items of a list do not).
    public func event(_ object: JSONValue, of resource: APIResource? = nil, type: String = "Normal", reason: String, message: String) {
        let ns = object.metaNamespace.isEmpty ? "default" : object.metaNamespace
        let kind = object["kind"] ?? resource.map { .string($0.kind) } ?? ""
        let apiVersion = object["apiVersion"] ?? resource.map { .string($0.groupVersion) } ?? ""
        var involved: JSONValue = [
            "apiVersion": apiVersion, "kind": kind, "name": .string(object.metaName),
            "uid": .string(object.uid), "resourceVersion": .string(object.resourceVersion),
        ]
        if !object.metaNamespace.isEmpty { involved["namespace"] = .string(object.metaNamespace) }
        if case .dropped = continuation.yield(Pending(involved: involved, namespace: ns, type: type, reason: reason, message: message, at: clock.now())) {
            logger.warning("Dropping event: too many are waiting to be written", metadata: [
                "object": "\(ns)/\(object.metaName)", "reason": "\(reason)", "queued": "\(Self.maxQueued)",
            ])
        }
    }

    /// Stops after writing what is queued.
    public func shutDown() async {
        continuation.finish()
        await writer.value
    }
}
