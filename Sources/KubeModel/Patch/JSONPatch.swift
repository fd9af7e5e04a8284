/// RFC 6902 JSON patch (add, remove, replace, move, copy, test), as `kubectl rollout undo` sends.
public enum JSONPatch {
    /// kube-apiserver's limit on the operations of one patch (a 413 beyond it).
    public static let maxOperations = 10_000
    /// kube-apiserver's `JSONPatchMaxCopyBytes`: how much JSON all "copy" operations of a patch
    /// may add, so that copying a value into itself cannot double the object until memory runs out.
    public static let maxCopyBytes = 3 * 1024 * 1024

    public static func apply(_ patch: JSONValue, to document: JSONValue) throws(PatchError) -> JSONValue {
        guard case .array(let ops) = patch else {
            throw PatchError("json: cannot unmarshal \(patch.typeName) into Go value of type jsonpatch.Patch")
        }
        var doc = document
        // An upper bound of the document's depth, kept without walking it after each operation, so
        // that no operation builds a value deeper than the recursive code after a patch can take.
        var depth = document.depth
        var copied = 0
        func deepen(_ path: [String], _ valueDepth: Int) throws(PatchError) {
            depth = max(depth, path.count + valueDepth)
            if depth > JSONParser.maxDepth { throw PatchError("exceeded max depth") }
        }
        for op in ops {
            guard let name = op["op"]?.stringValue else { throw PatchError("Unexpected kind: <nil>") }
            let path = try pointer(op["path"]?.stringValue, name)
            switch name {
            case "add":
                guard let value = op["value"] else { throw PatchError("add operation does not apply: doc is missing value") }
                try deepen(path, value.depth)
                doc = try set(doc, path[...], value, insert: true)
            case "remove":
                doc = try remove(doc, path[...])
            case "replace":
                guard let value = op["value"] else { throw PatchError("replace operation does not apply: doc is missing value") }
                _ = try get(doc, path[...], op: "replace")
                try deepen(path, value.depth)
                doc = try set(doc, path[...], value, insert: false)
            case "move", "copy":
                let from = try pointer(op["from"]?.stringValue, name)
                let value = try get(doc, from[...], op: name)
                if name == "copy" {
                    copied += value.serializedSize(upTo: maxCopyBytes - copied)
                    if copied > maxCopyBytes {
                        throw PatchError("Unable to complete the copy, the accumulated size increase of copy is \(copied), exceeding the limit \(maxCopyBytes)")
                    }
                }
                try deepen(path, depth - from.count)
                if name == "move" { doc = try remove(doc, from[...]) }
                doc = try set(doc, path[...], value, insert: true)
            case "test":
                let value = try get(doc, path[...], op: "test")
                if value != (op["value"] ?? .null) { throw PatchError("testing value \(path.joined(separator: "/")) failed: test failed") }
            default:
                throw PatchError("Unexpected kind: \(name)")
            }
        }
        return doc
    }

    private static func pointer(_ p: String?, _ op: String) throws(PatchError) -> [String] {
        guard let p else { throw PatchError("\(op) operation does not apply: doc is missing path") }
        if p.isEmpty { return [] }
        guard p.hasPrefix("/") else { throw PatchError("\(op) operation does not apply: doc is missing path: \"\(p)\"") }
        return p.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            String($0).replacingAll("~1", with: "/").replacingAll("~0", with: "~")
        }
    }

    private static func get(_ doc: JSONValue, _ path: ArraySlice<String>, op: String) throws(PatchError) -> JSONValue {
        guard let key = path.first else { return doc }
        switch doc {
        case .object(let o):
            guard let v = o[key] else { throw PatchError("\(op) operation does not apply: doc is missing path: \"/\(path.joined(separator: "/"))\": missing value") }
            return try get(v, path.dropFirst(), op: op)
        case .array(let a):
            guard let i = Int(key), i >= 0, i < a.count else { throw PatchError("\(op) operation does not apply: index out of range: \(key)") }
            return try get(a[i], path.dropFirst(), op: op)
        default:
            throw PatchError("\(op) operation does not apply: doc is missing path: \"/\(path.joined(separator: "/"))\"")
        }
    }

    private static func set(_ doc: JSONValue, _ path: ArraySlice<String>, _ value: JSONValue, insert: Bool) throws(PatchError) -> JSONValue {
        guard let key = path.first else { return value }
        let rest = path.dropFirst()
        switch doc {
        case .object(var o):
            if rest.isEmpty {
                o[key] = value
            } else {
                guard let child = o[key] else { throw PatchError("add operation does not apply: doc is missing path: \"/\(path.joined(separator: "/"))\": missing value") }
                o[key] = try set(child, rest, value, insert: insert)
            }
            return .object(o)
        case .array(var a):
            if rest.isEmpty {
                if key == "-" && insert { a.append(value); return .array(a) }
                guard let i = Int(key), i >= 0, i <= a.count, insert || i < a.count else {
                    throw PatchError("add operation does not apply: index out of range: \(key)")
                }
                if insert { a.insert(value, at: i) } else { a[i] = value }
            } else {
                guard let i = Int(key), i >= 0, i < a.count else { throw PatchError("add operation does not apply: index out of range: \(key)") }
                a[i] = try set(a[i], rest, value, insert: insert)
            }
            return .array(a)
        default:
            throw PatchError("add operation does not apply: doc is missing path: \"/\(path.joined(separator: "/"))\"")
        }
    }

    private static func remove(_ doc: JSONValue, _ path: ArraySlice<String>) throws(PatchError) -> JSONValue {
        guard let key = path.first else { throw PatchError("remove operation does not apply: doc is missing path") }
        let rest = path.dropFirst()
        switch doc {
        case .object(var o):
            guard let child = o[key] else { throw PatchError("remove operation does not apply: doc is missing path: \"/\(path.joined(separator: "/"))\": missing value") }
            o[key] = rest.isEmpty ? nil : try remove(child, rest)
            return .object(o)
        case .array(var a):
            guard let i = Int(key), i >= 0, i < a.count else { throw PatchError("remove operation does not apply: index out of range: \(key)") }
            if rest.isEmpty { a.remove(at: i) } else { a[i] = try remove(a[i], rest) }
            return .array(a)
        default:
            throw PatchError("remove operation does not apply: doc is missing path: \"/\(path.joined(separator: "/"))\"")
        }
    }
}

extension String {
    /// Foundation-free replace-all, so KubeModel stays light.
    public func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        out += rest
        return out
    }
}
