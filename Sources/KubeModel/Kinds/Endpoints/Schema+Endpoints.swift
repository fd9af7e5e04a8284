// The schema of core/v1 Endpoints: its own types, with their protobuf field numbers, and what
// `kubectl explain` says of them, written for someone learning Kubernetes. Types several kinds
// share (ObjectMeta, PodSpec, LabelSelector, Condition...) are in `Schema/`.
extension KindSchema {
    static let endpoints = KindSchema(types: """
Endpoints "Endpoints is a collection of endpoints that implement the actual service."
  apiVersion string
  kind string
  metadata ObjectMeta #1
  subsets []any #2
""")
}
