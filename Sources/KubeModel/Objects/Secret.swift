/// core/v1 Secret.
public struct Secret: KubeObject {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    /// `Opaque` (the default), `kubernetes.io/service-account-token`, `kubernetes.io/tls`, ...
    public var type: String { string("type") ?? "Opaque" }
    /// Values by key, base64-encoded as written; nil when absent (Go's nil map), which `diff`
    /// tells from an empty one.
    public var data: [String: String]? { json["data"]?.objectValue == nil ? nil : stringMap("data") }
    /// Write-only plain values; the API server merges them into `data`.
    public var stringData: [String: String] { stringMap("stringData") }
    public var immutable: Bool? { bool("immutable") }
}
