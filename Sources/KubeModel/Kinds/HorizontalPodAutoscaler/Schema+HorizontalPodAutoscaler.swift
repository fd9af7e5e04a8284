// The schema of autoscaling/v2 HorizontalPodAutoscaler and its autoscaling/v1 form: its own types, with their protobuf field numbers, and what
// `kubectl explain` says of them, written for someone learning Kubernetes. Types several kinds
// share (ObjectMeta, PodSpec, LabelSelector, Condition...) are in `Schema/`.
extension KindSchema {
    static let horizontalPodAutoscaler = KindSchema(types: """
CrossVersionObjectReference
  kind string! #1
  name string! #2
  apiVersion string #3
HorizontalPodAutoscalerV1 "configuration of a horizontal pod autoscaler."
  apiVersion string
  kind string
  metadata ObjectMeta #1
  spec HorizontalPodAutoscalerSpecV1 #2
  status HorizontalPodAutoscalerStatusV1 #3
HorizontalPodAutoscalerSpecV1
  scaleTargetRef CrossVersionObjectReference! #1
  minReplicas *int #2
  maxReplicas int! #3
  targetCPUUtilizationPercentage *int #4
HorizontalPodAutoscalerStatusV1
  observedGeneration *int64 #1
  lastScaleTime time #2
  currentReplicas int #3
  desiredReplicas int #4
  currentCPUUtilizationPercentage *int #5
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
""", descriptions: """
CrossVersionObjectReference "Names the object an autoscaler scales, such as a Deployment."
  kind "Kind of the object, such as Deployment."
  name "Name of the object."
  apiVersion "API version of the object, such as apps/v1."
HorizontalPodAutoscalerV1 "A HorizontalPodAutoscaler changes how many replicas a Deployment or ReplicaSet has, to keep its Pods' CPU use near a target."
  apiVersion "The API group and version this object is written in: autoscaling/v1."
  kind "The type of object: HorizontalPodAutoscaler."
  metadata "Standard metadata: name, namespace, labels and annotations."
  spec "What to scale, between which bounds, and the CPU target."
  status "What the autoscaler last saw and decided; written by the controller, not by you."
HorizontalPodAutoscalerSpecV1 "The desired behaviour of an autoscaler (autoscaling/v1)."
  scaleTargetRef "The object to scale; it must have a scale subresource, as Deployments and ReplicaSets do."
  minReplicas "The fewest replicas the autoscaler may scale down to. Defaults to 1."
  maxReplicas "The most replicas the autoscaler may scale up to; at least minReplicas."
  targetCPUUtilizationPercentage "The average CPU use to aim for, as a percentage of the Pods' CPU request. Defaults to 80."
HorizontalPodAutoscaler "A HorizontalPodAutoscaler changes how many replicas a workload has, to keep metrics such as its Pods' CPU use near a target."
  apiVersion "The API group and version this object is written in: autoscaling/v2."
  kind "The type of object: HorizontalPodAutoscaler."
  metadata "Standard metadata: name, namespace, labels and annotations."
  spec "What to scale, between which bounds, and the metrics to follow."
  status "What the autoscaler last saw and decided; written by the controller, not by you."
HorizontalPodAutoscalerSpec "The desired behaviour of an autoscaler."
  scaleTargetRef "The object to scale; it must have a scale subresource, as Deployments and ReplicaSets do."
  minReplicas "The fewest replicas the autoscaler may scale down to. Defaults to 1."
  maxReplicas "The most replicas the autoscaler may scale up to; at least minReplicas."
  metrics "The metrics that decide the number of replicas; the largest number any of them asks for wins. Defaults to 80% average CPU."
  behavior "How fast to scale up and down: stabilization windows and rate limits. By default up at once, down after 5 minutes."
MetricSpec "One metric the autoscaler follows."
  type "Which kind of metric: Resource (CPU or memory of the Pods), ContainerResource, Pods, Object or External."
  resource "A CPU or memory target for the Pods, when type is Resource."
  containerResource "A CPU or memory target for one container of each Pod, when type is ContainerResource."
  pods "A custom metric averaged over the Pods, when type is Pods."
  object "A metric of another object in the namespace, such as an Ingress's requests per second, when type is Object."
  external "A metric from outside the cluster, such as a queue's length, when type is External."
ResourceMetricSource "A target for one resource (cpu or memory) of the scaled Pods."
  name "The resource: cpu or memory."
  target "The value to aim for: an average utilization (a percentage of the request) or an average value."
MetricTarget "The value a metric should stay near."
  type "Utilization (a percentage of the Pods' request), Value or AverageValue."
  value "The value to aim for, when type is Value."
  averageValue "The value per Pod to aim for, when type is AverageValue (such as 500m or 200Mi)."
  averageUtilization "The average use to aim for, as a percentage of the Pods' request, when type is Utilization (such as 80)."
HorizontalPodAutoscalerStatus "What the autoscaler last saw and decided."
  observedGeneration "The metadata.generation the autoscaler has acted on."
  lastScaleTime "When the autoscaler last changed the number of replicas."
  currentReplicas "How many replicas the target had when last seen."
  desiredReplicas "How many replicas the autoscaler last asked for."
  currentMetrics "The values last read, one per metric of spec.metrics."
  conditions "The latest observations: AbleToScale, ScalingActive and ScalingLimited."
HorizontalPodAutoscalerStatusV1 "What the autoscaler last saw and decided (autoscaling/v1)."
  observedGeneration "The metadata.generation the autoscaler has acted on."
  lastScaleTime "When the autoscaler last changed the number of replicas."
  currentReplicas "How many replicas the target had when last seen."
  desiredReplicas "How many replicas the autoscaler last asked for."
  currentCPUUtilizationPercentage "The Pods' average CPU use, as a percentage of what they request."
""")
}
