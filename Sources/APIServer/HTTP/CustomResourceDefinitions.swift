import KubeModel

/// kplane serves no custom resources and says so where kubectl asks: its CRD list is empty.
/// Before kubectl validates a manifest whose kind it cannot find in OpenAPI, it lists the CRDs
/// to tell a custom kind from a misspelt one; with that answer it goes on to report
/// `no matches for kind "Deploymnet" in version "apps/v1"`, as against any cluster.
enum CustomResourceDefinitions {
    static func isCollection(group: String, version: String, rest: [String]) -> Bool {
        group == "apiextensions.k8s.io" && version == "v1" && rest == ["customresourcedefinitions"]
    }

    static func list(resourceVersion: Int64) -> JSONValue {
        ["kind": "CustomResourceDefinitionList", "apiVersion": "apiextensions.k8s.io/v1",
         "metadata": ["resourceVersion": .string(String(resourceVersion))], "items": []]
    }
}
