// The schema of core/v1 Secret: its own types, with their protobuf field numbers, and what
// `kubectl explain` says of them, written for someone learning Kubernetes. Types several kinds
// share (ObjectMeta, PodSpec, LabelSelector, Condition...) are in `Schema/`.
extension KindSchema {
    static let secret = KindSchema(types: """
Secret "Secret holds secret data of a certain type."
  apiVersion string
  kind string
  metadata ObjectMeta #1
  data map[bytes] #2 "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string."
  stringData map[string] #4 "stringData allows specifying non-binary secret data in string form."
  type string #3 "Used to facilitate programmatic handling of secret data."
  immutable *bool #5
""", descriptions: """
Secret "A Secret holds a small amount of sensitive data, such as a password or a key, for Pods to read."
  apiVersion "The API version this object is written in: v1."
  kind "The type of object: Secret."
  metadata "Standard metadata: name, namespace, labels and annotations."
  data "The secret values, base64-encoded, one entry per key."
  stringData "Secret values as plain text, for writing only: the server encodes them into data."
  type "What the Secret holds: Opaque (anything, the default), kubernetes.io/tls, kubernetes.io/dockerconfigjson, ..."
  immutable "If true, the data cannot change after creation."
""")
}
