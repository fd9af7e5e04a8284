/// core/v1 EnvVar: a value, or where to read it from.
public struct EnvVar: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var name: String { string("name") ?? "" }
    public var value: String? { string("value") }
    public var valueFrom: EnvVarSource? { json["valueFrom"].map(EnvVarSource.init) }
}

/// core/v1 EnvVarSource: one of the four references is set.
public struct EnvVarSource: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var secretKeyRef: KeySelector? { json["secretKeyRef"].map(KeySelector.init) }
    public var configMapKeyRef: KeySelector? { json["configMapKeyRef"].map(KeySelector.init) }
    public var fieldRef: ObjectFieldSelector? { json["fieldRef"].map(ObjectFieldSelector.init) }
    public var resourceFieldRef: ResourceFieldSelector? { json["resourceFieldRef"].map(ResourceFieldSelector.init) }
}

/// core/v1 SecretKeySelector and ConfigMapKeySelector, which have the same shape.
public struct KeySelector: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var name: String { string("name") ?? "" }
    public var key: String { string("key") ?? "" }
    public var optional: Bool { bool("optional") ?? false }
}

/// core/v1 ObjectFieldSelector (the downward API's `fieldRef`).
public struct ObjectFieldSelector: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    /// `v1` when absent, as Kubernetes defaults it.
    public var apiVersion: String { string("apiVersion") ?? "v1" }
    public var fieldPath: String { string("fieldPath") ?? "" }
}

/// core/v1 ResourceFieldSelector (the downward API's `resourceFieldRef`).
public struct ResourceFieldSelector: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var containerName: String? { string("containerName") }
    /// `limits.cpu`, `requests.memory`, ...
    public var resource: String { string("resource") ?? "" }
    /// nil when absent (1).
    public var divisor: Quantity? { quantity("divisor") }
}

/// core/v1 EnvFromSource: every key of a ConfigMap or a Secret.
public struct EnvFromSource: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var prefix: String? { string("prefix") }
    /// The ConfigMapEnvSource (`name`, `optional`); nil when a Secret is the source.
    public var configMapRef: KeySelector? { json["configMapRef"].map(KeySelector.init) }
    public var secretRef: KeySelector? { json["secretRef"].map(KeySelector.init) }
}
