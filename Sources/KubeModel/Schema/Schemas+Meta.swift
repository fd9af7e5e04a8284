// apimachinery's meta/v1 types, as compact schema data.
let metaSchemaSource = """
ObjectMeta "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create."
  name string #1 "Name must be unique within a namespace."
  generateName string #2 "GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided."
  namespace string #3 "Namespace defines the space within which each name must be unique."
  selfLink string #4
  uid string #5 "UID is the unique in time and space value for this object."
  resourceVersion string #6 "An opaque value that represents the internal version of this object."
  generation int64 #7 "A sequence number representing a specific generation of the desired state."
  creationTimestamp time #8 "CreationTimestamp is a timestamp representing the server time when this object was created."
  deletionTimestamp time #9 "DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted."
  deletionGracePeriodSeconds *int64 #10
  labels map[string] #11 "Map of string keys and values that can be used to organize and categorize objects."
  annotations map[string] #12 "Annotations is an unstructured key value map stored with a resource."
  ownerReferences []OwnerReference @uid #13 "List of objects depended by this object."
  finalizers []string %merge #14 "Must be empty before the object is deleted from the registry."
  managedFields []any #17
OwnerReference "OwnerReference contains enough information to let you identify an owning object."
  apiVersion string! #5 "API version of the referent."
  kind string! #1 "Kind of the referent."
  name string! #3 "Name of the referent."
  uid string! #4 "UID of the referent."
  controller *bool #6 "If true, this reference points to the managing controller."
  blockOwnerDeletion *bool #7
LabelSelector %atomic "A label selector is a label query over a set of resources."
  matchLabels map[string] #1 "matchLabels is a map of {key,value} pairs."
  matchExpressions []LabelSelectorRequirement #2 "matchExpressions is a list of label selector requirements. The requirements are ANDed."
LabelSelectorRequirement
  key string! #1
  operator string! #2
  values []string #3
ListMeta
  resourceVersion string #2
  continue string #3
  remainingItemCount *int64 #4
  selfLink string #1
DeleteOptions "DeleteOptions may be provided when deleting an API object."
  apiVersion string
  kind string
  gracePeriodSeconds *int64 #1
  preconditions Preconditions #2
  orphanDependents *bool #3
  propagationPolicy string #4
  dryRun []string #5
  ignoreStoreReadErrorWithClusterBreakingPotential bool #6
Preconditions
  uid *string #1
  resourceVersion *string #2
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
