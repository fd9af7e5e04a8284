// The schema of core/v1 Binding: its own types, with their protobuf field numbers, and what
// `kubectl explain` says of them, written for someone learning Kubernetes. Types several kinds
// share (ObjectMeta, PodSpec, LabelSelector, Condition...) are in `Schema/`.
extension KindSchema {
    static let binding = KindSchema(types: """
Binding "Binding ties one object to another; for example, a pod is bound to a node by a scheduler."
  apiVersion string
  kind string
  metadata ObjectMeta #1
  target ObjectReference! #2
""")
}
