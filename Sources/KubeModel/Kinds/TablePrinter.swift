import Foundation

/// A kind's server-side Table columns and how to fill a row (kube-apiserver's printers,
/// `pkg/printers/internalversion`).
public struct TablePrinter: Sendable {
    public let columns: [TableColumn]
    public let cells: @Sendable (JSONValue, TableRowContext) -> [JSONValue]

    public init(columns: [TableColumn], cells: @escaping @Sendable (JSONValue, TableRowContext) -> [JSONValue]) {
        self.columns = columns
        self.cells = cells
    }

    /// What kube-apiserver prints for a kind without its own printer.
    public static let nameAndAge = TablePrinter(columns: [TableColumn("Name"), TableColumn("Age")]) { o, t in [TableCells.name(o), t.age(o)] }
}

/// One column definition of a Table.
public struct TableColumn: Sendable {
    public let name: String
    public let type: String
    public let priority: Int
    public let format: String
    public init(_ name: String, _ type: String = "string", wide: Bool = false, format: String = "") {
        self.name = name
        self.type = type
        self.priority = wide ? 1 : 0
        self.format = format
    }

    /// The descriptions kube-apiserver gives the columns every kind shares.
    public var description: String {
        switch name {
        case "Name": "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"
        case "Age": "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"
        default: ""
        }
    }
}

/// What a row needs besides the object: the time ages are counted to.
public struct TableRowContext: Sendable {
    public let now: Date
    public init(now: Date) { self.now = now }

    public func age(_ o: JSONValue) -> JSONValue { age(o[path: ["metadata", "creationTimestamp"]]?.stringValue) }

    public func age(_ timestamp: String?) -> JSONValue {
        guard let t = timestamp, let d = Timestamp.parse(t) else { return "<unknown>" }
        return .string(HumanDuration.format(seconds: now.timeIntervalSince(d)))
    }
}

/// Cell helpers the kinds' printers share.
enum TableCells {
    static func name(_ o: JSONValue) -> JSONValue { o[path: ["metadata", "name"]] ?? "" }
    static func int(_ o: JSONValue, _ path: String) -> JSONValue {
        .int(o[path: path.split(separator: ".").map(String.init)]?.intValue ?? 0)
    }
    static func str(_ o: JSONValue, _ path: String, _ fallback: String = "<none>") -> JSONValue {
        let s = o[path: path.split(separator: ".").map(String.init)]?.stringValue ?? ""
        return .string(s.isEmpty ? fallback : s)
    }

    static func containers(_ spec: JSONValue?) -> (JSONValue, JSONValue) {
        let cs = spec?["containers"]?.arrayValue ?? []
        return (.string(cs.compactMap { $0["name"]?.stringValue }.joined(separator: ",")),
                .string(cs.compactMap { $0["image"]?.stringValue }.joined(separator: ",")))
    }

    static func selector(_ s: JSONValue?) -> JSONValue {
        guard let s, let sel = try? LabelSelector.from(s), !sel.isEmpty else { return "<none>" }
        return .string(sel.string)
    }

    static func mapSelector(_ s: JSONValue?) -> JSONValue {
        let o = s?.objectValue ?? [:]
        if o.isEmpty { return "<none>" }
        return .string(o.keys.sorted().map { "\($0)=\(o[$0]?.stringValue ?? "")" }.joined(separator: ","))
    }
}
