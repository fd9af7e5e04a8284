// The schema of networking.k8s.io/v1 IngressClass: its own types, with their protobuf field numbers, and what
// `kubectl explain` says of them, written for someone learning Kubernetes. Types several kinds
// share (ObjectMeta, PodSpec, LabelSelector, Condition...) are in `Schema/`.
extension KindSchema {
    static let ingressClass = KindSchema(types: """
IngressClass "IngressClass represents the class of the Ingress, referenced by the Ingress Spec."
  apiVersion string
  kind string
  metadata ObjectMeta #1
  spec IngressClassSpec #2
IngressClassSpec
  controller string #1
  parameters any #2
""")
}
