/// A kind's own types in the schema DSL (`parseSchemaDSL`: fields, merge keys, protobuf
/// numbers), and what `kubectl explain` says of them (`SchemaDescriptions`). Types several kinds
/// share (ObjectMeta, PodSpec, LabelSelector...) are in `Schema/`; `SchemaRegistry` joins both.
public struct KindSchema: Sendable {
    public let types: String
    public let descriptions: String

    public init(types: String = "", descriptions: String = "") {
        self.types = types
        self.descriptions = descriptions
    }
}
