import KubeModel

/// The label and field selectors of a list or watch, checked against objects.
struct ObjectFilter: Sendable {
    let labels: LabelSelector
    let fields: FieldSelector
    let info: ResourceInfo

    init(info: ResourceInfo, options: ListOptions) throws(APIError) {
        self.info = info
        do {
            labels = try LabelSelector.parse(options.labelSelector)
        } catch {
            throw APIError.badRequest("unable to parse requirement: \(error.message.replacingAll("unable to parse requirement: ", with: ""))")
        }
        do {
            fields = try FieldSelector.parse(options.fieldSelector)
        } catch {
            throw APIError.badRequest(error.message)
        }
        let supported = info.definition.fieldSelectors
        for r in fields.requirements where !supported.contains(where: { $0.name == r.field }) {
            throw APIError.badRequest("field label not supported: \(r.field)")
        }
    }

    var isEmpty: Bool { labels.isEmpty && fields.isEmpty }

    func matches(_ obj: JSONValue) -> Bool {
        if !labels.isEmpty && !labels.matches(object: obj) { return false }
        if !fields.isEmpty && !fields.matches(Self.fieldValues(info, obj)) { return false }
        return true
    }

    /// The values of the kind's selectable fields, as `GetAttrs` of its strategy returns them.
    static func fieldValues(_ info: ResourceInfo, _ obj: JSONValue) -> [String: String] {
        var out: [String: String] = [:]
        for f in info.definition.fieldSelectors { out[f.name] = f.value(in: obj) }
        return out
    }
}
