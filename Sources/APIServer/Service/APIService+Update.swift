import KubeModel

public enum Subresource: String, Sendable {
    case none = "", status, scale
}

public enum PatchType: String, Sendable {
    case json = "application/json-patch+json"
    case merge = "application/merge-patch+json"
    case strategic = "application/strategic-merge-patch+json"
    case apply = "application/apply-patch+yaml"
}

extension APIService {
    /// PUT: replaces the object (or its status / scale) if `metadata.resourceVersion` matches.
    public func update(
        _ info: ResourceInfo, namespace: String?, name: String, body: JSONValue, subresource: Subresource = .none,
        options: WriteOptions = .init()
    ) async throws -> WriteResult {
        var body = body.droppingNulls()
        if subresource == .scale {
            guard case .object = body else { throw APIError.badRequest("the object provided is unrecognized (must be of type Scale)") }
        } else {
            try checkTypeMeta(&body, info)
        }
        var named = body
        if (body[path: ["metadata", "name"]]?.stringValue ?? "").isEmpty { named.set(["metadata", "name"], .string(name)) }
        try Self.checkName(named, info, namespace: namespace, name: name)
        let wantRV = body[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
        let wantUID = body[path: ["metadata", "uid"]]?.stringValue ?? ""
        try validateOwnershipOptions(options, kind: "UpdateOptions")
        let ownership = Ownership.update(manager: Self.manager(options))
        // A uid in the body is a precondition (rest.DefaultUpdatedObjectInfo), checked by storage.
        let preconditions = Preconditions(uid: wantUID.isEmpty ? nil : wantUID, resourceVersion: wantRV.isEmpty ? nil : wantRV)
        return try await modify(info, namespace: namespace, name: name, subresource: subresource, options: options, ownership: ownership,
                                preconditions: preconditions) { _ in
            var b = body
            b.set(["metadata", "name"], .string(name))
            return b
        }
    }

    /// PATCH: applies a JSON, merge, strategic-merge or apply patch to the current object.
    public func patch(
        _ info: ResourceInfo, namespace: String?, name: String, type: PatchType, patch: JSONValue,
        subresource: Subresource = .none, options: WriteOptions = .init()
    ) async throws -> WriteResult {
        try validateOwnershipOptions(options, kind: "PatchOptions", apply: type == .apply)
        if type == .apply && subresource != .scale {
            return try await apply(info, namespace: namespace, name: name, config: patch, subresource: subresource, options: options)
        }
        let typeName = subresource == .scale ? "Scale" : info.schemaType
        let ownership = Ownership.update(manager: Self.manager(options))
        return try await modify(info, namespace: namespace, name: name, subresource: subresource, options: options, ownership: ownership) { current in
            let patched: JSONValue
            do {
                switch type {
                case .json: patched = try JSONPatch.apply(patch, to: current)
                case .merge: patched = MergePatch.apply(patch, to: current)
                case .strategic, .apply: patched = try StrategicMergePatch(schemas: schemas).apply(patch, to: current, typeName: typeName)
                }
            } catch let e as PatchError {
                throw APIError(code: 422, reason: "Invalid", message: e.message)
            }
            let result = patched.droppingNulls()
            try Self.checkName(result, info, namespace: namespace, name: name)
            if let uid = result[path: ["metadata", "uid"]]?.stringValue, !uid.isEmpty, uid != current[path: ["metadata", "uid"]]?.stringValue {
                // rest.BeforeUpdate's ValidateObjectMetaUpdate: the uid may not change.
                throw APIError.invalid(info, name, [.invalid("metadata.uid", .string(uid), "field is immutable")])
            }
            if patched[path: ["metadata", "resourceVersion"]] != current[path: ["metadata", "resourceVersion"]] {
                throw APIError.modified(info, name)
            }
            return result
        }
    }

    /// The handlers' checkName: the object names what the URL names.
    static func checkName(_ obj: JSONValue, _ info: ResourceInfo, namespace: String?, name: String) throws(APIError) {
        let objName = obj[path: ["metadata", "name"]]?.stringValue ?? ""
        if objName != name {
            throw APIError.badRequest("the name of the object (\(objName)) does not match the name on the URL (\(name))")
        }
        if info.namespaced, let namespace, !namespace.isEmpty,
            let objNamespace = obj[path: ["metadata", "namespace"]]?.stringValue, !objNamespace.isEmpty, objNamespace != namespace
        {
            throw APIError.badRequest("the namespace of the object (\(objNamespace)) does not match the namespace on the URL (\(namespace))")
        }
    }

    /// The shared read-modify-write of update and patch. `change` gets the current object in
    /// the request's form (the resource's version, or a Scale) and returns the desired one.
    /// `preconditions` fail as kube-apiserver's update does: a uid with 412, a resourceVersion
    /// with 409 "the object has been modified".
    func modify(
        _ info: ResourceInfo, namespace: String?, name: String, subresource: Subresource, options: WriteOptions, ownership: Ownership,
        preconditions: Preconditions = .init(), change: (JSONValue) throws -> JSONValue
    ) async throws -> WriteResult {
        let k = key(info, namespace, name)
        if subresource == .scale && !info.hasScale { throw APIError.resourceNotFound() }
        if subresource == .status && !info.hasStatus { throw APIError.resourceNotFound() }
        /// What the update decided beside the write: admission's warnings, and a dry run's object.
        struct Decided: Sendable {
            let warnings: [String]
            var dryRun: JSONValue? = nil
            /// The object the write replaced, for the kind's afterUpdate.
            var previous: JSONValue? = nil
        }
        let context = HookContext(self)
        let outcome: UpdateOutcome<Decided>
        do {
            outcome = try await store.guaranteedUpdate(k, preconditions: preconditions) { stored -> UpdateDecision<Decided> in
                let current = stored.value
                let view = subresource == .scale ? Conversion.scale(of: current) : Conversion.toVersion(current, info)
                var incoming = try change(view)
                if subresource != .scale { try checkTypeMeta(&incoming, info) }
                var next: JSONValue
                switch subresource {
                case .scale:
                    guard let replicas = incoming[path: ["spec", "replicas"]] else {
                        throw APIError.invalid(info, name, [.required("spec.replicas")])
                    }
                    guard let r = replicas.intValue, r >= 0 else {
                        throw APIError.invalid(info, name, [.invalid("spec.replicas", replicas, "must be greater than or equal to 0")])
                    }
                    next = current
                    next.set(["spec", "replicas"], .int(r))
                case .status:
                    next = Conversion.toVersion(current, info)
                    next["status"] = incoming["status"]
                    // As kube-apiserver's status strategies do, a status write may change annotations
                    // (the deployment controller records the revision this way), never spec or labels.
                    next.set(["metadata", "annotations"], incoming[path: ["metadata", "annotations"]])
                case .none:
                    next = incoming
                    if Self.resetsStatus(info) { next["status"] = Conversion.toVersion(current, info)["status"] }
                }
                if case .applied = ownership { next.set(["metadata", "managedFields"], incoming[path: ["metadata", "managedFields"]]) }
                for f in ["uid", "creationTimestamp", "namespace", "generation", "deletionTimestamp", "deletionGracePeriodSeconds", "resourceVersion"] {
                    next.set(["metadata", f], current[path: ["metadata", f]])
                }
                next.set(["metadata", "name"], .string(name))
                let admitted = try self.admit(subresource == .scale ? Conversion.toVersion(next, info) : next, info: info, old: current, options: options)
                let warnings = admitted.warnings
                next = admitted.object
                // What the new object needs allocated (a retried decision first gives back what the
                // one before it took).
                context.releaseTaken()
                if let begin = info.definition.hooks.beginUpdate {
                    do { try begin(&next, current, context) } catch let e as KindHookError { throw e.apiError(info, name) }
                }
                if Self.hasGeneration(info), next["spec"] != current["spec"] {
                    next.set(["metadata", "generation"], .int((current[path: ["metadata", "generation"]]?.intValue ?? 0) + 1))
                }
                self.recordOwnership(&next, current: current, ownership, info, subresource)
                if next == current { return .unchanged(Decided(warnings: warnings)) }
                // The last finalizer gone (and whatever else the kind awaits): the object goes.
                if next[path: ["metadata", "deletionTimestamp"]] != nil,
                    (next[path: ["metadata", "finalizers"]]?.arrayValue ?? []).isEmpty,
                    !(info.definition.hooks.awaitsFinalization?(next) ?? false)
                {
                    return .delete(Decided(warnings: warnings))
                }
                if options.dryRun { return .unchanged(Decided(warnings: warnings, dryRun: next)) }
                return .put(next, Decided(warnings: warnings, previous: current))
            }
        } catch {
            context.releaseTaken()
            throw error
        }
        let stored: JSONValue, decided: Decided
        var bytes: [UInt8]?
        switch outcome {
        case .notFound:
            context.releaseTaken()
            throw APIError.notFound(info, name)
        case .preconditionFailed(let failure):
            context.releaseTaken()
            if case .uid = failure { throw APIError.preconditionFailed(info, namespace: namespace, name: name, failure.message) }
            throw APIError.modified(info, name)
        case .unchanged(let current, let d):
            // Nothing written (or a dry run): what the decision took goes back.
            context.releaseTaken()
            (stored, decided) = (d.dryRun ?? current.value, d)
        case .updated(let event, let d):
            (stored, decided) = (event.object, d)
            if let previous = d.previous { info.definition.hooks.afterUpdate?(stored, previous, context) }
            if subresource != .scale && Conversion.isIdentity(info) { bytes = event.bytes }
        case .deleted(let event, let d):
            context.releaseTaken()
            (stored, decided) = (event.object, d)
            await afterDelete(info, stored)
        }
        let out = subresource == .scale ? Conversion.scale(of: stored) : Conversion.toVersion(stored, info)
        return WriteResult(object: out, warnings: decided.warnings, created: false, bytes: bytes)
    }
}
