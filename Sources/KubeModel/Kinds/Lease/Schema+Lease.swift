// The schema of coordination.k8s.io/v1 Lease: its own types, with their protobuf field numbers, and what
// `kubectl explain` says of them, written for someone learning Kubernetes. Types several kinds
// share (ObjectMeta, PodSpec, LabelSelector, Condition...) are in `Schema/`.
extension KindSchema {
    static let lease = KindSchema(types: """
Lease "Lease defines a lease concept."
  apiVersion string
  kind string
  metadata ObjectMeta #1
  spec LeaseSpec #2
LeaseSpec
  holderIdentity *string #1
  leaseDurationSeconds *int #2
  acquireTime time #3
  renewTime time #4
  leaseTransitions *int #5
  strategy *string #6
  preferredHolder *string #7
""")
}
