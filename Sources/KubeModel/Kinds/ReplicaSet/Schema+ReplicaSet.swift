// The schema of apps/v1 ReplicaSet: its own types, with their protobuf field numbers, and what
// `kubectl explain` says of them, written for someone learning Kubernetes. Types several kinds
// share (ObjectMeta, PodSpec, LabelSelector, Condition...) are in `Schema/`.
extension KindSchema {
    static let replicaSet = KindSchema(types: """
ReplicaSet "ReplicaSet ensures that a specified number of pod replicas are running at any given time."
  apiVersion string
  kind string
  metadata ObjectMeta #1
  spec ReplicaSetSpec #2
  status ReplicaSetStatus #3
ReplicaSetSpec "ReplicaSetSpec is the specification of a ReplicaSet."
  replicas *int #1 "Replicas is the number of desired pods. Defaults to 1."
  minReadySeconds int #4
  selector LabelSelector! #2 "Selector is a label query over pods that should match the replica count."
  template PodTemplateSpec #3 "Template is the object that describes the pod that will be created if insufficient replicas are detected."
ReplicaSetStatus
  replicas int! #1
  fullyLabeledReplicas int #2
  readyReplicas int #4
  availableReplicas int #5
  terminatingReplicas int #7
  observedGeneration int64 #3
  conditions []Condition @type #6
""", descriptions: """
ReplicaSet "A ReplicaSet keeps a number of identical Pods running. Deployments make and manage ReplicaSets for you."
  apiVersion "The API group and version this object is written in: apps/v1."
  kind "The type of object: ReplicaSet."
  metadata "Standard metadata: name, namespace, labels and annotations."
  spec "What you want: how many Pods, which Pods count, and the template for new ones."
  status "What the replicaset controller last saw; written by the controller, not by you."
ReplicaSetSpec "The desired state of a ReplicaSet."
  replicas "How many Pods to keep running. Defaults to 1."
  minReadySeconds "Seconds a new Pod must stay ready, without crashing, before it counts as available. Defaults to 0."
  selector "Which Pods the ReplicaSet counts as its own, by label. It must match the template's labels."
  template "The Pod to create when there are too few."
ReplicaSetStatus "What the replicaset controller last saw of a ReplicaSet."
  replicas "Pods the ReplicaSet has now."
  fullyLabeledReplicas "Pods whose labels match every label of the template."
  readyReplicas "Pods whose readiness checks pass."
  availableReplicas "Pods that have been ready for at least minReadySeconds."
  terminatingReplicas "Pods that are shutting down: deletion asked for, not yet gone."
  observedGeneration "The metadata.generation the controller has acted on."
  conditions "The latest observations, such as ReplicaFailure when Pods cannot be created."
""")
}
