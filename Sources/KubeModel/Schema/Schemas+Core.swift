// core/v1's ObjectReference, which several kinds name, as compact schema data. Each kind's own
// types are in `Kinds/Schema+<Kind>.swift`.
let coreSchemaSource = """
ObjectReference %atomic
  kind string #1
  namespace string #2
  name string #3
  uid string #4
  apiVersion string #5
  resourceVersion string #6
  fieldPath string #7
"""
