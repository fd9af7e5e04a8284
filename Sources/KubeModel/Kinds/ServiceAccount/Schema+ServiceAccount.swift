// The schema of core/v1 ServiceAccount: its own types, with their protobuf field numbers, and what
// `kubectl explain` says of them, written for someone learning Kubernetes. Types several kinds
// share (ObjectMeta, PodSpec, LabelSelector, Condition...) are in `Schema/`.
extension KindSchema {
    static let serviceAccount = KindSchema(types: """
ServiceAccount "ServiceAccount binds together a name, a principal that can be authenticated and authorized, and a set of secrets."
  apiVersion string
  kind string
  metadata ObjectMeta #1
  secrets []ObjectReference @name #2
  imagePullSecrets []LocalObjectReference #3
  automountServiceAccountToken *bool #4
""")
}
