// networking.k8s.io, coordination.k8s.io and discovery.k8s.io kinds, as compact schema data.
let networkingSchemaSource = """
Ingress "Ingress is a collection of rules that allow inbound connections to reach the endpoints defined by a backend."
  apiVersion string
  kind string
  metadata ObjectMeta
  spec IngressSpec
  status IngressStatus
IngressSpec "IngressSpec describes the Ingress the user wishes to exist."
  ingressClassName string
  defaultBackend *IngressBackend
  tls []IngressTLS
  rules []IngressRule "rules is a list of host rules used to configure the Ingress."
IngressTLS
  hosts []string
  secretName string
IngressRule
  host string
  http HTTPIngressRuleValue
HTTPIngressRuleValue
  paths []HTTPIngressPath!
HTTPIngressPath
  path string
  pathType string!
  backend IngressBackend!
IngressBackend
  service IngressServiceBackend
  resource any
IngressServiceBackend
  name string!
  port ServiceBackendPort
ServiceBackendPort
  name string
  number int
IngressStatus
  loadBalancer any
IngressClass "IngressClass represents the class of the Ingress, referenced by the Ingress Spec."
  apiVersion string
  kind string
  metadata ObjectMeta
  spec IngressClassSpec
IngressClassSpec
  controller string
  parameters any
Lease "Lease defines a lease concept."
  apiVersion string
  kind string
  metadata ObjectMeta
  spec LeaseSpec
LeaseSpec
  holderIdentity string
  leaseDurationSeconds int
  acquireTime time
  renewTime time
  leaseTransitions int
  strategy string
  preferredHolder string
EndpointSlice "EndpointSlice represents a subset of the endpoints that implement a service."
  apiVersion string
  kind string
  metadata ObjectMeta
  addressType string!
  endpoints []any
  ports []any
"""
