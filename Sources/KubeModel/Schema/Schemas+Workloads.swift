// apps/v1 and autoscaling kinds, as compact schema data.
let workloadSchemaSource = """
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
Scale "Scale represents a scaling request for a resource."
  apiVersion string
  kind string
  metadata ObjectMeta #1
  spec ScaleSpec #2
  status ScaleStatus #3
ScaleSpec
  replicas int #1 "replicas is the desired number of instances for the scaled object."
ScaleStatus
  replicas int! #1
  selector string #2
CrossVersionObjectReference
  kind string! #1
  name string! #2
  apiVersion string #3
HorizontalPodAutoscalerV1 "configuration of a horizontal pod autoscaler."
  apiVersion string
  kind string
  metadata ObjectMeta #1
  spec HorizontalPodAutoscalerSpecV1 #2
  status any #3
HorizontalPodAutoscalerSpecV1
  scaleTargetRef CrossVersionObjectReference! #1
  minReplicas *int #2
  maxReplicas int! #3
  targetCPUUtilizationPercentage *int #4
HorizontalPodAutoscaler "HorizontalPodAutoscaler is the configuration for a horizontal pod autoscaler, which automatically manages the replica count of any resource implementing the scale subresource based on the metrics specified."
  apiVersion string
  kind string
  metadata ObjectMeta #1
  spec HorizontalPodAutoscalerSpec #2 "spec is the specification for the behaviour of the autoscaler."
  status HorizontalPodAutoscalerStatus #3
HorizontalPodAutoscalerSpec
  scaleTargetRef CrossVersionObjectReference! #1 "scaleTargetRef points to the target resource to scale."
  minReplicas *int #2 "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down."
  maxReplicas int! #3 "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up."
  metrics []MetricSpec #4 "metrics contains the specifications for which to use to calculate the desired replica count."
  behavior any #5
MetricSpec
  type string! #1
  resource ResourceMetricSource #4
  containerResource any #7
  pods any #3
  object any #2
  external any #5
ResourceMetricSource
  name string! #1
  target MetricTarget! #2
MetricTarget
  type string! #1
  value quantity #2
  averageValue quantity #3
  averageUtilization *int #4
HorizontalPodAutoscalerStatus
  observedGeneration *int64 #1
  lastScaleTime time #2
  currentReplicas int #3
  desiredReplicas int! #4
  currentMetrics []any #5
  conditions []Condition @type #6
"""
