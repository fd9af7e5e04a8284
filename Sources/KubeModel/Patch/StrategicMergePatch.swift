/// Strategic merge patch as the API server applies it: maps merge, lists with a merge key merge
/// element by element, other lists are replaced, and kubectl's directives are honoured
/// (`$patch`, `$retainKeys`, `$setElementOrder/…`, `$deleteFromPrimitiveList/…`).
public struct StrategicMergePatch {
    let schemas: SchemaRegistry

    public init(schemas: SchemaRegistry = .shared) { self.schemas = schemas }

    /// Applies `patch` to `original`, typed by the schema type `typeName` (e.g. "Deployment").
    public func apply(_ patch: JSONValue, to original: JSONValue, typeName: String) throws(PatchError) -> JSONValue {
        guard case .object = patch else {
            throw PatchError("json: cannot unmarshal \(patch.typeName) into Go value of type map[string]interface {}")
        }
        return try mergeValue(original, patch, .ref(typeName)) ?? .emptyObject
    }

    /// Returns nil when the patch deletes the value.
    private func mergeValue(_ original: JSONValue?, _ patch: JSONValue, _ type: SchemaType?) throws(PatchError) -> JSONValue? {
        switch patch {
        case .object(let p):
            if case .map(let inner) = type { return try mergeMap(original, p, valueType: inner, fieldsOf: nil) }
            if case .ref(let name) = type { return try mergeMap(original, p, valueType: nil, fieldsOf: schemas[name]) }
            return try mergeMap(original, p, valueType: nil, fieldsOf: nil)
        default:
            return stripDirectives(patch)
        }
    }

    private func fieldType(_ key: String, valueType: SchemaType?, fieldsOf schema: TypeSchema?) -> (SchemaType?, String?) {
        if let valueType { return (valueType, nil) }
        if let f = schema?.fields[key] { return (f.type, f.mergeKey) }
        return (nil, nil)
    }

    private func mergesAsSet(_ key: String, _ schema: TypeSchema?) -> Bool {
        schema?.fields[key]?.patchStrategies.contains("merge") ?? false
    }

    private func mergeMap(
        _ original: JSONValue?, _ p: [String: JSONValue], valueType: SchemaType?, fieldsOf schema: TypeSchema?
    ) throws(PatchError) -> JSONValue? {
        if let directive = p["$patch"]?.stringValue {
            switch directive {
            case "delete": return nil
            case "replace":
                var rest = p
                rest["$patch"] = nil
                return stripDirectives(.object(rest))
            case "merge": break
            default: throw PatchError("Unknown patch type: \(directive)")
            }
        }
        var result = original?.objectValue ?? [:]
        for (key, value) in p where !key.hasPrefix("$") {
            if value.isNull { result[key] = nil; continue }
            let (type, mergeKey) = fieldType(key, valueType: valueType, fieldsOf: schema)
            if case .array(let items) = value, case .array(let elemType)? = type, let mergeKey {
                result[key] = try mergeList(result[key]?.arrayValue ?? [], items, key: mergeKey, elemType: elemType)
            } else if case .array(let items) = value, valueType == nil, mergesAsSet(key, schema) {
                var merged = result[key]?.arrayValue ?? []
                var seen = Set(merged)
                for item in items where seen.insert(item).inserted { merged.append(item) }
                result[key] = .array(merged)
            } else if case .object = value, result[key]?.objectValue != nil || !isAtomic(type) {
                result[key] = try mergeValue(result[key], value, type)
            } else {
                result[key] = stripDirectives(value)
            }
        }
        for (key, value) in p where key.hasPrefix("$deleteFromPrimitiveList/") {
            let field = String(key.dropFirst("$deleteFromPrimitiveList/".count))
            let remove = Set(value.arrayValue ?? [])
            if let list = result[field]?.arrayValue { result[field] = .array(list.filter { !remove.contains($0) }) }
        }
        for (key, value) in p where key.hasPrefix("$setElementOrder/") {
            let field = String(key.dropFirst("$setElementOrder/".count))
            let (type, mergeKey) = fieldType(field, valueType: valueType, fieldsOf: schema)
            if let list = result[field]?.arrayValue, let order = value.arrayValue {
                result[field] = .array(reorder(list, order, mergeKey: mergeKey, isList: type != nil))
            }
        }
        if let retain = p["$retainKeys"] {
            guard let keys = retain.arrayValue?.compactMap(\.stringValue) else {
                throw PatchError("invalid $retainKeys directive: \(retain)")
            }
            result = result.filter { keys.contains($0.key) }
        }
        return .object(result)
    }

    private func isAtomic(_ type: SchemaType?) -> Bool {
        switch type {
        case .string?, .integer?, .integer64?, .number?, .boolean?, .intOrString?, .quantity?, .dateTime?, .bytes?: return true
        default: return false
        }
    }

    private func keyValue(_ item: JSONValue, _ mergeKey: String) -> JSONValue? { item[mergeKey] }

    private func mergeList(_ original: [JSONValue], _ patch: [JSONValue], key: String, elemType: SchemaType) throws(PatchError) -> JSONValue {
        if patch.contains(where: { $0["$patch"]?.stringValue == "replace" }) {
            return .array(patch.filter { $0["$patch"] == nil }.map(stripDirectives))
        }
        // Removed elements leave a hole until the end, so the index of each key's elements (kept
        // so that a long patch costs linear time, not a scan of the list per element) stays true.
        var result: [JSONValue?] = original
        var indices: [JSONValue: [Int]] = [:]
        for (i, item) in original.enumerated() {
            if let k = keyValue(item, key) { indices[k, default: []].append(i) }
        }
        for item in patch {
            guard case .object = item else {
                result.append(item)
                continue
            }
            guard let k = keyValue(item, key) else {
                throw PatchError("map: \(item) does not contain declared merge key: \(key)")
            }
            if item["$patch"]?.stringValue == "delete" {
                for i in indices.removeValue(forKey: k) ?? [] { result[i] = nil }
                continue
            }
            if let index = indices[k]?.first, let current = result[index] {
                if let merged = try mergeValue(current, item, elemType) {
                    result[index] = merged
                } else {
                    result[index] = nil
                    indices[k]?.removeFirst()
                }
            } else if let merged = try mergeValue(nil, item, elemType) {
                indices[k, default: []].append(result.count)
                result.append(merged)
            }
        }
        return .array(result.compactMap { $0 })
    }

    /// Puts list elements in the order `$setElementOrder` gives; elements it does not name keep
    /// their relative order after the named ones.
    private func reorder(_ list: [JSONValue], _ order: [JSONValue], mergeKey: String?, isList: Bool) -> [JSONValue] {
        func identity(_ v: JSONValue) -> JSONValue { mergeKey.flatMap { v[$0] } ?? v }
        let wanted = order.map { o -> JSONValue in mergeKey.flatMap { o[$0] } ?? o }
        var first: [JSONValue: JSONValue] = [:]
        for item in list where first[identity(item)] == nil { first[identity(item)] = item }
        let named = wanted.compactMap { first[$0] }
        let wantedSet = Set(wanted)
        let others = list.filter { item in !wantedSet.contains(identity(item)) }
        return named + others
    }

    private func stripDirectives(_ v: JSONValue) -> JSONValue {
        switch v {
        case .object(let o):
            var out: [String: JSONValue] = [:]
            for (k, x) in o where !k.hasPrefix("$") && !x.isNull { out[k] = stripDirectives(x) }
            return .object(out)
        case .array(let a):
            return .array(a.filter { $0["$patch"]?.stringValue != "delete" }.map(stripDirectives))
        default:
            return v
        }
    }
}
