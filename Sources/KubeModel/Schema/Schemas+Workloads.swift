// autoscaling/v1 Scale, the scale subresource of several kinds, as compact schema data. Each kind's
// own types are in `Kinds/Schema+<Kind>.swift`.
let workloadSchemaSource = """
Scale "Scale represents a scaling request for a resource."
  apiVersion string
  kind string
  metadata ObjectMeta #1
  spec ScaleSpec #2
  status ScaleStatus #3
ScaleSpec
  replicas int #1 "replicas is the desired number of instances for the scaled object."
ScaleStatus
  replicas int! #1
  selector string #2
"""
