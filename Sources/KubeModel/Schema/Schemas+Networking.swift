// networking.k8s.io, coordination.k8s.io and discovery.k8s.io kinds, as compact schema data.
let networkingSchemaSource = """
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
IngressClass "IngressClass represents the class of the Ingress, referenced by the Ingress Spec."
  apiVersion string
  kind string
  metadata ObjectMeta #1
  spec IngressClassSpec #2
IngressClassSpec
  controller string #1
  parameters any #2
Lease "Lease defines a lease concept."
  apiVersion string
  kind string
  metadata ObjectMeta #1
  spec LeaseSpec #2
LeaseSpec
  holderIdentity *string #1
  leaseDurationSeconds *int #2
  acquireTime time #3
  renewTime time #4
  leaseTransitions *int #5
  strategy *string #6
  preferredHolder *string #7
EndpointSlice "EndpointSlice represents a subset of the endpoints that implement a service."
  apiVersion string
  kind string
  metadata ObjectMeta #1
  addressType string! #4
  endpoints []any #2
  ports []any #3
"""
