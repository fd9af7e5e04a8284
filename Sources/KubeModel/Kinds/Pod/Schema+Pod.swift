// The schema of core/v1 Pod (PodSpec and below are shared with the templates, in `Schema/Schemas+Pod.swift`): its own types, with their protobuf field numbers, and what
// `kubectl explain` says of them, written for someone learning Kubernetes. Types several kinds
// share (ObjectMeta, PodSpec, LabelSelector, Condition...) are in `Schema/`.
extension KindSchema {
    static let pod = KindSchema(types: """
Pod "Pod is a collection of containers that can run on a host."
  apiVersion string
  kind string
  metadata ObjectMeta #1
  spec PodSpec #2
  status PodStatus #3
PodStatus
  phase string #1
  conditions []any @type #2
  message string #3
  reason string #4
  nominatedNodeName string #11
  hostIP string #5
  hostIPs []any
  podIP string #6
  podIPs []any @ip #12
  startTime time #7
  initContainerStatuses []any #10
  containerStatuses []any #8
  ephemeralContainerStatuses []any #13
  qosClass string #9
  resize string
  resourceClaimStatuses []any
  observedGeneration int64
""", descriptions: """
Pod "A Pod is the smallest thing Kubernetes runs: one or more containers that share a network address and storage."
  apiVersion "The API version this object is written in: v1."
  kind "The type of object: Pod."
  metadata "Standard metadata: name, namespace, labels and annotations."
  spec "What the Pod runs: its containers and volumes, and how it is scheduled and restarted."
  status "What the system last saw of the Pod; written by the scheduler and the kubelet, not by you."
PodStatus "What the scheduler and the kubelet last saw of a Pod."
  phase "Where the Pod is in its life: Pending, Running, Succeeded, Failed or Unknown."
  conditions "The latest observations: PodScheduled, Initialized, ContainersReady and Ready."
  message "A sentence explaining the Pod's state."
  reason "A one-word reason for the Pod's state, such as Evicted."
  nominatedNodeName "The node the scheduler means to use once lower-priority Pods there have been pushed out."
  hostIP "The IP of the node the Pod runs on."
  hostIPs "The IPs of the node the Pod runs on."
  podIP "The Pod's IP address."
  podIPs "The Pod's IP addresses, one per IP family."
  startTime "When the kubelet took the Pod on."
  initContainerStatuses "The state of each init container."
  containerStatuses "The state of each container: running, waiting or terminated, whether it is ready, and how often it restarted."
  ephemeralContainerStatuses "The state of each ephemeral container."
  qosClass "The Pod's quality of service, from its requests and limits: Guaranteed, Burstable or BestEffort."
  resize "The state of a requested change of the containers' resources."
  resourceClaimStatuses "The resource claims made for the Pod."
  observedGeneration "The metadata.generation the kubelet has acted on."
""")
}
