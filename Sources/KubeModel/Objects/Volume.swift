/// core/v1 Volume: its name and which source it uses.
public struct Volume: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var name: String { string("name") ?? "" }
    /// Node-local scratch space, which `drain` will not delete without being told to.
    public var isEmptyDir: Bool { json["emptyDir"] != nil }
    public var emptyDir: EmptyDirVolumeSource? { json["emptyDir"].map(EmptyDirVolumeSource.init) }
    public var configMap: ConfigMapVolumeSource? { json["configMap"].map(ConfigMapVolumeSource.init) }
    public var secret: SecretVolumeSource? { json["secret"].map(SecretVolumeSource.init) }
    public var downwardAPI: DownwardAPIVolumeSource? { json["downwardAPI"].map(DownwardAPIVolumeSource.init) }
    public var hostPath: HostPathVolumeSource? { json["hostPath"].map(HostPathVolumeSource.init) }
    /// The field naming the volume's source (`hostPath`, `nfs`, ...): the one beside `name`.
    public var sourceField: String? { (json.objectValue ?? [:]).keys.filter { $0 != "name" }.sorted().first }
}

/// core/v1 EmptyDirVolumeSource.
public struct EmptyDirVolumeSource: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    /// "" (the node's disk) or `Memory`.
    public var medium: String { string("medium") ?? "" }
    public var sizeLimit: Quantity? { quantity("sizeLimit") }
}

/// core/v1 SecretVolumeSource.
public struct SecretVolumeSource: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var secretName: String { string("secretName") ?? "" }
    public var optional: Bool { bool("optional") ?? false }
    /// nil: every key, as a file of its name.
    public var items: [KeyToPath]? { json["items"]?.arrayValue.map { $0.map(KeyToPath.init) } }
    /// The files' permission bits; nil: 0644.
    public var defaultMode: Int64? { int("defaultMode") }
}

/// core/v1 ConfigMapVolumeSource.
public struct ConfigMapVolumeSource: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var name: String { string("name") ?? "" }
    public var optional: Bool { bool("optional") ?? false }
    /// nil: every key, as a file of its name.
    public var items: [KeyToPath]? { json["items"]?.arrayValue.map { $0.map(KeyToPath.init) } }
    /// The files' permission bits; nil: 0644.
    public var defaultMode: Int64? { int("defaultMode") }
}

/// core/v1 KeyToPath: one key of a ConfigMap or Secret, written at `path` in the volume.
public struct KeyToPath: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var key: String { string("key") ?? "" }
    public var path: String { string("path") ?? "" }
    public var mode: Int64? { int("mode") }
}

/// core/v1 DownwardAPIVolumeSource.
public struct DownwardAPIVolumeSource: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var items: [DownwardAPIVolumeFile] { views("items") }
    public var defaultMode: Int64? { int("defaultMode") }
}

/// core/v1 DownwardAPIVolumeFile: one of the pod's fields or its container's resources, as a file.
public struct DownwardAPIVolumeFile: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var path: String { string("path") ?? "" }
    public var fieldRef: ObjectFieldSelector? { json["fieldRef"].map(ObjectFieldSelector.init) }
    public var resourceFieldRef: ResourceFieldSelector? { json["resourceFieldRef"].map(ResourceFieldSelector.init) }
    public var mode: Int64? { int("mode") }
}

/// core/v1 HostPathVolumeSource.
public struct HostPathVolumeSource: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var path: String { string("path") ?? "" }
    /// "" (no check), `DirectoryOrCreate`, `Directory`, `FileOrCreate`, `File`, `Socket`, ...
    public var type: String { string("type") ?? "" }
}
