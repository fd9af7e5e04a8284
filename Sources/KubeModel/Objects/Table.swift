/// meta.k8s.io/v1 Table: a list rendered by the API server for `get`.
public struct Table: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var columnDefinitions: [ColumnDefinition] { views("columnDefinitions") }
    public var rows: [Row] { views("rows") }
    public var metadata: ListMeta { view("metadata") }

    /// meta/v1 TableColumnDefinition.
    public struct ColumnDefinition: JSONView {
        public let json: JSONValue
        public init(_ json: JSONValue) { self.json = json }

        public var name: String { string("name") ?? "" }
        public var type: String? { string("type") }
        public var format: String? { string("format") }
        /// 0 for the columns `get` shows by default; above 0 only with `-o wide`.
        public var priority: Int64 { int("priority") ?? 0 }
    }

    /// meta/v1 TableRow: its cells (each a string, number, bool or null) and, when asked with
    /// `includeObject`, the object or its metadata.
    public struct Row: JSONView {
        public let json: JSONValue
        public init(_ json: JSONValue) { self.json = json }

        public var cells: [JSONValue] { json["cells"]?.arrayValue ?? [] }
        public var object: JSONValue? { json["object"] }
    }
}
