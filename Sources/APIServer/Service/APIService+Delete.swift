import Foundation
import KubeModel

public struct DeleteOptions: Sendable {
    public var gracePeriodSeconds: Int64?
    public var propagationPolicy: String?
    public var preconditionUID: String?
    public var preconditionResourceVersion: String?
    public var dryRun = false
    public init() {}

    /// Reads a DeleteOptions body (kubectl sends `{"propagationPolicy":"Background"}`).
    public init(json: JSONValue) {
        gracePeriodSeconds = json["gracePeriodSeconds"]?.intValue
        propagationPolicy = json["propagationPolicy"]?.stringValue
        if propagationPolicy == nil, let orphan = json["orphanDependents"]?.boolValue {
            propagationPolicy = orphan ? "Orphan" : "Background"
        }
        preconditionUID = json[path: ["preconditions", "uid"]]?.stringValue
        preconditionResourceVersion = json[path: ["preconditions", "resourceVersion"]]?.stringValue
        dryRun = !(json["dryRun"]?.arrayValue ?? []).isEmpty
    }
}

extension APIService {
    public func delete(_ info: ResourceInfo, namespace: String?, name: String, options: DeleteOptions = .init()) async throws -> JSONValue {
        let k = key(info, namespace, name)
        let policy = options.propagationPolicy ?? "Background"
        guard ["Background", "Foreground", "Orphan"].contains(policy) else {
            throw APIError.invalid(info, name, [.notSupported("propagationPolicy", .string(policy), ["Foreground", "Background", "Orphan"])])
        }
        let preconditions = Preconditions(uid: options.preconditionUID, resourceVersion: options.preconditionResourceVersion)
        let outcome = try await store.guaranteedUpdate(k, preconditions: preconditions) { stored -> UpdateDecision<Void> in
            var obj = stored.value
            if options.dryRun { return .unchanged(()) }
            let terminating = obj[path: ["metadata", "deletionTimestamp"]] != nil
            var finalizers = (obj[path: ["metadata", "finalizers"]]?.arrayValue ?? []).compactMap(\.stringValue)
            switch info.definition.hooks.beforeDelete?(obj, KindHooks.DeleteRequest(gracePeriodSeconds: options.gracePeriodSeconds, now: now())) {
            case .unchanged?: return .unchanged(())
            case .delete?: return .delete(())
            case .put(let marked)?: return .put(marked, ())
            case .proceed?, nil: break
            }
            if terminating { return finalizers.isEmpty ? .delete(()) : .unchanged(()) }
            // Read outside the store's lock, as part of deciding against the object read.
            let hasDependents = policy != "Background" && self.hasDependents(obj)
            if policy == "Foreground" && !finalizers.contains("foregroundDeletion") && hasDependents {
                finalizers.append("foregroundDeletion")
            }
            if policy == "Orphan" && !finalizers.contains("orphan") && hasDependents { finalizers.append("orphan") }
            if finalizers.isEmpty { return .delete(()) }
            obj.set(["metadata", "deletionTimestamp"], timestamp())
            obj.set(["metadata", "deletionGracePeriodSeconds"], 0)
            obj.set(["metadata", "finalizers"], .array(finalizers.map { .string($0) }))
            return .put(obj, ())
        }
        switch outcome {
        case .notFound:
            throw APIError.notFound(info, name)
        case .preconditionFailed(let failure):
            throw APIError.conflict(info, name, failure.message)
        case .unchanged(let stored, _):
            return Conversion.toVersion(stored.value, info)
        case .updated(let event, _):
            return Conversion.toVersion(event.object, info)
        case .deleted(let event, _):
            // Dependents, finalizers and namespace contents are the garbage collector's and the
            // namespace controller's business, as in Kubernetes.
            await afterDelete(info, event.object)
            return Conversion.toVersion(event.object, info)
        }
    }

    public func deleteCollection(_ info: ResourceInfo, namespace: String?, list: ListOptions, options: DeleteOptions) async throws -> JSONValue {
        let items = try self.list(info, namespace: namespace, options: list)["items"]?.arrayValue ?? []
        var deleted: [JSONValue] = []
        for item in items {
            let name = item[path: ["metadata", "name"]]?.stringValue ?? ""
            let ns = item[path: ["metadata", "namespace"]]?.stringValue
            if let d = try? await delete(info, namespace: ns, name: name, options: options) { deleted.append(d) }
        }
        return ["kind": .string(info.kind + "List"), "apiVersion": .string(info.groupVersion),
                "metadata": ["resourceVersion": .string(String(store.currentRevision))], "items": .array(deleted)]
    }
}
