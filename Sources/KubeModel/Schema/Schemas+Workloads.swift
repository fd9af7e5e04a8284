// apps/v1 and autoscaling kinds, as compact schema data.
let workloadSchemaSource = """
Deployment "Deployment enables declarative updates for Pods and ReplicaSets."
  apiVersion string "APIVersion defines the versioned schema of this representation of an object."
  kind string "Kind is a string value representing the REST resource this object represents."
  metadata ObjectMeta "Standard object's metadata."
  spec DeploymentSpec "Specification of the desired behavior of the Deployment."
  status DeploymentStatus "Most recently observed status of the Deployment."
DeploymentSpec "DeploymentSpec is the specification of the desired behavior of the Deployment."
  replicas int "Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1."
  selector LabelSelector! "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template's labels."
  template PodTemplateSpec! "Template describes the pods that will be created. The only allowed template.spec.restartPolicy value is \"Always\"."
  strategy DeploymentStrategy %retainKeys "The deployment strategy to use to replace existing pods with new ones."
  minReadySeconds int "Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready)"
  revisionHistoryLimit int "The number of old ReplicaSets to retain to allow rollback. Defaults to 10."
  paused bool "Indicates that the deployment is paused."
  progressDeadlineSeconds int "The maximum time in seconds for a deployment to make progress before it is considered to be failed. Defaults to 600s."
DeploymentStrategy "DeploymentStrategy describes how to replace existing pods with new ones."
  type string "Type of deployment. Can be \"Recreate\" or \"RollingUpdate\". Default is RollingUpdate."
  rollingUpdate *RollingUpdateDeployment "Rolling update config params. Present only if DeploymentStrategyType = RollingUpdate."
RollingUpdateDeployment "Spec to control the desired behavior of rolling update."
  maxUnavailable intstr "The maximum number of pods that can be unavailable during the update. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). Defaults to 25%."
  maxSurge intstr "The maximum number of pods that can be scheduled above the desired number of pods. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). Defaults to 25%."
DeploymentStatus "DeploymentStatus is the most recently observed status of the Deployment."
  observedGeneration int64
  replicas int
  updatedReplicas int
  readyReplicas int
  availableReplicas int
  unavailableReplicas int
  terminatingReplicas int
  conditions []Condition @type
  collisionCount int
ReplicaSet "ReplicaSet ensures that a specified number of pod replicas are running at any given time."
  apiVersion string
  kind string
  metadata ObjectMeta
  spec ReplicaSetSpec
  status ReplicaSetStatus
ReplicaSetSpec "ReplicaSetSpec is the specification of a ReplicaSet."
  replicas int "Replicas is the number of desired pods. Defaults to 1."
  minReadySeconds int
  selector LabelSelector! "Selector is a label query over pods that should match the replica count."
  template PodTemplateSpec "Template is the object that describes the pod that will be created if insufficient replicas are detected."
ReplicaSetStatus
  replicas int!
  fullyLabeledReplicas int
  readyReplicas int
  availableReplicas int
  terminatingReplicas int
  observedGeneration int64
  conditions []Condition @type
Scale "Scale represents a scaling request for a resource."
  apiVersion string
  kind string
  metadata ObjectMeta
  spec ScaleSpec
  status ScaleStatus
ScaleSpec
  replicas int "replicas is the desired number of instances for the scaled object."
ScaleStatus
  replicas int!
  selector string
CrossVersionObjectReference
  kind string!
  name string!
  apiVersion string
HorizontalPodAutoscalerV1 "configuration of a horizontal pod autoscaler."
  apiVersion string
  kind string
  metadata ObjectMeta
  spec HorizontalPodAutoscalerSpecV1
  status any
HorizontalPodAutoscalerSpecV1
  scaleTargetRef CrossVersionObjectReference!
  minReplicas int
  maxReplicas int!
  targetCPUUtilizationPercentage int
HorizontalPodAutoscaler "HorizontalPodAutoscaler is the configuration for a horizontal pod autoscaler, which automatically manages the replica count of any resource implementing the scale subresource based on the metrics specified."
  apiVersion string
  kind string
  metadata ObjectMeta
  spec HorizontalPodAutoscalerSpec "spec is the specification for the behaviour of the autoscaler."
  status HorizontalPodAutoscalerStatus
HorizontalPodAutoscalerSpec
  scaleTargetRef CrossVersionObjectReference! "scaleTargetRef points to the target resource to scale."
  minReplicas int "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down."
  maxReplicas int! "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up."
  metrics []MetricSpec "metrics contains the specifications for which to use to calculate the desired replica count."
  behavior any
MetricSpec
  type string!
  resource ResourceMetricSource
  containerResource any
  pods any
  object any
  external any
ResourceMetricSource
  name string!
  target MetricTarget!
MetricTarget
  type string!
  value quantity
  averageValue quantity
  averageUtilization int
HorizontalPodAutoscalerStatus
  observedGeneration int64
  lastScaleTime time
  currentReplicas int
  desiredReplicas int!
  currentMetrics []any
  conditions []Condition @type
"""
