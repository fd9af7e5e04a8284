/// kube-apiserver's field manager for one resource version and subresource: it keeps
/// `metadata.managedFields` on every write and runs server-side apply (structured-merge-diff's
/// Updater with the apiserver's wrappers: strip metadata, manager identities, times, the cap on
/// update managers, tracking from creation, and the client-side apply upgrade).
public struct FieldManager: Sendable {
    public typealias Entry = ManagedFieldsEntry
    typealias Managers = [Entry.Identity: Entry]

    /// The schema type of the request's version ("Deployment", "HorizontalPodAutoscalerV1").
    public let typeName: String
    public let apiVersion: String
    /// "" for the resource itself, "status" or "scale".
    public let subresource: String
    /// Fields this endpoint does not let its writers own (`status` for the resource itself).
    public let resetFields: FieldSet
    /// The write's time, RFC 3339.
    public let now: String
    /// The object in another served version of its resource, with that version's schema type;
    /// nil when the version is not served (its managers are dropped, as kube drops them).
    public let convert: @Sendable (JSONValue, String) -> (object: JSONValue, typeName: String)?
    let schemas: SchemaRegistry

    public init(
        typeName: String, apiVersion: String, subresource: String = "", resetFields: FieldSet = FieldSet(), now: String,
        schemas: SchemaRegistry = .shared, convert: @escaping @Sendable (JSONValue, String) -> (object: JSONValue, typeName: String)? = { _, _ in nil }
    ) {
        self.typeName = typeName
        self.apiVersion = apiVersion
        self.subresource = subresource
        self.resetFields = resetFields
        self.now = now
        self.schemas = schemas
        self.convert = convert
    }

    static let maxUpdateManagers = 10

    /// Metadata no manager owns (stripMetaManager).
    static let stripped = FieldSet(
        [["f:apiVersion"], ["f:kind"], ["f:metadata"]]
            + ["name", "namespace", "creationTimestamp", "selfLink", "uid", "clusterName", "generation", "managedFields", "resourceVersion"]
            .map { ["f:metadata", "f:" + $0] })

    /// The entries after an update, create or non-apply patch by `manager`: the fields it
    /// changed become its own and leave their other owners. `live` is nil on create. None when
    /// the object is not tracked (it had no managedFields before, or the writer reset them).
    public func update(live: JSONValue?, new: JSONValue, manager: String) -> [Entry] {
        var managed: [Entry]
        let requested = new[path: ["metadata", "managedFields"]], stored = live?[path: ["metadata", "managedFields"]]
        if !subresource.isEmpty || requested == stored {
            managed = Entry.decode(stored) ?? []
        } else if Self.isReset(requested) {
            managed = []
        } else if let entries = Entry.decode(requested), !entries.isEmpty {
            // Entries the writer set itself: no one owns metadata the server keeps (stripMeta).
            managed = entries.map { var e = $0; e.fields = e.fields.subtracting(Self.stripped); return e }
        } else {
            managed = Entry.decode(stored) ?? []
        }
        // As kube-apiserver, an object that was never tracked stays untracked until an apply.
        if managed.isEmpty && live != nil { return [] }
        let id = Entry.Identity(manager: manager, operation: .update, apiVersion: apiVersion, subresource: subresource)
        let managers = record(old: live, new: new, Managers(managed.map { ($0.identity, $0) }) { a, _ in a }, as: id)
        return capped(managers)
    }

    /// `[]` or `[{}]`: the writer asks to drop all ownership records.
    static func isReset(_ v: JSONValue?) -> Bool {
        guard case .array(let a)? = v else { return false }
        return a.isEmpty || (a.count == 1 && a[0] == .emptyObject)
    }

    /// The fields `old`→`new` added or changed go to `id` (with the time) and leave every other
    /// manager; fields removed leave everyone.
    func record(old: JSONValue?, new: JSONValue, _ managers: Managers, as id: Entry.Identity) -> Managers {
        let cmp = comparison(old, new, in: apiVersion) ?? Comparison()
        var out = dropping(cmp, from: managers, except: nil, old: old, new: new).managers
        var taken = cmp.modified.union(cmp.added).subtracting(cmp.removed).subtracting(Self.stripped)
        taken = taken.subtractingRecursively(resetFields)
        if !taken.isEmpty {
            let previous = out[id]?.fields ?? FieldSet()
            out[id] = Entry(manager: id.manager, operation: .update, apiVersion: apiVersion, subresource: subresource, time: now,
                            fields: taken.union(previous))
        }
        return out
    }

    /// SMD's `update`: every manager but `except` loses the fields the change modified or added
    /// (returned as conflicts, for an apply that is not forced) and those it removed.
    func dropping(_ cmp: Comparison, from managers: Managers, except: Entry.Identity?, old: JSONValue?, new: JSONValue)
        -> (managers: Managers, conflicts: [Entry.Identity: FieldSet])
    {
        var out = managers
        var conflicts: [Entry.Identity: FieldSet] = [:]
        var byVersion: [String: (taken: FieldSet, removed: FieldSet)?] = [:]
        for (id, entry) in managers where id != except {
            if entry.apiVersion == apiVersion && byVersion[apiVersion] == nil { byVersion[apiVersion] = .some((cmp.modified.union(cmp.added), cmp.removed)) }
            if byVersion[entry.apiVersion] == nil {
                byVersion[entry.apiVersion] = .some(comparison(old, new, in: entry.apiVersion).map { ($0.modified.union($0.added), $0.removed) })
            }
            guard let c = byVersion[entry.apiVersion] ?? nil else {
                out[id] = nil  // a version no longer served
                continue
            }
            var fields = entry.fields
            if fields.intersects(c.taken) {
                conflicts[id] = fields.intersection(c.taken)
                fields = fields.subtracting(c.taken)
            }
            if fields.intersects(c.removed) { fields = fields.subtracting(c.removed) }
            out[id]?.fields = fields
        }
        for (id, entry) in out where entry.fields.isEmpty { out[id] = nil }
        return (out, conflicts)
    }

    /// The comparison in one served version (nil when that version is not served).
    func comparison(_ old: JSONValue?, _ new: JSONValue, in version: String) -> Comparison? {
        if version == apiVersion {
            return Comparison(old: old, new: new, typeName: typeName, schemas: schemas).excluding(resetFields)
        }
        guard let n = convert(new, version) else { return nil }
        let o = old.flatMap { convert($0, version)?.object }
        return Comparison(old: o, new: n.object, typeName: n.typeName, schemas: schemas).excluding(resetFields)
    }

    /// At most ten update entries: the oldest merge into `ancient-changes`, one per version.
    func capped(_ managers: Managers) -> [Entry] {
        var m = managers
        let updaters = Entry.sorted(m.values.filter { $0.operation == .update }).map(\.identity)
        var count = updaters.count
        var firstOfVersion: [String: Entry.Identity] = [:]
        for id in updaters where count > Self.maxUpdateManagers {
            guard let e = m[id] else { continue }
            guard let first = firstOfVersion[e.apiVersion] else {
                firstOfVersion[e.apiVersion] = id
                continue
            }
            let bucket = Entry.Identity(manager: "ancient-changes", operation: .update, apiVersion: e.apiVersion, subresource: "")
            if m[bucket] == nil, var b = m[first] {
                m[first] = nil
                b.manager = "ancient-changes"
                b.subresource = ""
                m[bucket] = b
            }
            m[bucket]?.fields.formUnion(e.fields)
            m[bucket]?.time = e.time
            m[id] = nil
            count -= 1
        }
        return Array(m.values)
    }
}
