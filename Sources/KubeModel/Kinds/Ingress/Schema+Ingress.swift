// The schema of networking.k8s.io/v1 Ingress: its own types, with their protobuf field numbers, and what
// `kubectl explain` says of them, written for someone learning Kubernetes. Types several kinds
// share (ObjectMeta, PodSpec, LabelSelector, Condition...) are in `Schema/`.
extension KindSchema {
    static let ingress = KindSchema(types: """
Ingress "Ingress is a collection of rules that allow inbound connections to reach the endpoints defined by a backend."
  apiVersion string
  kind string
  metadata ObjectMeta #1
  spec IngressSpec #2
  status IngressStatus #3
IngressSpec "IngressSpec describes the Ingress the user wishes to exist."
  ingressClassName *string #4
  defaultBackend *IngressBackend #1
  tls []IngressTLS #2
  rules []IngressRule #3 "rules is a list of host rules used to configure the Ingress."
IngressTLS
  hosts []string #1
  secretName string #2
IngressRule
  host string #1
  http HTTPIngressRuleValue #2.1
HTTPIngressRuleValue
  paths []HTTPIngressPath! #1
HTTPIngressPath
  path string #1
  pathType *string! #3
  backend IngressBackend! #2
IngressBackend
  service IngressServiceBackend #4
  resource any #3
IngressServiceBackend
  name string! #1
  port ServiceBackendPort #2
ServiceBackendPort
  name string #1
  number int #2
IngressStatus
  loadBalancer any #1
""", descriptions: """
Ingress "An Ingress routes HTTP and HTTPS traffic from outside the cluster to Services, by host name and path."
  apiVersion "The API group and version this object is written in: networking.k8s.io/v1."
  kind "The type of object: Ingress."
  metadata "Standard metadata: name, namespace, labels and annotations."
  spec "The routing rules and TLS settings."
  status "The address at which the Ingress is reached, once an ingress controller has set it up."
IngressSpec "The routing rules of an Ingress."
  ingressClassName "Which ingress controller serves this Ingress: the name of an IngressClass."
  defaultBackend "Where requests go that match no rule."
  tls "HTTPS settings: which hosts, and the Secret holding their certificate."
  rules "Routing rules by host and path; requests that match none go to defaultBackend."
IngressTLS "HTTPS for a set of hosts."
  hosts "The host names the certificate is for."
  secretName "The Secret (type kubernetes.io/tls) holding the certificate and its key."
IngressRule "Routes the requests for one host."
  host "The host name to match, such as shop.example.com (\"*.example.com\" matches one level of subdomain); empty matches every host."
  http "The paths of this host and where each goes."
HTTPIngressRuleValue "The HTTP paths of a host."
  paths "Paths and the backends they route to."
HTTPIngressPath "One path and where its requests go."
  path "The path to match, starting with \"/\"."
  pathType "How path matches: Prefix (whole path segments), Exact, or ImplementationSpecific (up to the controller)."
  backend "Where matching requests go."
IngressBackend "Where an Ingress sends requests: a Service's port, or another resource."
  service "A Service and one of its ports."
  resource "Another object in the namespace, such as a storage bucket; not together with service."
IngressServiceBackend "A Service and a port to send requests to."
  name "Name of the Service."
  port "The Service's port, by number or by name."
ServiceBackendPort "A port of a Service, by number or by name."
  name "The port's name, as the Service names it."
  number "The port's number."
IngressStatus "What the ingress controller last reported."
  loadBalancer "The addresses at which the Ingress is reached."
""")
}
