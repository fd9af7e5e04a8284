import Hummingbird
import KubeModel

extension ResourceHandler {
    /// metrics.k8s.io's `get` and `list` (metrics-server serves nothing else: no watch, no
    /// writes), as JSON or as a Table.
    func metrics(_ r: APIPath.ResourceRequest) async throws -> Response {
        guard r.subresource == nil else { throw APIError.resourceNotFound() }
        guard request.method == .get, !query.bool("watch") else { throw APIError.methodNotAllowed() }
        let reader = try ResourceMetricsReader(api: api, now: api.now())
        let options = listOptions()
        let pods = r.info.kind == "PodMetrics"
        let answer: JSONValue
        switch r.name {
        case let name?:
            answer = pods ? try await reader.podMetrics(namespace: r.namespace ?? "", name: name) : try await reader.nodeMetrics(name: name)
        case nil:
            try options.validate(watch: false)
            answer = pods ? try await reader.podMetricsList(namespace: r.namespace, options: options) : try await reader.nodeMetricsList(options: options)
        }
        guard wantsTable else { return KubeResponder.json(answer) }
        let items = r.name == nil ? answer["items"]?.arrayValue ?? [] : [answer]
        return KubeResponder.raw(JSONSerializer.serialize(converter.table(r.info, items, rv: nil, includeObject: query["includeObject"] ?? "Metadata")),
                                 TableConverter.contentType)
    }
}
