import Foundation
import KubeClient
import KubeModel

/// Controller references and the adopt/release rules of client-go's `ControllerRefManager`.
enum OwnerReferences {
    /// The `ownerReferences` entry that makes `owner` the controller of a child.
    static func controllerRef(to owner: JSONValue) -> JSONValue {
        ["apiVersion": owner["apiVersion"] ?? "", "kind": owner["kind"] ?? "", "name": .string(owner.metaName),
         "uid": .string(owner.uid), "controller": true, "blockOwnerDeletion": true]
    }

    enum Claim { case owned, adopt, release, ignore }

    /// Whether `owner` (selecting with `selector`) keeps, adopts, releases or leaves a child.
    static func claim(_ child: JSONValue, owner: JSONValue, selector: LabelSelector) -> Claim {
        let matches = !selector.isEmpty && selector.matches(object: child)
        if let ref = child.metadata.controllerRef {
            guard ref.uid == owner.uid else { return .ignore }
            if matches { return .owned }
            return owner.isDeleting ? .ignore : .release
        }
        if owner.isDeleting || !matches || child.isDeleting { return .ignore }
        return .adopt
    }

    /// Writes the adoption: the child's owner references plus ours, guarded by its resourceVersion.
    static func adopt(_ child: JSONValue, owner: JSONValue, resource: APIResource, client: APIClient) async throws -> JSONValue {
        let refs = child.ownerReferences + [controllerRef(to: owner)]
        let patch: JSONValue = ["metadata": ["ownerReferences": .array(refs), "resourceVersion": .string(child.resourceVersion)]]
        return try await client.patch(resource, namespace: child.metaNamespace, name: child.metaName, patch, type: "application/merge-patch+json")
    }

    /// Drops our reference from a child whose labels no longer match.
    static func release(_ child: JSONValue, owner: JSONValue, resource: APIResource, client: APIClient) async throws {
        let refs = child.ownerReferences.filter { OwnerReference($0).uid != owner.uid }
        let patch: JSONValue = ["metadata": ["ownerReferences": refs.isEmpty ? .null : .array(refs), "resourceVersion": .string(child.resourceVersion)]]
        do {
            _ = try await client.patch(resource, namespace: child.metaNamespace, name: child.metaName, patch, type: "application/merge-patch+json")
        } catch let e as APIStatusError where e.code == 404 {
            // Gone already: nothing to release.
        }
    }
}
