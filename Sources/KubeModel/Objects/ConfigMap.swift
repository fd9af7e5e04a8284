/// core/v1 ConfigMap.
public struct ConfigMap: KubeObject {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    /// UTF-8 values by key.
    public var data: [String: String] { stringMap("data") }
    /// Binary values by key, base64-encoded as written.
    public var binaryData: [String: String] { stringMap("binaryData") }
    /// nil when absent (mutable).
    public var immutable: Bool? { bool("immutable") }
}
