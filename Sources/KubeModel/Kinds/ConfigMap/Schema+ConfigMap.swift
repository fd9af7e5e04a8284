// The schema of core/v1 ConfigMap: its own types, with their protobuf field numbers, and what
// `kubectl explain` says of them, written for someone learning Kubernetes. Types several kinds
// share (ObjectMeta, PodSpec, LabelSelector, Condition...) are in `Schema/`.
extension KindSchema {
    static let configMap = KindSchema(types: """
ConfigMap "ConfigMap holds configuration data for pods to consume."
  apiVersion string
  kind string
  metadata ObjectMeta #1
  data map[string] #2 "Data contains the configuration data."
  binaryData map[bytes] #3
  immutable *bool #4
""", descriptions: """
ConfigMap "A ConfigMap holds configuration that is not secret, as key-value pairs that Pods read as environment variables or files."
  apiVersion "The API version this object is written in: v1."
  kind "The type of object: ConfigMap."
  metadata "Standard metadata: name, namespace, labels and annotations."
  data "The configuration as text, one entry per key; keys may hold letters, digits, '-', '_' and '.'."
  binaryData "Configuration as bytes (base64 in YAML), for values that are not UTF-8 text."
  immutable "If true, the data cannot change after creation: delete and create the ConfigMap again instead."
""")
}
