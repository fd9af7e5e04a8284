import Foundation
import KubeModel
import Synchronization

/// client-go's `TriggerTimeTracker`: the value of the `endpoints.kubernetes.io/last-change-trigger-time`
/// annotation, the earliest change (a pod's Ready transition, the Service's creation) that this
/// sync is the first to see. kube-proxy measures its programming latency from it.
final class TriggerTimeTracker: Sendable {
    static let annotation = "endpoints.kubernetes.io/last-change-trigger-time"

    private struct State {
        var pods: [String: Date] = [:]
        var service: Date?
    }
    private let states = Mutex<[String: State]>([:])

    /// The trigger time of this sync of `service` over `pods`; nil when nothing changed since the last.
    func compute(service: JSONValue, pods: [JSONValue]) -> Date? {
        let key = service.metaNamespace + "/" + service.metaName
        var podTimes: [String: Date] = [:]
        for pod in pods { if let t = PodEndpoints.readyTransition(pod) { podTimes[pod.metaName] = t } }
        let serviceTime = service.creationTimestamp
        return states.withLock { states in
            let last = states[key] ?? State()
            var earliest: Date?
            for (name, t) in podTimes where last.pods[name].map({ t > $0 }) ?? true {
                earliest = min(earliest ?? t, t)
            }
            if let s = serviceTime, last.service.map({ s > $0 }) ?? true { earliest = min(earliest ?? s, s) }
            states[key] = State(pods: podTimes, service: serviceTime)
            return earliest
        }
    }

    func forget(_ serviceKey: String) { _ = states.withLock { $0.removeValue(forKey: serviceKey) } }

    /// Go's `time.RFC3339Nano` in UTC: the fraction without trailing zeros, none for a whole second.
    static func format(_ date: Date) -> String {
        let micro = Timestamp.formatMicro(date)
        var fraction = micro.dropFirst(20).dropLast()
        while fraction.last == "0" { fraction = fraction.dropLast() }
        return fraction.isEmpty ? Timestamp.format(date) : String(micro.prefix(20)) + fraction + "Z"
    }
}
