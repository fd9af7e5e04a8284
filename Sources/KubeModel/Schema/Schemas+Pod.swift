// PodSpec and everything below it (k8s.io/api/core/v1), as compact schema data.
let podSchemaSource = """
PodTemplateSpec "PodTemplateSpec describes the data a pod should have when created from a template"
  metadata ObjectMeta #1 "Standard object's metadata."
  spec PodSpec #2 "Specification of the desired behavior of the pod."
PodSpec "PodSpec is a description of a pod."
  volumes []Volume @name %retainKeys #1 "List of volumes that can be mounted by containers belonging to the pod."
  initContainers []Container @name #20 "List of initialization containers belonging to the pod."
  containers []Container! @name #2 "List of containers belonging to the pod. Containers cannot currently be added or removed. There must be at least one container in a Pod. Cannot be updated."
  ephemeralContainers []any @name #34 "List of ephemeral containers run in this pod."
  restartPolicy string #3 "Restart policy for all containers within the pod. One of Always, OnFailure, Never. Default to Always."
  terminationGracePeriodSeconds *int64 #4 "Optional duration in seconds the pod needs to terminate gracefully. Defaults to 30 seconds."
  activeDeadlineSeconds *int64 #5
  dnsPolicy string #6 "Set DNS policy for the pod. Defaults to \"ClusterFirst\"."
  nodeSelector map[string] #7 "NodeSelector is a selector which must be true for the pod to fit on a node."
  serviceAccountName string #8 "ServiceAccountName is the name of the ServiceAccount to use to run this pod."
  serviceAccount string #9 "DeprecatedServiceAccount is a deprecated alias for ServiceAccountName."
  automountServiceAccountToken *bool #21
  nodeName string #10 "NodeName indicates in which node this pod is scheduled."
  hostNetwork bool #11
  hostPID bool #12
  hostIPC bool #13
  shareProcessNamespace *bool #27
  securityContext *PodSecurityContext #14
  imagePullSecrets []LocalObjectReference @name #15
  hostname string #16
  subdomain string #17
  affinity *Affinity #18 "If specified, the pod's scheduling constraints"
  schedulerName string #19 "If specified, the pod will be dispatched by specified scheduler."
  tolerations []Toleration #22 "If specified, the pod's tolerations."
  hostAliases []any @ip #23
  priorityClassName string #24
  priority *int #25
  dnsConfig any #26
  readinessGates []any #28
  runtimeClassName *string #29
  enableServiceLinks *bool #30
  preemptionPolicy *string #31
  overhead map[quantity] #32
  topologySpreadConstraints []TopologySpreadConstraint @topologyKey,whenUnsatisfiable #33
  setHostnameAsFQDN *bool #35
  os any #36
  hostUsers *bool #37
  schedulingGates []any @name #38
  resourceClaims []any @name #39
  resources *ResourceRequirements #40
Container "A single application container that you want to run within a pod."
  name string! #1 "Name of the container specified as a DNS_LABEL."
  image string #2 "Container image name."
  command []string #3 "Entrypoint array. Not executed within a shell."
  args []string #4 "Arguments to the entrypoint."
  workingDir string #5
  ports []ContainerPort @containerPort,protocol #6 "List of ports to expose from the container."
  envFrom []EnvFromSource #19 "List of sources to populate environment variables in the container."
  env []EnvVar @name #7 "List of environment variables to set in the container."
  resources ResourceRequirements #8 "Compute Resources required by this container."
  resizePolicy []any #23
  restartPolicy *string #24
  volumeMounts []VolumeMount @mountPath #9 "Pod volumes to mount into the container's filesystem."
  volumeDevices []any @devicePath #21
  livenessProbe Probe #10 "Periodic probe of container liveness. Container will be restarted if the probe fails."
  readinessProbe Probe #11 "Periodic probe of container service readiness."
  startupProbe Probe #22 "StartupProbe indicates that the Pod has successfully initialized."
  lifecycle any #12
  terminationMessagePath string #13
  terminationMessagePolicy string #20
  imagePullPolicy string #14 "Image pull policy. One of Always, Never, IfNotPresent."
  securityContext SecurityContext #15
  stdin bool #16
  stdinOnce bool #17
  tty bool #18
ContainerPort "ContainerPort represents a network port in a single container."
  name string #1
  hostPort int #2
  containerPort int! #3 "Number of port to expose on the pod's IP address."
  protocol string =TCP #4 "Protocol for port. Must be UDP, TCP, or SCTP. Defaults to \"TCP\"."
  hostIP string #5
EnvVar "EnvVar represents an environment variable present in a Container."
  name string! #1 "Name of the environment variable."
  value string #2 "Variable references $(VAR_NAME) are expanded using the previously defined environment variables."
  valueFrom EnvVarSource #3 "Source for the environment variable's value."
EnvVarSource "EnvVarSource represents a source for the value of an EnvVar."
  fieldRef ObjectFieldSelector #1
  resourceFieldRef ResourceFieldSelector #2
  configMapKeyRef ConfigMapKeySelector #3 "Selects a key of a ConfigMap."
  secretKeyRef SecretKeySelector #4 "Selects a key of a secret in the pod's namespace"
ObjectFieldSelector %atomic
  apiVersion string #1
  fieldPath string! #2
ResourceFieldSelector %atomic
  containerName string #1
  resource string! #2
  divisor quantity #3
ConfigMapKeySelector %atomic
  name string #1.1
  key string! #2
  optional *bool #3
SecretKeySelector %atomic "SecretKeySelector selects a key of a Secret."
  name string #1.1 "Name of the referent."
  key string! #2 "The key of the secret to select from. Must be a valid secret key."
  optional *bool #3 "Specify whether the Secret or its key must be defined"
EnvFromSource
  prefix string #1
  configMapRef LocalObjectReferenceOptional #2
  secretRef LocalObjectReferenceOptional #3
LocalObjectReferenceOptional
  name string #1.1
  optional *bool #2
LocalObjectReference %atomic
  name string #1
ResourceRequirements "ResourceRequirements describes the compute resource requirements."
  limits map[quantity] #1 "Limits describes the maximum amount of compute resources allowed."
  requests map[quantity] #2 "Requests describes the minimum amount of compute resources required."
  claims []any @name #3
VolumeMount "VolumeMount describes a mounting of a Volume within a container."
  name string! #1
  readOnly bool #2
  recursiveReadOnly *string #7
  mountPath string! #3
  subPath string #4
  mountPropagation *string #5
  subPathExpr string #6
Volume "Volume represents a named volume in a pod that may be accessed by any container in the pod."
  name string! #1
  emptyDir EmptyDirVolumeSource #2.2
  hostPath HostPathVolumeSource #2.1
  configMap ConfigMapVolumeSource #2.19
  secret SecretVolumeSource #2.6
  persistentVolumeClaim any #2.10
  projected any #2.26
  downwardAPI any #2.16
  nfs any #2.7
  csi any #2.28
  ephemeral any #2.29
EmptyDirVolumeSource
  medium string #1
  sizeLimit quantity #2
HostPathVolumeSource
  path string! #1
  type *string #2
KeyToPath
  key string! #1
  path string! #2
  mode *int #3
ConfigMapVolumeSource
  name string #1.1
  items []KeyToPath #2
  defaultMode *int #3
  optional *bool #4
SecretVolumeSource
  secretName string #1
  items []KeyToPath #2
  defaultMode *int #3
  optional *bool #4
Probe "Probe describes a health check to be performed against a container."
  exec ExecAction #1.1
  httpGet HTTPGetAction #1.2 "HTTPGet specifies an HTTP GET request to perform."
  tcpSocket TCPSocketAction #1.3
  grpc any #1.4
  initialDelaySeconds int #2 "Number of seconds after the container has started before liveness probes are initiated."
  timeoutSeconds int #3 "Number of seconds after which the probe times out. Defaults to 1 second."
  periodSeconds int #4 "How often (in seconds) to perform the probe. Default to 10 seconds."
  successThreshold int #5
  failureThreshold int #6
  terminationGracePeriodSeconds *int64 #7
ExecAction
  command []string #1
HTTPGetAction
  path string #1
  port intstr! #2
  host string #3
  scheme string #4
  httpHeaders []any #5
TCPSocketAction
  port intstr! #1
  host string #2
PodSecurityContext
  runAsUser *int64 #2
  runAsGroup *int64 #6
  runAsNonRoot *bool #3
  fsGroup *int64 #5
  supplementalGroups []int64 #4
  fsGroupChangePolicy *string #9
  seccompProfile any #10
  seLinuxOptions any #1
  sysctls []any #7
  windowsOptions any #8
  appArmorProfile any #11
  supplementalGroupsPolicy *string #12
  seLinuxChangePolicy *string #13
SecurityContext
  capabilities any #1
  privileged *bool #2
  runAsUser *int64 #4
  runAsGroup *int64 #8
  runAsNonRoot *bool #5
  readOnlyRootFilesystem *bool #6
  allowPrivilegeEscalation *bool #7
  seccompProfile any #11
  seLinuxOptions any #3
  windowsOptions any #10
  procMount *string #9
  appArmorProfile any #12
Toleration
  key string #1
  operator string #2
  value string #3
  effect string #4
  tolerationSeconds *int64 #5
Affinity
  nodeAffinity any #1
  podAffinity any #2
  podAntiAffinity any #3
TopologySpreadConstraint
  maxSkew int! #1
  topologyKey string! #2
  whenUnsatisfiable string! #3
  labelSelector LabelSelector #4
  minDomains *int #5
  nodeAffinityPolicy *string #6
  nodeTaintsPolicy *string #7
  matchLabelKeys []string #8
"""
