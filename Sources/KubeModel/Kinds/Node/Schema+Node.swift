// The schema of core/v1 Node: its own types, with their protobuf field numbers, and what
// `kubectl explain` says of them, written for someone learning Kubernetes. Types several kinds
// share (ObjectMeta, PodSpec, LabelSelector, Condition...) are in `Schema/`.
extension KindSchema {
    static let node = KindSchema(types: """
Node "Node is a worker node in Kubernetes."
  apiVersion string
  kind string
  metadata ObjectMeta #1
  spec NodeSpec #2
  status NodeStatus #3
NodeSpec
  podCIDR string #1
  podCIDRs []string #7
  providerID string #3
  unschedulable bool #4
  taints []Taint #5
  configSource any #6
  externalID string #2
NodeStatus
  capacity map[quantity] #1
  allocatable map[quantity] #2
  phase string #3
  conditions []Condition @type #4
  addresses []any @type #5
  daemonEndpoints any #6
  nodeInfo any #7
  images []any #8
  volumesInUse []string #9
  volumesAttached []any #10
  config any #11
  runtimeHandlers []any #12
  features any #13
Taint
  key string! #1
  value string #2
  effect string! #3
  timeAdded time #4
""")
}
