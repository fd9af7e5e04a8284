/// core/v1 Namespace.
public struct Namespace: SpecAndStatus {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public struct Spec: JSONView {
        public let json: JSONValue
        public init(_ json: JSONValue) { self.json = json }

        /// What must finish before the namespace goes (`kubernetes`: its content).
        public var finalizers: [String] { strings("finalizers") }
    }

    public struct Status: JSONView {
        public let json: JSONValue
        public init(_ json: JSONValue) { self.json = json }

        /// `Active` or `Terminating`; nil before the API server set it.
        public var phase: String? { string("phase") }
    }
}
