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
        let supported = Self.supportedFields(info)
        for r in fields.requirements where !supported.contains(r.field) {
            throw APIError.badRequest("field label not supported: \(r.field)")
        }
    }

    var isEmpty: Bool { labels.isEmpty && fields.isEmpty }

    func matches(_ obj: JSONValue) -> Bool {
        if !labels.isEmpty && !labels.matches(object: obj) { return false }
        if !fields.isEmpty && !fields.matches(Self.fieldValues(info, obj)) { return false }
        return true
    }

    static func supportedFields(_ info: ResourceInfo) -> [String] {
        var f = ["metadata.name", "metadata.namespace"]
        switch info.kind {
        case "Pod": f += ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "status.phase", "status.podIP", "status.nominatedNodeName", "spec.hostNetwork"]
        case "Event": f += ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"]
        case "Secret": f += ["type"]
        case "Namespace": f += ["status.phase"]
        case "Node": f += ["spec.unschedulable"]
        case "ReplicaSet": f += ["status.replicas"]
        default: break
        }
        return f
    }

    static func fieldValues(_ info: ResourceInfo, _ obj: JSONValue) -> [String: String] {
        var out: [String: String] = [:]
        for f in supportedFields(info) {
            let path = f.split(separator: ".").map(String.init)
            switch obj[path: path] {
            case .string(let s)?: out[f] = s
            case .bool(let b)?: out[f] = b ? "true" : "false"
            case .int(let i)?: out[f] = String(i)
            default: out[f] = ""
            }
        }
        if info.kind == "Event" { out["source"] = obj[path: ["source", "component"]]?.stringValue ?? "" }
        return out
    }
}
