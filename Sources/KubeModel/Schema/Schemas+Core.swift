// core/v1 kinds other than Pod, as compact schema data.
let coreSchemaSource = """
Namespace "Namespace provides a scope for Names."
  apiVersion string
  kind string
  metadata ObjectMeta #1
  spec NamespaceSpec #2
  status NamespaceStatus #3
NamespaceSpec
  finalizers []string #1
NamespaceStatus
  phase string #1
  conditions []Condition @type #2
ServicePort "ServicePort contains information on service's port."
  name string #1
  protocol string =TCP #2
  appProtocol *string #6
  port int! #3 "The port that will be exposed by this service."
  targetPort intstr #4 "Number or name of the port to access on the pods targeted by the service."
  nodePort int #5
ServiceSpec "ServiceSpec describes the attributes that a user creates on a service."
  ports []ServicePort @port,protocol #1 "The list of ports that are exposed by this service."
  selector map[string] #2 "Route service traffic to pods with label keys and values matching this selector."
  clusterIP string #3
  clusterIPs []string #18
  type string #4 "type determines how the Service is exposed. Defaults to ClusterIP."
  externalIPs []string #5
  sessionAffinity string #7
  loadBalancerIP string #8
  loadBalancerSourceRanges []string #9
  externalName string #10
  externalTrafficPolicy string #11
  healthCheckNodePort int #12
  publishNotReadyAddresses bool #13
  sessionAffinityConfig any #14
  ipFamilies []string #19
  ipFamilyPolicy *string #17
  allocateLoadBalancerNodePorts *bool #20
  loadBalancerClass *string #21
  internalTrafficPolicy *string #22
  trafficDistribution *string #23
ServiceStatus
  loadBalancer any #1
  conditions []Condition @type #2
Service "Service is a named abstraction of software service (for example, mysql) consisting of local port that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy."
  apiVersion string
  kind string
  metadata ObjectMeta #1
  spec ServiceSpec #2
  status ServiceStatus #3
Endpoints "Endpoints is a collection of endpoints that implement the actual service."
  apiVersion string
  kind string
  metadata ObjectMeta #1
  subsets []any #2
ConfigMap "ConfigMap holds configuration data for pods to consume."
  apiVersion string
  kind string
  metadata ObjectMeta #1
  data map[string] #2 "Data contains the configuration data."
  binaryData map[bytes] #3
  immutable *bool #4
Secret "Secret holds secret data of a certain type."
  apiVersion string
  kind string
  metadata ObjectMeta #1
  data map[bytes] #2 "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string."
  stringData map[string] #4 "stringData allows specifying non-binary secret data in string form."
  type string #3 "Used to facilitate programmatic handling of secret data."
  immutable *bool #5
NodeSpec
  podCIDR string #1
  podCIDRs []string #7
  providerID string #3
  unschedulable bool #4
  taints []Taint #5
  configSource any #6
  externalID string #2
Taint
  key string! #1
  value string #2
  effect string! #3
  timeAdded time #4
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
Node "Node is a worker node in Kubernetes."
  apiVersion string
  kind string
  metadata ObjectMeta #1
  spec NodeSpec #2
  status NodeStatus #3
ObjectReference %atomic
  kind string #1
  namespace string #2
  name string #3
  uid string #4
  apiVersion string #5
  resourceVersion string #6
  fieldPath string #7
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
ServiceAccount "ServiceAccount binds together a name, a principal that can be authenticated and authorized, and a set of secrets."
  apiVersion string
  kind string
  metadata ObjectMeta #1
  secrets []ObjectReference @name #2
  imagePullSecrets []LocalObjectReference #3
  automountServiceAccountToken *bool #4
Binding "Binding ties one object to another; for example, a pod is bound to a node by a scheduler."
  apiVersion string
  kind string
  metadata ObjectMeta #1
  target ObjectReference! #2
"""
