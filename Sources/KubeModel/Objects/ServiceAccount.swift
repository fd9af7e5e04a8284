/// core/v1 ServiceAccount.
public struct ServiceAccount: KubeObject {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    /// The names of the Secrets listed as the account's (`secrets[].name`).
    public var secrets: [String] { names("secrets") }
    /// The names of the image pull Secrets (`imagePullSecrets[].name`).
    public var imagePullSecrets: [String] { names("imagePullSecrets") }
    public var automountServiceAccountToken: Bool? { bool("automountServiceAccountToken") }

    private func names(_ key: String) -> [String] { (json[key]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue } }
}
