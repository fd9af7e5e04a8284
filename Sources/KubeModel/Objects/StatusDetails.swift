/// meta/v1 StatusDetails: what a failure's `Status` says about the object and its causes.
public struct StatusDetails: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var name: String { string("name") ?? "" }
    public var group: String { string("group") ?? "" }
    public var kind: String { string("kind") ?? "" }
    public var uid: String? { string("uid") }
    public var causes: [StatusCause] { views("causes") }
    public var retryAfterSeconds: Int64? { int("retryAfterSeconds") }
}

/// meta/v1 StatusCause: one field's failure.
public struct StatusCause: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var reason: String? { string("reason") }
    public var message: String { string("message") ?? "" }
    /// The field path (`spec.replicas`); "" when the cause is not one field's.
    public var field: String { string("field") ?? "" }
}
