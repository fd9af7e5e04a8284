// The schema of apps/v1 Deployment: its own types, with their protobuf field numbers, and what
// `kubectl explain` says of them, written for someone learning Kubernetes. Types several kinds
// share (ObjectMeta, PodSpec, LabelSelector, Condition...) are in `Schema/`.
extension KindSchema {
    static let deployment = KindSchema(types: """
Deployment "Deployment enables declarative updates for Pods and ReplicaSets."
  apiVersion string "APIVersion defines the versioned schema of this representation of an object."
  kind string "Kind is a string value representing the REST resource this object represents."
  metadata ObjectMeta #1 "Standard object's metadata."
  spec DeploymentSpec #2 "Specification of the desired behavior of the Deployment."
  status DeploymentStatus #3 "Most recently observed status of the Deployment."
DeploymentSpec "DeploymentSpec is the specification of the desired behavior of the Deployment."
  replicas *int #1 "Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1."
  selector LabelSelector! #2 "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template's labels."
  template PodTemplateSpec! #3 "Template describes the pods that will be created. The only allowed template.spec.restartPolicy value is \"Always\"."
  strategy DeploymentStrategy %retainKeys #4 "The deployment strategy to use to replace existing pods with new ones."
  minReadySeconds int #5 "Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready)"
  revisionHistoryLimit *int #6 "The number of old ReplicaSets to retain to allow rollback. Defaults to 10."
  paused bool #7 "Indicates that the deployment is paused."
  progressDeadlineSeconds *int #9 "The maximum time in seconds for a deployment to make progress before it is considered to be failed. Defaults to 600s."
DeploymentStrategy "DeploymentStrategy describes how to replace existing pods with new ones."
  type string #1 "Type of deployment. Can be \"Recreate\" or \"RollingUpdate\". Default is RollingUpdate."
  rollingUpdate *RollingUpdateDeployment #2 "Rolling update config params. Present only if DeploymentStrategyType = RollingUpdate."
RollingUpdateDeployment "Spec to control the desired behavior of rolling update."
  maxUnavailable intstr #1 "The maximum number of pods that can be unavailable during the update. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). Defaults to 25%."
  maxSurge intstr #2 "The maximum number of pods that can be scheduled above the desired number of pods. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). Defaults to 25%."
DeploymentStatus "DeploymentStatus is the most recently observed status of the Deployment."
  observedGeneration int64 #1
  replicas int #2
  updatedReplicas int #3
  readyReplicas int #7
  availableReplicas int #4
  unavailableReplicas int #5
  terminatingReplicas int #9
  conditions []Condition @type #6
  collisionCount *int #8
""", descriptions: """
Deployment "A Deployment runs a number of identical Pods from a template, and replaces them a few at a time when the template changes."
  apiVersion "The API group and version this object is written in: apps/v1."
  kind "The type of object: Deployment."
  metadata "Standard metadata: name, namespace, labels and annotations."
  spec "What you want: how many Pods, from which template, and how to roll out a change."
  status "What the deployment controller last saw; written by the controller, not by you."
DeploymentSpec "The desired state of a Deployment."
  replicas "How many Pods to run. Defaults to 1."
  selector "Which Pods belong to this Deployment, by label. It must match the template's labels and cannot change later."
  template "The Pod to run: its labels and spec. Changing it starts a rollout."
  strategy "How old Pods are replaced with new ones when the template changes."
  minReadySeconds "Seconds a new Pod must stay ready, without crashing, before it counts as available. Defaults to 0."
  revisionHistoryLimit "How many old ReplicaSets to keep so that you can roll back (kubectl rollout undo). Defaults to 10."
  paused "If true, changes to the template start no rollout until the Deployment is resumed (kubectl rollout resume)."
  progressDeadlineSeconds "Seconds a rollout may go without progress before it is reported as failed (ProgressDeadlineExceeded). Defaults to 600."
DeploymentStrategy "How a Deployment replaces old Pods with new ones."
  type "RollingUpdate (a few Pods at a time, the default) or Recreate (stop every old Pod before starting new ones)."
  rollingUpdate "For RollingUpdate: how far the number of Pods may go below or above the desired number during the update."
RollingUpdateDeployment "How many Pods a rolling update may take away or add at a time."
  maxUnavailable "How many Pods may be unavailable during the update: a number (2) or a percentage of replicas (25%). Defaults to 25%."
  maxSurge "How many Pods may be created above the desired number during the update: a number or a percentage. Defaults to 25%."
DeploymentStatus "What the deployment controller last saw of a Deployment."
  observedGeneration "The metadata.generation the controller has acted on; lower than generation while a change is not yet seen."
  replicas "Pods of all this Deployment's ReplicaSets, old and new."
  updatedReplicas "Pods made from the current template."
  readyReplicas "Pods whose readiness checks pass."
  availableReplicas "Pods that have been ready for at least minReadySeconds."
  unavailableReplicas "Pods still missing before every desired Pod is available."
  terminatingReplicas "Pods that are shutting down: deletion asked for, not yet gone."
  conditions "The latest observations of the rollout: Available, Progressing and ReplicaFailure."
  collisionCount "How many times a new ReplicaSet's name was already taken; used to make the next name unique."
""")
}
