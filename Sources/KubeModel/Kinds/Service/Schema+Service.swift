// The schema of core/v1 Service: its own types, with their protobuf field numbers, and what
// `kubectl explain` says of them, written for someone learning Kubernetes. Types several kinds
// share (ObjectMeta, PodSpec, LabelSelector, Condition...) are in `Schema/`.
extension KindSchema {
    static let service = KindSchema(types: """
Service "Service is a named abstraction of software service (for example, mysql) consisting of local port that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy."
  apiVersion string
  kind string
  metadata ObjectMeta #1
  spec ServiceSpec #2
  status ServiceStatus #3
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
ServicePort "ServicePort contains information on service's port."
  name string #1
  protocol string =TCP #2
  appProtocol *string #6
  port int! #3 "The port that will be exposed by this service."
  targetPort intstr #4 "Number or name of the port to access on the pods targeted by the service."
  nodePort int #5
ServiceStatus
  loadBalancer any #1
  conditions []Condition @type #2
""", descriptions: """
Service "A Service gives a set of Pods one stable name and address, and spreads the traffic sent to it over them."
  apiVersion "The API version this object is written in: v1."
  kind "The type of object: Service."
  metadata "Standard metadata: name, namespace, labels and annotations."
  spec "Which Pods get the traffic, on which ports, and how the Service is reached."
  status "What the system last saw, such as a load balancer's address."
ServiceSpec "What a Service exposes, and to which Pods it sends the traffic."
  ports "The ports the Service exposes."
  selector "Labels of the Pods that get the traffic. Without a selector, you manage the endpoints yourself."
  clusterIP "The Service's virtual IP inside the cluster: given by the system when empty; \"None\" makes a headless Service. Cannot change."
  clusterIPs "The Service's cluster IPs, one per IP family; the first is clusterIP."
  type "How the Service is reached: ClusterIP (inside the cluster, the default), NodePort, LoadBalancer or ExternalName."
  externalIPs "IPs outside the cluster at which the nodes also accept traffic for this Service."
  sessionAffinity "ClientIP sends a client to the same Pod every time; None (the default) spreads its connections."
  loadBalancerIP "Deprecated: the IP to ask the cloud's load balancer for."
  loadBalancerSourceRanges "Client IP ranges (CIDRs) a cloud load balancer lets through."
  externalName "The DNS name an ExternalName Service stands for (a CNAME record)."
  externalTrafficPolicy "Cluster (any node forwards to any Pod) or Local (only to Pods on the node that got the traffic, which keeps the client's IP)."
  healthCheckNodePort "The node port a cloud load balancer checks when externalTrafficPolicy is Local."
  publishNotReadyAddresses "If true, Pods are listed in DNS and endpoints even before they are ready."
  sessionAffinityConfig "Settings of session affinity, such as how long a client stays with its Pod."
  ipFamilies "The IP families of the Service: IPv4, IPv6, or both."
  ipFamilyPolicy "SingleStack, PreferDualStack or RequireDualStack."
  allocateLoadBalancerNodePorts "Whether a LoadBalancer Service also gets node ports. Defaults to true."
  loadBalancerClass "Which load balancer implementation serves a LoadBalancer Service; empty means the cloud's own."
  internalTrafficPolicy "For traffic from inside the cluster: Cluster (any Pod, the default) or Local (only Pods on the same node)."
  trafficDistribution "A preference for where traffic goes, such as PreferClose to keep it near the client."
ServicePort "One port a Service exposes, and where its traffic goes."
  name "The port's name, unique in the Service; needed when there is more than one port."
  protocol "TCP (the default), UDP or SCTP."
  appProtocol "The application protocol on this port, such as http, as a hint for proxies."
  port "The port the Service listens on, at its cluster IP."
  targetPort "The port on the Pods that gets the traffic: a number, or the name of a container port. Defaults to port."
  nodePort "The port opened on every node for NodePort and LoadBalancer Services (30000-32767); chosen for you when empty."
ServiceStatus "What the system last saw of a Service."
  loadBalancer "The addresses of the Service's load balancer, for type LoadBalancer."
  conditions "The latest observations of the Service's state."
""")
}
