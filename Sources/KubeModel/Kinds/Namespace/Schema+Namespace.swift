// The schema of core/v1 Namespace: its own types, with their protobuf field numbers, and what
// `kubectl explain` says of them, written for someone learning Kubernetes. Types several kinds
// share (ObjectMeta, PodSpec, LabelSelector, Condition...) are in `Schema/`.
extension KindSchema {
    static let namespace = KindSchema(types: """
Namespace "Namespace provides a scope for Names."
  apiVersion string
  kind string
  metadata ObjectMeta #1
  spec NamespaceSpec #2
  status NamespaceStatus #3
NamespaceSpec
  finalizers []string #1
NamespaceStatus
  phase string #1
  conditions []Condition @type #2
""", descriptions: """
Namespace "A Namespace groups objects and keeps them apart from others; names need only be unique within a namespace."
  apiVersion "The API version this object is written in: v1."
  kind "The type of object: Namespace."
  metadata "Standard metadata: name, labels and annotations."
  spec "The finalizers that must be done before the namespace is removed."
  status "Whether the namespace is Active or Terminating."
NamespaceSpec "The desired state of a Namespace."
  finalizers "Tasks that must be done before the namespace is removed; \"kubernetes\" means its objects are being deleted."
NamespaceStatus "What the system last saw of a Namespace."
  phase "Active, or Terminating once its deletion was asked for and its objects are being removed."
  conditions "The latest observations about the namespace's deletion."
""")
}
