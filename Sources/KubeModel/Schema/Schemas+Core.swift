// core/v1 kinds other than Pod, as compact schema data.
let coreSchemaSource = """
Namespace "Namespace provides a scope for Names."
  apiVersion string
  kind string
  metadata ObjectMeta
  spec NamespaceSpec
  status NamespaceStatus
NamespaceSpec
  finalizers []string
NamespaceStatus
  phase string
  conditions []Condition @type
ServicePort "ServicePort contains information on service's port."
  name string
  protocol string =TCP
  appProtocol string
  port int! "The port that will be exposed by this service."
  targetPort intstr "Number or name of the port to access on the pods targeted by the service."
  nodePort int
ServiceSpec "ServiceSpec describes the attributes that a user creates on a service."
  ports []ServicePort @port,protocol "The list of ports that are exposed by this service."
  selector map[string] "Route service traffic to pods with label keys and values matching this selector."
  clusterIP string
  clusterIPs []string
  type string "type determines how the Service is exposed. Defaults to ClusterIP."
  externalIPs []string
  sessionAffinity string
  loadBalancerIP string
  loadBalancerSourceRanges []string
  externalName string
  externalTrafficPolicy string
  healthCheckNodePort int
  publishNotReadyAddresses bool
  sessionAffinityConfig any
  ipFamilies []string
  ipFamilyPolicy string
  allocateLoadBalancerNodePorts bool
  loadBalancerClass string
  internalTrafficPolicy string
  trafficDistribution string
ServiceStatus
  loadBalancer any
  conditions []Condition @type
Service "Service is a named abstraction of software service (for example, mysql) consisting of local port that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy."
  apiVersion string
  kind string
  metadata ObjectMeta
  spec ServiceSpec
  status ServiceStatus
Endpoints "Endpoints is a collection of endpoints that implement the actual service."
  apiVersion string
  kind string
  metadata ObjectMeta
  subsets []any
ConfigMap "ConfigMap holds configuration data for pods to consume."
  apiVersion string
  kind string
  metadata ObjectMeta
  data map[string] "Data contains the configuration data."
  binaryData map[bytes]
  immutable bool
Secret "Secret holds secret data of a certain type."
  apiVersion string
  kind string
  metadata ObjectMeta
  data map[bytes] "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string."
  stringData map[string] "stringData allows specifying non-binary secret data in string form."
  type string "Used to facilitate programmatic handling of secret data."
  immutable bool
NodeSpec
  podCIDR string
  podCIDRs []string
  providerID string
  unschedulable bool
  taints []Taint
  configSource any
  externalID string
Taint
  key string!
  value string
  effect string!
  timeAdded time
NodeStatus
  capacity map[quantity]
  allocatable map[quantity]
  phase string
  conditions []Condition @type
  addresses []any @type
  daemonEndpoints any
  nodeInfo any
  images []any
  volumesInUse []string
  volumesAttached []any
  config any
  runtimeHandlers []any
  features any
Node "Node is a worker node in Kubernetes."
  apiVersion string
  kind string
  metadata ObjectMeta
  spec NodeSpec
  status NodeStatus
ObjectReference %atomic
  kind string
  namespace string
  name string
  uid string
  apiVersion string
  resourceVersion string
  fieldPath string
Event "Event is a report of an event somewhere in the cluster."
  apiVersion string
  kind string
  metadata ObjectMeta
  involvedObject ObjectReference!
  reason string
  message string
  source any
  firstTimestamp time
  lastTimestamp time
  count int
  type string
  eventTime time
  series any
  action string
  related *ObjectReference
  reportingComponent string
  reportingInstance string
ServiceAccount "ServiceAccount binds together a name, a principal that can be authenticated and authorized, and a set of secrets."
  apiVersion string
  kind string
  metadata ObjectMeta
  secrets []ObjectReference @name
  imagePullSecrets []LocalObjectReference
  automountServiceAccountToken bool
Binding "Binding ties one object to another; for example, a pod is bound to a node by a scheduler."
  apiVersion string
  kind string
  metadata ObjectMeta
  target ObjectReference!
"""
