import KubeModel

/// Decoding, defaulting and validation of a write, in kube-apiserver's order: decode (unknown
/// fields and wrong types), convert to the storage version, default, validate.
extension APIService {
    struct Admitted {
        var object: JSONValue
        var warnings: [String]
    }

    func admit(_ body: JSONValue, info: ResourceInfo, old: JSONValue?, options: WriteOptions) throws -> Admitted {
        let checked = SchemaValidator.check(body, typeName: info.schemaType, schemas: schemas)
        let prefix = "\(info.kind) in version \"\(info.version)\" cannot be handled as a \(info.kind): "
        if let typeError = checked.typeError { throw APIError.badRequest(prefix + typeError) }
        var warnings: [String] = []
        if !checked.unknownFields.isEmpty {
            let unknown = checked.unknownFields.map { "unknown field \"\($0)\"" }
            switch options.fieldValidation {
            case .strict: throw APIError.badRequest(prefix + "strict decoding error: " + unknown.joined(separator: ", "))
            case .warn: warnings = unknown
            case .ignore: break
            }
        }
        var obj = Conversion.toStorage(checked.pruned, info)
        info.definition.defaults?(&obj)
        if old == nil { info.definition.hooks.admitCreate?(&obj) }
        // The strategy's PrepareForUpdate comes after decoding (defaults) and before validation.
        if let old { info.definition.hooks.prepareForUpdate?(&obj, old) }
        // Deduplicated in linear time: a hostile body can hold tens of thousands of bad fields.
        var errors: [FieldError] = []
        var seen: Set<FieldError> = []
        for e in checked.errors + Validation.validate(obj, old: old, info: info) where seen.insert(e).inserted { errors.append(e) }
        if !errors.isEmpty {
            throw APIError.invalid(info, obj[path: ["metadata", "name"]]?.stringValue ?? "", errors)
        }
        // Like the strategies' WarningsOnCreate/WarningsOnUpdate: pods warn on create, templates
        // whenever the spec changes.
        if old == nil || (info.definition.hooks.warnsOnUpdate && old?["spec"] != obj["spec"]) {
            warnings += Validation.warnings(obj, info: info)
        }
        return Admitted(object: obj, warnings: warnings)
    }

    /// Checks apiVersion/kind of a body against the URL's resource and fills them in.
    func checkTypeMeta(_ body: inout JSONValue, _ info: ResourceInfo) throws {
        guard case .object = body else {
            throw APIError.badRequest("the object provided is unrecognized (must be of type \(info.kind)): body is not a JSON object")
        }
        for field in ["apiVersion", "kind"] {
            if let v = body[field], !v.isNull, v.stringValue == nil {
                throw APIError.badRequest("couldn't get version/kind; json parse error: json: cannot unmarshal \(v.typeName) into Go struct field .\(field) of type string")
            }
        }
        if let kind = body["kind"]?.stringValue, !kind.isEmpty, kind != info.kind {
            throw APIError.badRequest("the object provided is unrecognized (must be of type \(info.kind)): couldn't get version/kind; json parse error: kind \(kind) does not match \(info.kind)")
        }
        if let av = body["apiVersion"]?.stringValue, !av.isEmpty, av != info.groupVersion {
            // kubectl never sends a mismatching version; a wrong group is a client bug worth naming.
            let group = av.contains("/") ? String(av.split(separator: "/")[0]) : ""
            if group != info.group {
                throw APIError.badRequest("the API version in the data (\(av)) does not match the expected API version (\(info.groupVersion))")
            }
        }
        body["apiVersion"] = .string(info.groupVersion)
        body["kind"] = .string(info.kind)
        if body["metadata"] == nil { body["metadata"] = .emptyObject }
        guard case .object = body["metadata"] ?? .null else {
            throw APIError.badRequest("\(info.kind) in version \"\(info.version)\" cannot be handled as a \(info.kind): json: cannot unmarshal \(body["metadata"]?.typeName ?? "null") into Go struct field \(info.kind).metadata of type v1.ObjectMeta")
        }
    }

    /// Kinds whose `spec` changes bump `metadata.generation`.
    static func hasGeneration(_ info: ResourceInfo) -> Bool { info.definition.hasGeneration }

    /// Kinds whose status is owned by controllers: create and main-resource writes ignore it.
    static func resetsStatus(_ info: ResourceInfo) -> Bool { info.definition.resetsStatus }
}
