/// The strategic merge patch `kubectl apply` computes (CreateThreeWayMergePatch): changes that
/// make the live object look like the new manifest, plus deletions of what the last applied
/// manifest had and the new one dropped. Fields set by others (not in either manifest) stay.
public struct ThreeWayMerge {
    let schemas: SchemaRegistry

    public init(schemas: SchemaRegistry = .shared) { self.schemas = schemas }

    public func patch(original: JSONValue?, modified: JSONValue, current: JSONValue, typeName: String) -> JSONValue {
        let delta = diff(from: current, to: modified, type: .ref(typeName), deletions: false)
        let deletions = original.map { diff(from: $0, to: modified, type: .ref(typeName), deletions: true) } ?? .emptyObject
        return merge(deletions, delta)
    }

    private func fields(_ type: SchemaType?) -> TypeSchema? {
        if case .ref(let n)? = type { return schemas[n] }
        return nil
    }

    private func childType(_ key: String, _ type: SchemaType?) -> (SchemaType?, String?) {
        if case .map(let inner)? = type { return (inner, nil) }
        if let f = fields(type)?.fields[key] { return (f.type, f.mergeKey) }
        return (nil, nil)
    }

    /// With `deletions`, only what `to` removed relative to `from`; otherwise only the changes
    /// and additions that turn `from` into `to`.
    func diff(from: JSONValue, to: JSONValue, type: SchemaType?, deletions: Bool) -> JSONValue {
        guard case .object(let f) = from, case .object(let t) = to else { return deletions ? .emptyObject : to }
        var out: [String: JSONValue] = [:]
        if deletions {
            for (k, fv) in f {
                guard let tv = t[k] else {
                    out[k] = .null
                    continue
                }
                let (ct, mergeKey) = childType(k, type)
                if case .object = fv, case .object = tv {
                    let d = diff(from: fv, to: tv, type: ct, deletions: true)
                    if d != .emptyObject { out[k] = d }
                } else if let mergeKey, case .array(let fa) = fv, case .array(let ta) = tv {
                    let elem: SchemaType? = { if case .array(let e)? = ct { return e }; return nil }()
                    var items: [JSONValue] = []
                    for fe in fa {
                        guard let key = fe[mergeKey] else { continue }
                        if let te = ta.first(where: { $0[mergeKey] == key }) {
                            let d = diff(from: fe, to: te, type: elem, deletions: true)
                            if d != .emptyObject { items.append(d.merging(mergeKey, key)) }
                        } else {
                            items.append(["$patch": "delete", .init(stringLiteral: mergeKey): key])
                        }
                    }
                    if !items.isEmpty { out[k] = .array(items) }
                }
            }
            return .object(out)
        }
        for (k, tv) in t {
            let (ct, mergeKey) = childType(k, type)
            guard let fv = f[k] else {
                out[k] = tv
                continue
            }
            if fv == tv { continue }
            if case .object = fv, case .object = tv {
                let d = diff(from: fv, to: tv, type: ct, deletions: false)
                if d != .emptyObject { out[k] = d }
            } else if let mergeKey, case .array(let fa) = fv, case .array(let ta) = tv {
                let elem: SchemaType? = { if case .array(let e)? = ct { return e }; return nil }()
                var items: [JSONValue] = []
                for te in ta {
                    guard let key = te[mergeKey] else { continue }
                    if let fe = fa.first(where: { $0[mergeKey] == key }) {
                        let d = diff(from: fe, to: te, type: elem, deletions: false)
                        if d != .emptyObject { items.append(d.merging(mergeKey, key)) }
                    } else {
                        items.append(te)
                    }
                }
                if !items.isEmpty { out[k] = .array(items) }
                let order = ta.compactMap { $0[mergeKey].map { v -> JSONValue in [mergeKey: v].asJSON } }
                if !items.isEmpty || fa.compactMap({ $0[mergeKey] }) != ta.compactMap({ $0[mergeKey] }) {
                    out["$setElementOrder/\(k)"] = .array(order)
                }
            } else {
                out[k] = tv
            }
        }
        return .object(out)
    }

    /// Combines deletions and changes into one patch (changes win where both speak).
    func merge(_ a: JSONValue, _ b: JSONValue) -> JSONValue {
        guard case .object(var x) = a, case .object(let y) = b else { return b }
        for (k, v) in y {
            if let existing = x[k], case .object = existing, case .object = v {
                x[k] = merge(existing, v)
            } else if let existing = x[k], case .array(let ea) = existing, case .array(let va) = v {
                x[k] = .array(ea + va)
            } else {
                x[k] = v
            }
        }
        // A list that gets an element order needs the deletions kept beside it.
        return .object(x)
    }
}

extension JSONValue {
    fileprivate func merging(_ key: String, _ value: JSONValue) -> JSONValue {
        var o = self
        o[key] = value
        return o
    }
}

extension Dictionary where Key == String, Value == JSONValue {
    fileprivate var asJSON: JSONValue { .object(self) }
}
