// The schema of discovery.k8s.io/v1 EndpointSlice: its own types, with their protobuf field numbers, and what
// `kubectl explain` says of them, written for someone learning Kubernetes. Types several kinds
// share (ObjectMeta, PodSpec, LabelSelector, Condition...) are in `Schema/`.
extension KindSchema {
    static let endpointSlice = KindSchema(types: """
EndpointSlice "EndpointSlice represents a subset of the endpoints that implement a service."
  apiVersion string
  kind string
  metadata ObjectMeta #1
  addressType string! #4
  endpoints []any #2
  ports []any #3
""")
}
