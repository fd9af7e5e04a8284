import KubeModel

/// How a write records field ownership in `metadata.managedFields`.
enum Ownership {
    /// A create, update or non-apply patch by this manager.
    case update(manager: String)
    /// A server-side apply: the object written carries the entries the apply computed.
    case applied
}

extension APIService {
    /// The manager a write is recorded under: `?fieldManager=`, or else the User-Agent's
    /// product name (`kubectl/v1.32.5 (linux/amd64) …` → `kubectl`), as kube-apiserver's
    /// managerOrUserAgent.
    static func manager(_ options: WriteOptions) -> String {
        if let m = options.fieldManager, !m.isEmpty { return m }
        let product = (options.userAgent ?? "").split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        var out = ""
        for ch in product.unicodeScalars where isPrintable(ch) {
            if out.utf8.count >= Self.fieldManagerMaxLength { break }
            out.unicodeScalars.append(ch)
        }
        return out
    }

    static let fieldManagerMaxLength = 128

    /// Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
    static func isPrintable(_ ch: Unicode.Scalar) -> Bool {
        if ch == " " { return true }
        switch ch.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator: return false
        default: return true
        }
    }

    /// CreateOptions/UpdateOptions/PatchOptions validation of `fieldManager` and `force`, with
    /// kube-apiserver's 422 (`PatchOptions.meta.k8s.io "" is invalid: …`).
    func validateOwnershipOptions(_ options: WriteOptions, kind: String, apply: Bool? = nil) throws {
        var causes: [(reason: String, field: String, message: String)] = []
        if let apply {
            if !apply && options.force != nil {
                causes.append(("FieldValueForbidden", "force", "Forbidden: may not be specified for non-apply patch"))
            }
            if apply && (options.fieldManager ?? "").isEmpty {
                causes.append(("FieldValueRequired", "fieldManager", "Required value: is required for apply patch"))
            }
        }
        let m = options.fieldManager ?? ""
        if m.utf8.count > Self.fieldManagerMaxLength {
            causes.append(("FieldValueTooLong", "fieldManager", "Too long: may not be more than \(Self.fieldManagerMaxLength) bytes"))
        }
        var position = 0
        for ch in m.unicodeScalars {
            if !Self.isPrintable(ch) {
                let code = String(ch.value, radix: 16, uppercase: true)
                let shown = String(repeating: "0", count: max(0, 4 - code.count)) + code
                causes.append(("FieldValueInvalid", "fieldManager",
                               "Invalid value: \(JSONSerializer.string(.string(m))): invalid character U+\(shown) (at position \(position))"))
            }
            position += String(ch).utf8.count
        }
        guard !causes.isEmpty else { return }
        let text = causes.map { "\($0.field): \($0.message)" }
        throw APIError(
            code: 422, reason: "Invalid",
            message: "\(kind).meta.k8s.io \"\" is invalid: " + (text.count == 1 ? text[0] : "[" + text.joined(separator: ", ") + "]"),
            details: ["group": "meta.k8s.io", "kind": .string(kind),
                      "causes": .array(causes.map { ["reason": .string($0.reason), "message": .string($0.message), "field": .string($0.field)] })])
    }

    /// The field manager for writes to one endpoint of a resource.
    func fieldManager(_ info: ResourceInfo, _ subresource: Subresource) -> FieldManager {
        var reset = FieldSet()
        switch subresource {
        case .none: if info.hasStatus { reset.insert(["f:status"]) }
        case .status: reset = FieldSet([["f:spec"], ["f:metadata", "f:labels"]])
        case .scale: break
        }
        return FieldManager(
            typeName: info.schemaType, apiVersion: info.groupVersion, subresource: subresource.rawValue, resetFields: reset,
            now: Timestamp.format(now()), schemas: schemas, convert: { obj, version in
                let gv = version.split(separator: "/", maxSplits: 1).map(String.init)
                guard let target = self.catalog.find(group: gv.count == 2 ? gv[0] : "", version: gv.last ?? "", plural: info.plural) else { return nil }
                return (Conversion.toVersion(Conversion.toStorage(obj, info), target), target.schemaType)
            })
    }

    /// Sets `metadata.managedFields` of `next` (storage form) for a write by `ownership`;
    /// `current` is the stored object, nil on create.
    func recordOwnership(_ next: inout JSONValue, current: JSONValue?, _ ownership: Ownership, _ info: ResourceInfo, _ subresource: Subresource) {
        switch ownership {
        case .applied:
            return
        case .update(let manager) where subresource == .scale:
            let before = ManagedFieldsEntry.decode(current?[path: ["metadata", "managedFields"]]) ?? []
            let changed = current?[path: ["spec", "replicas"]] != next[path: ["spec", "replicas"]]
            let after = FieldManager.scaled(before, by: manager, replicasChanged: changed, apiVersion: info.groupVersion)
            next.set(["metadata", "managedFields"], ManagedFieldsEntry.encode(after))
        case .update(let manager):
            let identity = Conversion.isIdentity(info)
            let live = current.map { identity ? $0 : Conversion.toVersion($0, info) }
            let new = identity ? next : Conversion.toVersion(next, info)
            if live == nil && new[path: ["metadata", "managedFields"]] == nil {
                next.set(["metadata", "managedFields"], fieldManager(info, subresource).created(new, manager: manager))
                return
            }
            let entries = fieldManager(info, subresource).update(live: live, new: new, manager: manager)
            next.set(["metadata", "managedFields"], ManagedFieldsEntry.encode(entries))
        }
    }

    /// A server-side apply onto `live` (the request's version; nil to create): the object to
    /// write, with its `managedFields`.
    func applied(_ config: JSONValue, live: JSONValue?, _ info: ResourceInfo, _ subresource: Subresource, _ options: WriteOptions) throws -> JSONValue {
        do {
            let result = try fieldManager(info, subresource).apply(
                live: live, config: config, kind: subresource == .scale ? "Scale" : info.kind,
                manager: options.fieldManager ?? "", force: options.force ?? false)
            var object = result.object
            object.set(["metadata", "managedFields"], ManagedFieldsEntry.encode(result.entries))
            return object
        } catch .badRequest(let message) {
            throw APIError.badRequest(message)
        } catch .conflicts(let c) {
            throw APIError(code: 409, reason: "Conflict", message: c.message, details: ["causes": .array(c.causes)])
        }
    }
}
