extension FieldManager {
    /// The outcome of a server-side apply, before defaulting and validation.
    public struct Applied: Sendable {
        /// The live object with the configuration merged in and what the applier dropped pruned,
        /// without `metadata.managedFields`.
        public let object: JSONValue
        public let entries: [Entry]
    }

    public enum ApplyError: Error, Sendable {
        case badRequest(String)
        case conflicts(ApplyConflicts)
    }

    public static let lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

    /// Server-side apply of `config` by `manager` onto `live` (nil when the object does not exist
    /// yet). Conflicts with other managers fail it unless `force`; `kubectl`, the default
    /// applier, may take what its client-side `last-applied-configuration` says it set.
    public func apply(live: JSONValue?, config: JSONValue, kind: String, manager: String, force: Bool) throws(ApplyError) -> Applied {
        guard config["apiVersion"]?.stringValue == apiVersion, config["kind"]?.stringValue == kind else {
            let av = config["apiVersion"]?.stringValue ?? ""
            let parts = av.split(separator: "/", maxSplits: 1).map(String.init)
            let (g, v) = parts.count == 2 ? (parts[0], parts[1]) : ("", av)
            throw .badRequest("invalid object type: \(g)/\(v), Kind=\(config["kind"]?.stringValue ?? "")")
        }
        if config[path: ["metadata", "managedFields"]] != nil { throw .badRequest("metadata.managedFields must be nil") }
        let managed = Managers((Entry.decode(live?[path: ["metadata", "managedFields"]]) ?? []).map { ($0.identity, $0) }) { a, _ in a }
        let id = Entry.Identity(manager: manager, operation: .apply, apiVersion: apiVersion, subresource: subresource)
        var applied: Applied
        do {
            applied = try applyOnce(live, config, managed, id, force: force)
        } catch {
            guard manager == "kubectl", let allowed = allowedByLastApplied(live) else { throw .conflicts(error) }
            let rest = error.excluding(allowed)
            guard rest.conflicts.isEmpty else { throw .conflicts(rest) }
            do { applied = try applyOnce(live, config, managed, id, force: true) } catch { throw .conflicts(error) }
        }
        // lastAppliedUpdater: kubectl's annotation follows what it applies on the server.
        if manager == "kubectl", let text = applied.object[path: ["metadata", "annotations", Self.lastAppliedAnnotation]]?.stringValue, !text.isEmpty {
            var object = applied.object
            object.set(["metadata", "annotations", Self.lastAppliedAnnotation], .string(Self.lastApplied(of: config)))
            applied = Applied(object: object, entries: applied.entries)
        }
        return applied
    }

    private func applyOnce(_ live: JSONValue?, _ config: JSONValue, _ managed: Managers, _ id: Entry.Identity, force: Bool) throws(ApplyConflicts) -> Applied {
        var managers = managed
        // An object no one tracked yet: what it holds becomes "before-first-apply"'s.
        if managers.isEmpty, let live {
            let before = Entry.Identity(manager: "before-first-apply", operation: .update, apiVersion: apiVersion, subresource: subresource)
            managers = record(old: nil, new: live, [:], as: before)
        }
        var current = live
        current?.set(["metadata", "managedFields"], nil)
        let root = FieldShape.root(typeName)
        var merged = current.map { ApplyMerge.merge($0, config, root, schemas) } ?? config
        let last = managers[id]
        let set = FieldSet(of: config, typeName: typeName, schemas: schemas).subtractingRecursively(resetFields)
        managers[id] = Entry(manager: id.manager, operation: .apply, apiVersion: apiVersion, subresource: subresource, time: last?.time, fields: set)
        if let last, !last.fields.isEmpty {
            let owned = managers.values.reduce(FieldSet()) { $0.union($1.fields) }
            merged = pruned(merged, last: last, owned: owned)
        }
        merged = merged.droppingNulls()
        let cmp = comparison(current, merged, in: apiVersion) ?? Comparison()
        let (after, conflicts) = dropping(cmp, from: managers, except: id, old: current, new: merged)
        if !force && !conflicts.isEmpty { throw ApplyConflicts(conflicts) }
        managers = after
        managers[id]?.fields = set.subtracting(Self.stripped)
        if current != merged { managers[id]?.time = now }
        if managers[id]?.fields.isEmpty == true { managers[id] = nil }
        return Applied(object: merged, entries: Array(managers.values))
    }

    /// Prune in the version the applier last applied, as structured-merge-diff does.
    private func pruned(_ merged: JSONValue, last: Entry, owned: FieldSet) -> JSONValue {
        if last.apiVersion == apiVersion {
            return ApplyMerge.prune(merged, .root(typeName), last: last.fields, owned: owned, schemas)
        }
        guard let other = convert(merged, last.apiVersion) else { return merged }
        let p = ApplyMerge.prune(other.object, .root(other.typeName), last: last.fields, owned: owned, schemas)
        return convert(p, apiVersion)?.object ?? merged
    }

    /// The fields kubectl's last client-side apply set that still hold the values it set: an
    /// upgrade to server-side apply may take them from `kubectl-client-side-apply` (lastAppliedManager).
    func allowedByLastApplied(_ live: JSONValue?) -> FieldSet? {
        guard let live, let text = live[path: ["metadata", "annotations", Self.lastAppliedAnnotation]]?.stringValue, !text.isEmpty,
            let last = try? JSONParser.parse(Array(text.utf8)), last["apiVersion"]?.stringValue == apiVersion
        else { return nil }
        let cmp = Comparison(old: last, new: live, typeName: typeName, schemas: schemas)
        return FieldSet(of: last, typeName: typeName, schemas: schemas).subtracting(cmp.modified).subtracting(cmp.added).subtracting(cmp.removed)
    }

    /// The annotation's value for an applied configuration: its JSON without the annotation.
    static func lastApplied(of config: JSONValue) -> String {
        var c = config
        if var annotations = c[path: ["metadata", "annotations"]]?.objectValue {
            annotations[lastAppliedAnnotation] = nil
            c.set(["metadata", "annotations"], .object(annotations))
        }
        return JSONSerializer.string(c) + "\n"
    }

    /// The entries after a write through `/scale` (ScaleHandler): the writer takes `spec.replicas`
    /// when it changed it, in an entry of the resource's version with no time; objects whose
    /// replicas no one owns stay as they are.
    public static func scaled(_ entries: [Entry], by manager: String, replicasChanged: Bool, apiVersion: String) -> [Entry] {
        let replicas = ["f:spec", "f:replicas"]
        guard replicasChanged, entries.contains(where: { $0.fields.contains(replicas) }) else { return entries }
        let path = FieldSet([replicas])
        var out = entries.compactMap { e -> Entry? in
            var e = e
            e.fields = e.fields.subtracting(path)
            return e.fields.isEmpty ? nil : e
        }
        let scaler = Entry(manager: manager.isEmpty ? "unknown" : manager, operation: .update, apiVersion: apiVersion, subresource: "scale", fields: path)
        out.removeAll { $0.identity == scaler.identity }
        out.append(scaler)
        return out
    }
}
