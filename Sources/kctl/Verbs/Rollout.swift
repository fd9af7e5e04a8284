import ArgumentParser
import Foundation
import KubeClient
import KubeModel

struct Rollout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rollout", 
        abstract: "Manage the rollout of a resource.",
        subcommands: [RolloutStatus.self, RolloutHistory.self, RolloutUndo.self, RolloutRestart.self, RolloutPause.self, RolloutResume.self])
}

/// A Deployment and the ReplicaSets it controls, as `rollout history/undo` read them.
struct DeploymentHistory {
    static let revision = "deployment.kubernetes.io/revision"
    let deployment: JSONValue
    /// Owned ReplicaSets keyed by revision.
    let byRevision: [Int64: JSONValue]

    static func load(_ session: Session, _ r: APIResource, _ name: String) async throws -> (DeploymentHistory, String) {
        guard r.kind == "Deployment" else { throw KctlError("no history viewer has been implemented for \"\(r.kind)\"") }
        let ns = session.namespace
        let d = try await session.client.call("GET", r.path(namespace: ns, name: name), accept: "application/json, */*")
        let selector = Describers.selector(Deployment(d).spec.selector)
        let list = try await session.client.call("GET", "/apis/apps/v1/namespaces/\(ns)/replicasets", query: [("labelSelector", selector)])
        let uid = d.metadata.uid
        var byRevision: [Int64: JSONValue] = [:]
        for rs in ObjectList(list).items {
            let meta = rs.metadata
            guard meta.controllerRef?.uid == uid, let rev = meta.annotations[revision].flatMap({ Int64($0) }) else { continue }
            byRevision[rev] = rs
        }
        return (DeploymentHistory(deployment: d, byRevision: byRevision), "\(r.typePrefix)/\(name)")
    }

    /// The ReplicaSet of a revision, or for 0 the second newest, as kubectl's deploymentRevision.
    func replicaSet(toRevision: Int64, name: String) throws -> JSONValue {
        if toRevision < 0 { throw KctlError("unable to find specified revision \(toRevision) in history") }
        if toRevision > 0 {
            guard let rs = byRevision[toRevision] else { throw KctlError("unable to find specified revision \(toRevision) in history") }
            return rs
        }
        let newestFirst = byRevision.keys.sorted(by: >)
        guard newestFirst.count > 1, let rs = byRevision[newestFirst[1]] else { throw KctlError("no rollout history found for deployment \"\(name)\"") }
        return rs
    }

    /// A ReplicaSet's template as the Deployment would carry it (no pod-template-hash label).
    static func template(of rs: JSONValue) -> JSONValue {
        var t = ReplicaSet(rs).spec.template.json
        t.set(["metadata", "labels", "pod-template-hash"], nil)
        if PodTemplateSpec(t).metadata.labelsValue?.objectValue?.isEmpty == true { t.set(["metadata", "labels"], nil) }
        return t.droppingNulls()
    }
}

struct RolloutHistory: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "View rollout history.")
    @OptionGroup var global: GlobalOptions
    @Argument var args: [String] = []
    @Option var revision: Int64 = 0

    func run() async throws {
        try await Kctl.guarded {
            let session = try global.session()
            for (r, name) in try await TypeName.parse(args, session) {
                let (h, label) = try await DeploymentHistory.load(session, r, name)
                if h.byRevision.isEmpty {
                    Terminal.line("No rollout history found.")
                    continue
                }
                if revision > 0 {
                    guard let rs = h.byRevision[revision] else { throw KctlError("unable to find the specified revision") }
                    // kubectl shows the change cause among the template's annotations, and prints
                    // this view without aligning it.
                    var template = ReplicaSet(rs).spec.template.json
                    if let cause = rs.metadata.annotations["kubernetes.io/change-cause"] {
                        template.set(["metadata", "annotations", "kubernetes.io/change-cause"], .string(cause))
                    }
                    var w = DescribeWriter()
                    w.podTemplate(template)
                    Terminal.out("\(label) with revision #\(revision)\n" + w.text + "\n")
                    continue
                }
                var text = "REVISION\tCHANGE-CAUSE\n"
                for rev in h.byRevision.keys.sorted() {
                    let cause = h.byRevision[rev]?.metadata.annotations["kubernetes.io/change-cause"] ?? "<none>"
                    text += "\(rev)\t\(cause)\n"
                }
                Terminal.out("\(label) \n" + GoTabWriter().format(text) + "\n")
            }
        }
    }
}

struct RolloutUndo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "undo", abstract: "Undo a previous rollout.")
    @OptionGroup var global: GlobalOptions
    @Argument var args: [String] = []
    @Option(name: .customLong("to-revision")) var toRevision: Int64 = 0
    @Option(name: .customLong("dry-run")) var dryRun = "none"

    static let skipped: Set<String> = [
        "kubectl.kubernetes.io/last-applied-configuration", DeploymentHistory.revision, "deployment.kubernetes.io/revision-history",
        "deployment.kubernetes.io/desired-replicas", "deployment.kubernetes.io/max-replicas", "deprecated.deployment.rollback.to",
    ]

    func run() async throws {
        try await Kctl.guarded {
            let session = try global.session()
            for (r, name) in try await TypeName.parse(args, session) {
                let (h, label) = try await DeploymentHistory.load(session, r, name)
                let rs = try h.replicaSet(toRevision: toRevision, name: name)
                let suffix = dryRun == "client" ? " (dry run)" : dryRun == "server" ? " (server dry run)" : ""
                if dryRun == "client" {
                    // kubectl prints the template it would roll back to in place of the verb.
                    var w = DescribeWriter()
                    w.podTemplate(ReplicaSet(rs).spec.template.json)
                    Terminal.line("\(label) \(w.text)\(suffix)")
                    continue
                }
                let deployment = Deployment(h.deployment)
                if deployment.spec.paused {
                    throw KctlError("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again")
                }
                let template = DeploymentHistory.template(of: rs)
                if template == deployment.spec.template.json.droppingNulls() {
                    Terminal.line("\(label) skipped rollback (current template already matches revision \(toRevision))\(suffix)")
                    continue
                }
                // The Deployment keeps only its own bookkeeping annotations; the rest come from
                // the revision's ReplicaSet (change-cause above all).
                var annotations: [String: JSONValue] = [:]
                for (k, v) in deployment.metadata.annotations where Self.skipped.contains(k) { annotations[k] = .string(v) }
                for (k, v) in rs.metadata.annotations where !Self.skipped.contains(k) { annotations[k] = .string(v) }
                let patch: JSONValue = [
                    ["op": "replace", "path": "/spec/template", "value": template],
                    ["op": "replace", "path": "/metadata/annotations", "value": .object(annotations)],
                ]
                do {
                    _ = try await session.client.call("PATCH", r.path(namespace: session.namespace, name: name), query: dryRun == "server" ? [("dryRun", "All")] : [],
                                                      body: patch, contentType: "application/json-patch+json")
                } catch let e as APIStatusError {
                    throw KctlError("failed restoring revision \(toRevision): \(e.message)")
                }
                Terminal.line("\(label) rolled back\(suffix)")
            }
        }
    }
}
