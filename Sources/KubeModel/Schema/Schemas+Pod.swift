// PodSpec and everything below it (k8s.io/api/core/v1), as compact schema data.
let podSchemaSource = """
PodTemplateSpec "PodTemplateSpec describes the data a pod should have when created from a template"
  metadata ObjectMeta "Standard object's metadata."
  spec PodSpec "Specification of the desired behavior of the pod."
PodSpec "PodSpec is a description of a pod."
  volumes []Volume @name %retainKeys "List of volumes that can be mounted by containers belonging to the pod."
  initContainers []Container @name "List of initialization containers belonging to the pod."
  containers []Container! @name "List of containers belonging to the pod. Containers cannot currently be added or removed. There must be at least one container in a Pod. Cannot be updated."
  ephemeralContainers []any @name "List of ephemeral containers run in this pod."
  restartPolicy string "Restart policy for all containers within the pod. One of Always, OnFailure, Never. Default to Always."
  terminationGracePeriodSeconds int64 "Optional duration in seconds the pod needs to terminate gracefully. Defaults to 30 seconds."
  activeDeadlineSeconds int64
  dnsPolicy string "Set DNS policy for the pod. Defaults to \"ClusterFirst\"."
  nodeSelector map[string] "NodeSelector is a selector which must be true for the pod to fit on a node."
  serviceAccountName string "ServiceAccountName is the name of the ServiceAccount to use to run this pod."
  serviceAccount string "DeprecatedServiceAccount is a deprecated alias for ServiceAccountName."
  automountServiceAccountToken bool
  nodeName string "NodeName indicates in which node this pod is scheduled."
  hostNetwork bool
  hostPID bool
  hostIPC bool
  shareProcessNamespace bool
  securityContext *PodSecurityContext
  imagePullSecrets []LocalObjectReference @name
  hostname string
  subdomain string
  affinity *Affinity "If specified, the pod's scheduling constraints"
  schedulerName string "If specified, the pod will be dispatched by specified scheduler."
  tolerations []Toleration "If specified, the pod's tolerations."
  hostAliases []any @ip
  priorityClassName string
  priority int
  dnsConfig any
  readinessGates []any
  runtimeClassName string
  enableServiceLinks bool
  preemptionPolicy string
  overhead map[quantity]
  topologySpreadConstraints []TopologySpreadConstraint @topologyKey,whenUnsatisfiable
  setHostnameAsFQDN bool
  os any
  hostUsers bool
  schedulingGates []any @name
  resourceClaims []any @name
  resources *ResourceRequirements
Container "A single application container that you want to run within a pod."
  name string! "Name of the container specified as a DNS_LABEL."
  image string "Container image name."
  command []string "Entrypoint array. Not executed within a shell."
  args []string "Arguments to the entrypoint."
  workingDir string
  ports []ContainerPort @containerPort,protocol "List of ports to expose from the container."
  envFrom []EnvFromSource "List of sources to populate environment variables in the container."
  env []EnvVar @name "List of environment variables to set in the container."
  resources ResourceRequirements "Compute Resources required by this container."
  resizePolicy []any
  restartPolicy string
  volumeMounts []VolumeMount @mountPath "Pod volumes to mount into the container's filesystem."
  volumeDevices []any @devicePath
  livenessProbe Probe "Periodic probe of container liveness. Container will be restarted if the probe fails."
  readinessProbe Probe "Periodic probe of container service readiness."
  startupProbe Probe "StartupProbe indicates that the Pod has successfully initialized."
  lifecycle any
  terminationMessagePath string
  terminationMessagePolicy string
  imagePullPolicy string "Image pull policy. One of Always, Never, IfNotPresent."
  securityContext SecurityContext
  stdin bool
  stdinOnce bool
  tty bool
ContainerPort "ContainerPort represents a network port in a single container."
  name string
  hostPort int
  containerPort int! "Number of port to expose on the pod's IP address."
  protocol string =TCP "Protocol for port. Must be UDP, TCP, or SCTP. Defaults to \"TCP\"."
  hostIP string
EnvVar "EnvVar represents an environment variable present in a Container."
  name string! "Name of the environment variable."
  value string "Variable references $(VAR_NAME) are expanded using the previously defined environment variables."
  valueFrom EnvVarSource "Source for the environment variable's value."
EnvVarSource "EnvVarSource represents a source for the value of an EnvVar."
  fieldRef ObjectFieldSelector
  resourceFieldRef ResourceFieldSelector
  configMapKeyRef ConfigMapKeySelector "Selects a key of a ConfigMap."
  secretKeyRef SecretKeySelector "Selects a key of a secret in the pod's namespace"
ObjectFieldSelector %atomic
  apiVersion string
  fieldPath string!
ResourceFieldSelector %atomic
  containerName string
  resource string!
  divisor quantity
ConfigMapKeySelector %atomic
  name string
  key string!
  optional bool
SecretKeySelector %atomic "SecretKeySelector selects a key of a Secret."
  name string "Name of the referent."
  key string! "The key of the secret to select from. Must be a valid secret key."
  optional bool "Specify whether the Secret or its key must be defined"
EnvFromSource
  prefix string
  configMapRef LocalObjectReferenceOptional
  secretRef LocalObjectReferenceOptional
LocalObjectReferenceOptional
  name string
  optional bool
LocalObjectReference %atomic
  name string
ResourceRequirements "ResourceRequirements describes the compute resource requirements."
  limits map[quantity] "Limits describes the maximum amount of compute resources allowed."
  requests map[quantity] "Requests describes the minimum amount of compute resources required."
  claims []any @name
VolumeMount "VolumeMount describes a mounting of a Volume within a container."
  name string!
  readOnly bool
  recursiveReadOnly string
  mountPath string!
  subPath string
  mountPropagation string
  subPathExpr string
Volume "Volume represents a named volume in a pod that may be accessed by any container in the pod."
  name string!
  emptyDir EmptyDirVolumeSource
  hostPath HostPathVolumeSource
  configMap ConfigMapVolumeSource
  secret SecretVolumeSource
  persistentVolumeClaim any
  projected any
  downwardAPI any
  nfs any
  csi any
  ephemeral any
EmptyDirVolumeSource
  medium string
  sizeLimit quantity
HostPathVolumeSource
  path string!
  type string
KeyToPath
  key string!
  path string!
  mode int
ConfigMapVolumeSource
  name string
  items []KeyToPath
  defaultMode int
  optional bool
SecretVolumeSource
  secretName string
  items []KeyToPath
  defaultMode int
  optional bool
Probe "Probe describes a health check to be performed against a container."
  exec ExecAction
  httpGet HTTPGetAction "HTTPGet specifies an HTTP GET request to perform."
  tcpSocket TCPSocketAction
  grpc any
  initialDelaySeconds int "Number of seconds after the container has started before liveness probes are initiated."
  timeoutSeconds int "Number of seconds after which the probe times out. Defaults to 1 second."
  periodSeconds int "How often (in seconds) to perform the probe. Default to 10 seconds."
  successThreshold int
  failureThreshold int
  terminationGracePeriodSeconds int64
ExecAction
  command []string
HTTPGetAction
  path string
  port intstr!
  host string
  scheme string
  httpHeaders []any
TCPSocketAction
  port intstr!
  host string
PodSecurityContext
  runAsUser int64
  runAsGroup int64
  runAsNonRoot bool
  fsGroup int64
  supplementalGroups []int64
  fsGroupChangePolicy string
  seccompProfile any
  seLinuxOptions any
  sysctls []any
  windowsOptions any
  appArmorProfile any
  supplementalGroupsPolicy string
  seLinuxChangePolicy string
SecurityContext
  capabilities any
  privileged bool
  runAsUser int64
  runAsGroup int64
  runAsNonRoot bool
  readOnlyRootFilesystem bool
  allowPrivilegeEscalation bool
  seccompProfile any
  seLinuxOptions any
  windowsOptions any
  procMount string
  appArmorProfile any
Toleration
  key string
  operator string
  value string
  effect string
  tolerationSeconds int64
Affinity
  nodeAffinity any
  podAffinity any
  podAntiAffinity any
TopologySpreadConstraint
  maxSkew int!
  topologyKey string!
  whenUnsatisfiable string!
  labelSelector LabelSelector
  minDomains int
  nodeAffinityPolicy string
  nodeTaintsPolicy string
  matchLabelKeys []string
PodStatus
  phase string
  conditions []any @type
  message string
  reason string
  nominatedNodeName string
  hostIP string
  hostIPs []any
  podIP string
  podIPs []any @ip
  startTime time
  initContainerStatuses []any
  containerStatuses []any
  ephemeralContainerStatuses []any
  qosClass string
  resize string
  resourceClaimStatuses []any
  observedGeneration int64
Pod "Pod is a collection of containers that can run on a host."
  apiVersion string
  kind string
  metadata ObjectMeta
  spec PodSpec
  status PodStatus
"""
