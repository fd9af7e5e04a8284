// apimachinery's meta/v1 types, as compact schema data.
let metaSchemaSource = """
ObjectMeta "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create."
  name string "Name must be unique within a namespace."
  generateName string "GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided."
  namespace string "Namespace defines the space within which each name must be unique."
  selfLink string
  uid string "UID is the unique in time and space value for this object."
  resourceVersion string "An opaque value that represents the internal version of this object."
  generation int64 "A sequence number representing a specific generation of the desired state."
  creationTimestamp time "CreationTimestamp is a timestamp representing the server time when this object was created."
  deletionTimestamp time "DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted."
  deletionGracePeriodSeconds int64
  labels map[string] "Map of string keys and values that can be used to organize and categorize objects."
  annotations map[string] "Annotations is an unstructured key value map stored with a resource."
  ownerReferences []OwnerReference @uid "List of objects depended by this object."
  finalizers []string %merge "Must be empty before the object is deleted from the registry."
  managedFields []any
OwnerReference "OwnerReference contains enough information to let you identify an owning object."
  apiVersion string! "API version of the referent."
  kind string! "Kind of the referent."
  name string! "Name of the referent."
  uid string! "UID of the referent."
  controller bool "If true, this reference points to the managing controller."
  blockOwnerDeletion bool
LabelSelector %atomic "A label selector is a label query over a set of resources."
  matchLabels map[string] "matchLabels is a map of {key,value} pairs."
  matchExpressions []LabelSelectorRequirement "matchExpressions is a list of label selector requirements. The requirements are ANDed."
LabelSelectorRequirement
  key string!
  operator string!
  values []string
ListMeta
  resourceVersion string
  continue string
  remainingItemCount int64
  selfLink string
DeleteOptions "DeleteOptions may be provided when deleting an API object."
  apiVersion string
  kind string
  gracePeriodSeconds int64
  preconditions Preconditions
  orphanDependents bool
  propagationPolicy string
  dryRun []string
  ignoreStoreReadErrorWithClusterBreakingPotential bool
Preconditions
  uid string
  resourceVersion string
Condition
  type string!
  status string!
  observedGeneration int64
  lastTransitionTime time
  lastUpdateTime time
  lastProbeTime time
  lastHeartbeatTime time
  reason string
  message string
"""
