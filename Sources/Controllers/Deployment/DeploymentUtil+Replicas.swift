import Foundation
import KubeModel

/// The replica arithmetic of a rollout, as pure functions named after their Kubernetes
/// counterparts (`pkg/controller/deployment/util`, `sync.go`, `rolling.go`): fenceposts, how far
/// the new ReplicaSet may grow and the old ones shrink, and proportional scaling. The Rollout
/// writes what they return; DeploymentUtilTests checks them against Kubernetes' own tables.
extension DeploymentUtil {
    /// A maxSurge or maxUnavailable that is neither a count nor a percentage.
    struct InvalidIntOrPercent: Error, CustomStringConvertible {
        let value: JSONValue
        var description: String { "invalid value for IntOrString: \(value)" }
    }

    /// maxSurge scaled rounding up and maxUnavailable rounding down (`ResolveFenceposts`); an
    /// absent one is 0, and both 0 becomes an unavailable of 1 so that a rollout can progress.
    static func resolveFenceposts(maxSurge: JSONValue?, maxUnavailable: JSONValue?, desired: Int64) throws -> (surge: Int64, unavailable: Int64) {
        func scaled(_ value: JSONValue?, roundUp: Bool) throws -> Int64 {
            guard let value else { return 0 }
            guard let v = IntOrPercent.parse(value) else { throw InvalidIntOrPercent(value: value) }
            return v.value(total: desired, roundUp: roundUp)
        }
        let surge = try scaled(maxSurge, roundUp: true)
        let unavailable = try scaled(maxUnavailable, roundUp: false)
        if surge == 0 && unavailable == 0 { return (0, 1) }
        return (surge, unavailable)
    }

    /// The Deployment's fenceposts. The API server defaults both to 25%, so an object stored
    /// without them counts as that; validation refuses other values, so one that slipped past
    /// counts as 0, as `MaxSurge` and `MaxUnavailable` ignore the error.
    static func fenceposts(_ d: JSONValue) -> (surge: Int64, unavailable: Int64) {
        let rollingUpdate = Deployment(d).spec.strategy.rollingUpdate?.json
        let surge = rollingUpdate?["maxSurge"] ?? "25%", unavailable = rollingUpdate?["maxUnavailable"] ?? "25%"
        return (try? resolveFenceposts(maxSurge: surge, maxUnavailable: unavailable, desired: replicas(d))) ?? (0, 0)
    }

    static func maxSurge(_ d: JSONValue) -> Int64 { isRollingUpdate(d) ? fenceposts(d).surge : 0 }

    /// maxUnavailable, never more than `replicas`.
    static func maxUnavailable(_ d: JSONValue) -> Int64 {
        guard isRollingUpdate(d), replicas(d) > 0 else { return 0 }
        return min(fenceposts(d).unavailable, replicas(d))
    }

    /// The sum of `spec.replicas` over the ReplicaSets.
    static func getReplicaCountForReplicaSets(_ rss: [JSONValue]) -> Int64 { rss.reduce(0) { $0 + replicas($1) } }

    /// How many replicas the new ReplicaSet may have now.
    static func newRSNewReplicas(_ d: JSONValue, all: [JSONValue], newRS: JSONValue) -> Int64 {
        guard isRollingUpdate(d) else { return replicas(d) }
        let current = getReplicaCountForReplicaSets(all)
        let maxTotal = replicas(d) + maxSurge(d)
        if current >= maxTotal { return replicas(newRS) }
        let up = min(maxTotal - current, replicas(d) - replicas(newRS))
        return replicas(newRS) + max(0, up)
    }

    // MARK: - Proportional scaling (sync.go)

    /// The max-replicas annotation when it holds a count from 0 to 2^31-1, as
    /// `getNonNegativeInt32FromAnnotation` reads it.
    static func maxReplicasAnnotationValue(_ rs: JSONValue) -> Int64? {
        guard let text = rs.metaAnnotations[maxReplicasAnnotation], let v = UInt32(text), v <= UInt32(Int32.max) else { return nil }
        return Int64(v)
    }

    /// How many replicas `rs` gains (or loses) when the Deployment is resized: its share of the
    /// new size, by what it had of the old one (the max-replicas annotation; failing that, the
    /// Deployment's status).
    static func getReplicaSetFraction(_ rs: JSONValue, _ d: JSONValue) -> Int64 {
        let r = replicas(rs)
        if replicas(d) == 0 { return -r }
        let deploymentMaxReplicas = replicas(d) + maxSurge(d)
        var annotated = maxReplicasAnnotationValue(rs) ?? 0
        if annotated == 0 { annotated = Deployment(d).status.replicas }
        // Nothing to scale from: leave the ReplicaSet as it is.
        if annotated == 0 { return 0 }
        return Int64((Double(r * deploymentMaxReplicas) / Double(annotated)).rounded()) - r
    }

    /// `rs`'s fraction, kept within what is still to be added (or removed).
    static func getProportion(_ rs: JSONValue, _ d: JSONValue, toAdd: Int64, added: Int64) -> Int64 {
        guard replicas(rs) != 0, toAdd != 0, toAdd != added else { return 0 }
        let fraction = getReplicaSetFraction(rs, d)
        let allowed = toAdd - added
        return toAdd > 0 ? min(fraction, allowed) : max(fraction, allowed)
    }

    /// The only active ReplicaSet, or the newest when none is active; nil when several are.
    static func findActiveOrLatest(newRS: JSONValue?, oldRSs: [JSONValue]) -> JSONValue? {
        if newRS == nil && oldRSs.isEmpty { return nil }
        let sortedOld = byCreation(oldRSs).reversed()
        let active = active(sortedOld + (newRS.map { [$0] } ?? []))
        switch active.count {
        case 0: return newRS ?? sortedOld.first
        case 1: return active[0]
        default: return nil
        }
    }

    /// One ReplicaSet and the size `scale` gives it. `operation` ("up" or "down") is set for a
    /// proportional step, whose write also refreshes the replicas annotations.
    struct ScaleStep {
        let rs: JSONValue
        let replicas: Int64
        let operation: String?
    }

    /// What `scale` does on a change of `replicas` (or a paused rollout): all of it to the one
    /// active ReplicaSet; the old ones to 0 once the new one is saturated; otherwise, mid-rollout,
    /// spread over the active ReplicaSets in proportion to their size (bigger first for
    /// additions, older first for removals), leftovers to the first.
    static func scaleSteps(_ d: JSONValue, newRS: JSONValue?, oldRSs: [JSONValue]) -> [ScaleStep] {
        let desired = replicas(d)
        if let target = findActiveOrLatest(newRS: newRS, oldRSs: oldRSs) {
            return replicas(target) == desired ? [] : [ScaleStep(rs: target, replicas: desired, operation: nil)]
        }
        if isSaturated(d, newRS) { return active(oldRSs).map { ScaleStep(rs: $0, replicas: 0, operation: nil) } }
        guard isRollingUpdate(d) else { return [] }
        var all = active(oldRSs + (newRS.map { [$0] } ?? []))
        let allowed = desired > 0 ? desired + maxSurge(d) : 0
        let toAdd = allowed - getReplicaCountForReplicaSets(all)
        // ReplicaSetsBySizeNewer and ReplicaSetsBySizeOlder: bigger first, then newer or older.
        if toAdd > 0 {
            all.sort { replicas($0) != replicas($1) ? replicas($0) > replicas($1) : createdBefore($1, $0) }
        } else if toAdd < 0 {
            all.sort { replicas($0) != replicas($1) ? replicas($0) > replicas($1) : createdBefore($0, $1) }
        }
        var added: Int64 = 0
        var sizes: [Int64] = []
        for rs in all {
            let p = getProportion(rs, d, toAdd: toAdd, added: added)
            sizes.append(replicas(rs) + p)
            added += p
        }
        if toAdd != 0, !sizes.isEmpty { sizes[0] = max(0, sizes[0] + toAdd - added) }
        let operation = toAdd > 0 ? "up" : "down"
        return zip(all, sizes).map { ScaleStep(rs: $0, replicas: $1, operation: operation) }
    }

    // MARK: - The new/old split of a rolling update (rolling.go)

    /// The size `reconcileNewReplicaSet` gives the new ReplicaSet: down to `replicas` at once,
    /// up within maxSurge; nil when it stays as it is.
    static func reconcileNewReplicaSet(_ d: JSONValue, all: [JSONValue], newRS: JSONValue) -> Int64? {
        let want = replicas(d), have = replicas(newRS)
        if have == want { return nil }
        if have > want { return want }
        let size = newRSNewReplicas(d, all: all, newRS: newRS)
        return size == have ? nil : size
    }

    /// How many old replicas `reconcileOldReplicaSets` may remove: all pods but minAvailable,
    /// less the new ReplicaSet's unavailable ones, which removing old pods would not replace.
    static func maxScaledDown(_ d: JSONValue, all: [JSONValue], newRS: JSONValue) -> Int64 {
        let minAvailable = replicas(d) - maxUnavailable(d)
        let newUnavailable = replicas(newRS) - min(status(newRS, \.availableReplicas), replicas(newRS))
        return getReplicaCountForReplicaSets(all) - minAvailable - newUnavailable
    }

    /// The sizes (of `byCreation(oldRSs)`, in that order) after removing old replicas that are
    /// not available anyway, at most `maxCleanupCount` of them; and how many that is.
    static func cleanupUnhealthyReplicas(_ oldRSs: [JSONValue], maxCleanupCount: Int64) -> (replicas: [Int64], cleanedUp: Int64) {
        var total: Int64 = 0
        let sizes = byCreation(oldRSs).map { rs in
            let spec = replicas(rs), available = status(rs, \.availableReplicas)
            if total >= maxCleanupCount || spec == 0 || spec <= available { return spec }
            let down = min(maxCleanupCount - total, spec - available)
            total += down
            return spec - down
        }
        return (sizes, total)
    }

    /// The sizes (of `byCreation(oldRSs)`, in that order) after scaling the oldest ReplicaSets
    /// down while the available pods of `all` stay above minAvailable; and how many went.
    static func scaleDownOldReplicaSetsForRollingUpdate(_ d: JSONValue, all: [JSONValue], oldRSs: [JSONValue]) -> (replicas: [Int64], scaledDown: Int64) {
        let sorted = byCreation(oldRSs)
        let minAvailable = replicas(d) - maxUnavailable(d)
        let available = sumAvailable(all)
        if available <= minAvailable { return (sorted.map(replicas), 0) }
        let target = available - minAvailable
        var total: Int64 = 0
        let sizes = sorted.map { rs in
            let spec = replicas(rs)
            if total >= target || spec == 0 { return spec }
            let down = min(spec, target - total)
            total += down
            return spec - down
        }
        return (sizes, total)
    }
}
