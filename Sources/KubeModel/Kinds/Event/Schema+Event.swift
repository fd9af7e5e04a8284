// The schema of core/v1 Event: its own types, with their protobuf field numbers, and what
// `kubectl explain` says of them, written for someone learning Kubernetes. Types several kinds
// share (ObjectMeta, PodSpec, LabelSelector, Condition...) are in `Schema/`.
extension KindSchema {
    static let event = KindSchema(types: """
Event "Event is a report of an event somewhere in the cluster."
  apiVersion string
  kind string
  metadata ObjectMeta #1
  involvedObject ObjectReference! #2
  reason string #3
  message string #4
  source any #5
  firstTimestamp time #6
  lastTimestamp time #7
  count int #8
  type string #9
  eventTime time #10
  series any #11
  action string #12
  related *ObjectReference #13
  reportingComponent string #14
  reportingInstance string #15
""")
}
