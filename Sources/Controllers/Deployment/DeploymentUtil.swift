import Foundation
import KubeModel

/// `pkg/controller/deployment/util`: revisions, hashes, templates, annotations and the replica
/// counts summed over ReplicaSets (the rollout arithmetic is in DeploymentUtil+Replicas.swift).
enum DeploymentUtil {
    static let revisionAnnotation = "deployment.kubernetes.io/revision"
    static let revisionHistoryAnnotation = "deployment.kubernetes.io/revision-history"
    static let desiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas"
    static let maxReplicasAnnotation = "deployment.kubernetes.io/max-replicas"
    static let hashLabel = "pod-template-hash"
    /// Deployment annotations a new ReplicaSet does not inherit.
    static let notCopied: Set<String> = [
        "kubectl.kubernetes.io/last-applied-configuration", revisionAnnotation, revisionHistoryAnnotation,
        desiredReplicasAnnotation, maxReplicasAnnotation, "deprecated.deployment.rollback.to",
    ]

    /// `spec.replicas` of a Deployment or a ReplicaSet (the field is the same): absent is 1.
    static func replicas(_ o: JSONValue) -> Int64 { ReplicaSet(o).spec.replicas ?? 1 }
    static func status(_ rs: JSONValue, _ field: KeyPath<ReplicaSet.Status, Int64>) -> Int64 { ReplicaSet(rs).status[keyPath: field] }

    static func isRollingUpdate(_ d: JSONValue) -> Bool { Deployment(d).spec.strategy.type == "RollingUpdate" }

    static func revision(_ rs: JSONValue) -> Int64 { Int64(rs.metaAnnotations[revisionAnnotation] ?? "") ?? 0 }
    static func maxRevision(_ rss: [JSONValue]) -> Int64 { rss.map(revision).max() ?? 0 }

    static func byCreation(_ rss: [JSONValue]) -> [JSONValue] { rss.sorted(by: createdBefore) }

    /// `ReplicaSetsByCreationTimestamp`: older first, then by name.
    static func createdBefore(_ a: JSONValue, _ b: JSONValue) -> Bool {
        let ta = a.creationTimestamp ?? .distantPast, tb = b.creationTimestamp ?? .distantPast
        return ta == tb ? a.metaName < b.metaName : ta < tb
    }

    /// The template as Kubernetes compares it (apiequality.Semantic on Go structs): without the
    /// hash label, and with `resources: {}` on every container, since Go cannot tell an empty
    /// struct from an absent one. Templates stored before the API server wrote `resources: {}`
    /// still match the ones `kubectl rollout undo` sends back.
    static func templateWithoutHash(_ t: JSONValue?) -> JSONValue {
        var t = t ?? .emptyObject
        if var labels = t[path: ["metadata", "labels"]]?.objectValue {
            labels[hashLabel] = nil
            t.set(["metadata", "labels"], labels.isEmpty ? nil : .object(labels))
        }
        for list in ["containers", "initContainers"] {
            guard let items = t[path: ["spec", list]]?.arrayValue, items.contains(where: { $0["resources"] == nil }) else { continue }
            t.set(["spec", list], .array(items.map { c in
                var c = c
                if c["resources"] == nil { c["resources"] = .emptyObject }
                return c
            }))
        }
        return t
    }

    static func equalIgnoreHash(_ a: JSONValue?, _ b: JSONValue?) -> Bool { templateWithoutHash(a) == templateWithoutHash(b) }

    /// The oldest ReplicaSet whose template is the Deployment's: the new one.
    static func findNewReplicaSet(_ d: JSONValue, _ rss: [JSONValue]) -> JSONValue? {
        let template = Deployment(d).spec.template.json
        return byCreation(rss).first { equalIgnoreHash(ReplicaSet($0).spec.template.json, template) }
    }

    /// FNV-32a over the template (and collision count), spelled in the safe alphabet as
    /// Kubernetes spells `pod-template-hash`.
    static func computeHash(_ template: JSONValue, collisionCount: Int64?) -> String {
        var h: UInt32 = 2_166_136_261
        func feed(_ bytes: some Sequence<UInt8>) { for b in bytes { h = (h ^ UInt32(b)) &* 16_777_619 } }
        feed(JSONSerializer.serialize(template))
        if let c = collisionCount {
            let v = UInt32(truncatingIfNeeded: c)
            feed([UInt8(v & 0xff), UInt8(v >> 8 & 0xff), UInt8(v >> 16 & 0xff), UInt8(v >> 24), 0, 0, 0, 0])
        }
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String(String(h).utf8.map { alphabet[Int($0) % alphabet.count] })
    }

    static func sumStatus(_ rss: [JSONValue], _ field: KeyPath<ReplicaSet.Status, Int64>) -> Int64 { rss.reduce(0) { $0 + status($1, field) } }
    /// Available pods, never more than the ReplicaSet now wants: after a scale-down its status
    /// lags, and counting the pods being removed would let a rollout dip below minAvailable.
    static func sumAvailable(_ rss: [JSONValue]) -> Int64 { rss.reduce(0) { $0 + min(status($1, \.availableReplicas), replicas($1)) } }
    static func active(_ rss: [JSONValue]) -> [JSONValue] { rss.filter { replicas($0) > 0 } }

    static func desiredAnnotation(_ rs: JSONValue) -> Int64? { rs.metaAnnotations[desiredReplicasAnnotation].flatMap { Int64($0) } }

    static func setReplicasAnnotations(_ rs: inout JSONValue, desired: Int64, max: Int64) -> Bool {
        let a = rs.metaAnnotations
        if a[desiredReplicasAnnotation] == String(desired) && a[maxReplicasAnnotation] == String(max) { return false }
        rs.set(["metadata", "annotations", desiredReplicasAnnotation], .string(String(desired)))
        rs.set(["metadata", "annotations", maxReplicasAnnotation], .string(String(max)))
        return true
    }

    static func isSaturated(_ d: JSONValue, _ rs: JSONValue?) -> Bool {
        guard let rs else { return false }
        return desiredAnnotation(rs) == replicas(d) && replicas(rs) == replicas(d) && status(rs, \.availableReplicas) == replicas(d)
    }

    static func hasProgressDeadline(_ d: JSONValue) -> Bool {
        guard let s = Deployment(d).spec.progressDeadlineSeconds else { return false }
        return s != Int64(Int32.max)
    }
}
