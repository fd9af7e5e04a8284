import KubeClient
import KubeModel

/// `apply --server-side` as kubectl does it: one apply patch, then (for the default manager) the
/// upgrade of an object that client-side apply managed until now.
extension Apply {
    static let conflictHelp = """
        Please review the fields above--they currently have other managers. Here
        are the ways you can resolve this warning:
        * If you intend to manage all of these fields, please re-run the apply
          command with the `--force-conflicts` flag.
        * If you do not intend to manage all of the fields, please edit your
          manifest to remove references to the fields that should keep their
          current managers.
        * You may co-own fields by updating your manifest to match the existing
          value; in this case, you'll become the manager if the other manager(s)
          stop managing the field (remove it from their configuration).
        See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts
        """

    func applyOnServer(_ obj: JSONValue, path: String, query: [(String, String)], _ session: Session) async throws {
        let patch = query + [("force", forceConflicts ? "true" : "false")]
        func send() async throws -> JSONValue {
            do {
                return try await session.client.call("PATCH", path, query: patch, body: obj, contentType: "application/apply-patch+yaml")
            } catch let e as APIStatusError where e.code == 409 {
                throw KctlError("\(e.message)\n\(Self.conflictHelp)")
            }
        }
        var live = try await send()
        let manager = fieldManager ?? "kubectl"
        do {
            if manager == "kubectl" { live = try await saveLastApplied(live, path: path, query: query, session) }
        } catch let e as APIStatusError {
            Terminal.err("Warning: failed to migrate kubectl.kubernetes.io/last-applied-configuration for Server-Side Apply. This is non-fatal and will be retried next time you apply. Error: \(e.message)")
            return
        }
        do {
            guard try await migrateToServerSide(live, manager: manager, path: path, query: query, session) else { return }
        } catch let e as APIStatusError {
            Terminal.err("Warning: server rejected managed fields migration to Server-Side Apply. This is non-fatal and will be retried next time you apply. Error: \(e.message)")
            return
        }
        do { _ = try await send() } catch let e as KctlError {
            Terminal.err("Warning: failed to re-apply configuration after performing Server-Side Apply migration. This is non-fatal and will be retried next time you apply. Error: \(e.message)")
        }
    }

    /// An object still carrying client-side apply's annotation keeps it under its own applier,
    /// `kubectl-last-applied`, so the first server-side apply does not drop it.
    func saveLastApplied(_ live: JSONValue, path: String, query: [(String, String)], _ session: Session) async throws -> JSONValue {
        guard let annotation = live.metadata.annotations[Self.lastApplied] else { return live }
        let entries = ManagedFieldsEntry.decode(live.metadata.managedFields) ?? []
        if entries.contains(where: { $0.operation == .apply && $0.fields.contains(ManagedFieldsEntry.lastAppliedPath) }) { return live }
        var meta: JSONValue = ["name": .string(live.metaName), "annotations": [Self.lastApplied: .string(annotation)]]
        if !live.metaNamespace.isEmpty { meta["namespace"] = .string(live.metaNamespace) }
        let body: JSONValue = ["apiVersion": live["apiVersion"] ?? .null, "kind": live["kind"] ?? .null, "metadata": meta]
        let q = query.map { $0.0 == "fieldManager" ? ("fieldManager", "kubectl-last-applied") : $0 }
        return try await session.client.call("PATCH", path, query: q, body: body, contentType: "application/apply-patch+yaml")
    }

    /// Moves what the client-side appliers own to `kubectl`'s apply entry (csaupgrade), with the
    /// object's resourceVersion as precondition; retried on conflict. True when it patched.
    func migrateToServerSide(_ live: JSONValue, manager: String, path: String, query: [(String, String)], _ session: Session) async throws -> Bool {
        var object = live
        for attempt in 0..<5 {
            let entries = ManagedFieldsEntry.decode(object.metadata.managedFields) ?? []
            let csa = entries.filter { $0.operation == .update && $0.fields.contains(ManagedFieldsEntry.lastAppliedPath) }.map(\.manager)
            let upgraded = ManagedFieldsEntry.upgrading(entries, csaManagers: csa, ssaManager: manager)
            if upgraded == entries { return false }
            let patch: JSONValue = [
                ["op": "replace", "path": "/metadata/managedFields", "value": .array(upgraded.map(\.json))],
                ["op": "replace", "path": "/metadata/resourceVersion", "value": .string(object.resourceVersion)],
            ]
            do {
                _ = try await session.client.call("PATCH", path, query: query, body: patch, contentType: "application/json-patch+json")
                return true
            } catch let e as APIStatusError where e.code == 409 && attempt < 4 {
                object = try await session.client.call("GET", path)
            }
        }
        return false
    }
}
