/// Everything the API server knows of one kind, in the spirit of kube-apiserver's per-kind
/// registry strategy (`pkg/registry/apps/deployment/strategy.go`): names, scope, subresources,
/// field selectors, printer columns, generation and status rules, defaulting, validation, version
/// conversion and lifecycle hooks (`KindHooks`). Discovery, OpenAPI, tables, list filters and
/// admission read it from here; a server's `ResourceCatalog` is derived from its list of kinds
/// (`Kinds.builtin` by default). A reference type, so each `ResourceInfo` carries it for one pointer.
public final class KindDefinition: Sendable, Hashable {
    /// The kind's own types, with their protobuf numbers, and their descriptions
    /// (`Schema+<Kind>.swift`); `SchemaRegistry.shared` adds them to the shared ones.
    public let schema: KindSchema
    public let group: String
    public let kind: String
    public let plural: String
    /// Served versions, the storage version first, each with the schema type it is validated as
    /// (they differ only for autoscaling/v1 HPAs).
    public let versions: [Version]
    public let shortNames: [String]
    public let categories: [String]
    public let namespaced: Bool
    public let subresources: [String]
    /// Verbs discovery advertises (Binding is create-only).
    public let verbs: [String]
    /// Field selectors a list or watch may use, `metadata.name` and `metadata.namespace` first.
    public let fieldSelectors: [SelectableField]
    /// Columns of a server-side Table, as kube-apiserver's printers print them.
    public let printer: TablePrinter
    /// Whether a change of `spec` bumps `metadata.generation` (set to 1 on create).
    public let hasGeneration: Bool
    /// Whether controllers own the status: create and main-resource updates ignore the one sent.
    public let resetsStatus: Bool
    /// SetDefaults_<Kind>, applied on every write before validation.
    public let defaults: (@Sendable (inout JSONValue) -> Void)?
    /// What is wrong with a name, if anything (DNS-1123 subdomain unless the kind says otherwise).
    public let nameProblem: @Sendable (String) -> String?
    /// Validate<Kind>: the kind's own field errors, after defaulting.
    public let validate: (@Sendable (JSONValue) -> [FieldError])?
    /// Validate<Kind>Update: immutable fields, given the new and the stored object.
    public let validateUpdate: (@Sendable (_ new: JSONValue, _ old: JSONValue) -> [FieldError])?
    /// Where a pod spec sits, for the pod template warnings (GetWarningsForPodTemplate).
    public let podSpecPath: [String]?
    /// Create, update and delete hooks (allocation, finalization, graceful deletion).
    public let hooks: KindHooks
    /// Whether objects are stored, listed and watched (Binding is only ever created).
    public let isStored: Bool

    /// A served version; a string literal is a version whose schema type is the kind's name.
    public struct Version: Sendable, ExpressibleByStringLiteral {
        public let name: String
        public let schemaType: String?
        /// How objects of this version convert to and from the storage version (the first);
        /// nil when they are stored as they are served.
        public let conversion: Conversion?
        public init(_ name: String, schemaType: String? = nil, conversion: Conversion? = nil) {
            self.name = name
            self.schemaType = schemaType
            self.conversion = conversion
        }
        public init(stringLiteral name: String) { self.init(name) }
    }

    /// A version's conversion to and from the storage version (apiVersion is set by the server).
    public struct Conversion: Sendable {
        public let toStorage: @Sendable (JSONValue) -> JSONValue
        public let fromStorage: @Sendable (JSONValue) -> JSONValue
        public init(toStorage: @escaping @Sendable (JSONValue) -> JSONValue, fromStorage: @escaping @Sendable (JSONValue) -> JSONValue) {
            self.toStorage = toStorage
            self.fromStorage = fromStorage
        }
    }

    public init(
        schema: KindSchema = KindSchema(),
        group: String, versions: [Version], kind: String, plural: String, shortNames: [String] = [], categories: [String] = [],
        namespaced: Bool = true, subresources: [String] = [], verbs: [String] = ResourceInfo.verbs,
        fieldSelectors: [SelectableField] = [], printer: TablePrinter = .nameAndAge,
        hasGeneration: Bool = false, resetsStatus: Bool? = nil, defaults: (@Sendable (inout JSONValue) -> Void)? = nil,
        nameProblem: @escaping @Sendable (String) -> String? = Naming.dns1123SubdomainProblem,
        validate: (@Sendable (JSONValue) -> [FieldError])? = nil,
        validateUpdate: (@Sendable (_ new: JSONValue, _ old: JSONValue) -> [FieldError])? = nil, podSpecPath: [String]? = nil,
        hooks: KindHooks = KindHooks(), isStored: Bool = true
    ) {
        self.schema = schema
        self.group = group
        self.versions = versions
        self.kind = kind
        self.plural = plural
        self.shortNames = shortNames
        self.categories = categories
        self.namespaced = namespaced
        self.subresources = subresources
        self.verbs = verbs
        self.fieldSelectors = [SelectableField("metadata.name"), SelectableField("metadata.namespace")] + fieldSelectors
        self.printer = printer
        self.hasGeneration = hasGeneration
        self.resetsStatus = resetsStatus ?? subresources.contains("status")
        self.defaults = defaults
        self.nameProblem = nameProblem
        self.validate = validate
        self.validateUpdate = validateUpdate
        self.podSpecPath = podSpecPath
        self.hooks = hooks
        self.isStored = isStored
    }

    /// One `ResourceInfo` per served version, in discovery order.
    public var resources: [ResourceInfo] {
        versions.map { v in
            ResourceInfo(
                group: group, version: v.name, kind: kind, plural: plural, singular: kind.lowercased(), shortNames: shortNames,
                namespaced: namespaced, subresources: subresources, categories: categories, schemaType: v.schemaType ?? kind,
                storageKey: group.isEmpty ? plural : "\(plural).\(group)", definition: self)
        }
    }

    public static func == (a: KindDefinition, b: KindDefinition) -> Bool { a === b }
    public func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(self)) }
}

/// A field a field selector may name, with where its value sits in the object (Event's
/// `source` is `source.component`).
public struct SelectableField: Sendable {
    public let name: String
    public let path: [String]
    public init(_ name: String, path: [String]? = nil) {
        self.name = name
        self.path = path ?? name.split(separator: ".").map(String.init)
    }

    /// The value as a field selector compares it: strings as they are, booleans and integers
    /// spelt out, anything else (absent included) empty.
    public func value(in obj: JSONValue) -> String {
        switch obj[path: path] {
        case .string(let s)?: return s
        case .bool(let b)?: return b ? "true" : "false"
        case .int(let i)?: return String(i)
        default: return ""
        }
    }
}
