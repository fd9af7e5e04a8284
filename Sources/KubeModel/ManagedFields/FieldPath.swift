/// Path elements in their `fieldsV1` spelling, and paths as kube-apiserver prints them in
/// conflict messages (`.spec.template.spec.containers[name="app"].image`).
public enum FieldPath {
    public static func field(_ name: String) -> String { "f:" + name }

    /// An item of an associative list, named by its key fields (sorted, as JSON).
    public static func key(_ fields: [String: JSONValue]) -> String {
        "k:" + JSONSerializer.string(.object(fields))
    }

    /// An item of a set (a list of scalars merged as a set).
    public static func value(_ v: JSONValue) -> String { "v:" + JSONSerializer.string(v) }

    /// One element as fieldpath's `PathElement.String()` writes it.
    public static func describe(_ element: String) -> String {
        let body = String(element.dropFirst(2))
        switch element.prefix(2) {
        case "f:": return "." + body
        case "k:":
            guard let fields = (try? JSONParser.parse(Array(body.utf8)))?.objectValue else { return "[" + body + "]" }
            return "[" + fields.keys.sorted().map { "\($0)=\(goString(fields[$0] ?? .null))" }.joined(separator: ",") + "]"
        case "v:":
            guard let v = try? JSONParser.parse(Array(body.utf8)) else { return "[=" + body + "]" }
            return "[=" + goString(v) + "]"
        case "i:": return "[" + body + "]"
        default: return element
        }
    }

    public static func describe(_ path: [String]) -> String { path.map(describe).joined() }

    /// value.ToString: strings quoted, numbers and booleans as written.
    static func goString(_ v: JSONValue) -> String {
        if case .string = v { return JSONSerializer.string(v) }
        return v.description
    }

    /// fieldpath's element order: field names, then keys, then values, then indexes.
    public static func elementOrder(_ a: String, _ b: String) -> Bool {
        let ra = rank(a), rb = rank(b)
        return ra != rb ? ra < rb : a < b
    }

    private static func rank(_ e: String) -> Int {
        switch e.prefix(2) {
        case "f:": return 0
        case "k:": return 1
        case "v:": return 2
        default: return 3
        }
    }
}

extension FieldSet {
    /// The `fieldsV1` form: each element an object, `{}` for a member without children, and `.`
    /// for a member that also has children.
    public var fieldsV1: JSONValue { .object(encodedChildren(markSelf: false)) }

    private func encodedChildren(markSelf: Bool) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        out.reserveCapacity(members.count + children.count + 1)
        if markSelf { out["."] = .emptyObject }
        for m in members where children[m] == nil { out[m] = .emptyObject }
        for (e, c) in children { out[e] = .object(c.encodedChildren(markSelf: members.contains(e))) }
        return out
    }

    /// Reads `fieldsV1`; nil when it is not an object of objects with known element prefixes.
    public init?(fieldsV1: JSONValue) {
        guard case .object(let o) = fieldsV1 else { return nil }
        self.init()
        for (e, v) in o where e != "." {
            guard case .object(let inner) = v, ["f:", "k:", "v:", "i:"].contains(e.prefix(2)) else { return nil }
            if inner.isEmpty {
                members.insert(e)
                continue
            }
            guard let child = FieldSet(fieldsV1: v) else { return nil }
            if inner["."] != nil { members.insert(e) }
            if !child.isEmpty { children[e] = child }
        }
    }
}
