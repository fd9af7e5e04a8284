/// meta/v1 LabelSelector as a spec writes it (`matchLabels`, `matchExpressions`), for code that
/// shows it as written; `LabelSelector.from` parses the same form into requirements to match.
public struct LabelSelectorSpec: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var matchLabels: [String: String] { stringMap("matchLabels") }
    public var matchExpressions: [Requirement] { views("matchExpressions") }

    /// meta/v1 LabelSelectorRequirement.
    public struct Requirement: JSONView {
        public let json: JSONValue
        public init(_ json: JSONValue) { self.json = json }

        public var key: String { string("key") ?? "" }
        /// `In`, `NotIn`, `Exists` or `DoesNotExist`.
        public var `operator`: String { string("operator") ?? "" }
        public var values: [String] { strings("values") }
    }
}
