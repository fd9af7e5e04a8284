import KubeModel
import Testing
@testable import Controllers

/// Templates compare as Kubernetes compares Go structs, so `kubectl rollout undo` finds the old
/// ReplicaSet whatever the stored form left out.
@Suite struct TemplateEqualityTests {
    let stored: JSONValue = [
        "metadata": ["labels": ["app": "web", "pod-template-hash": "544c4bf578"]],
        "spec": ["containers": [["name": "web", "image": "nginx:1.25"]]],
    ]

    @Test func absentResourcesEqualAnEmptyStruct() {
        // What kubectl 1.32 sends back on undo: Go always writes `resources: {}`, and no hash.
        let fromKubectl: JSONValue = [
            "metadata": ["labels": ["app": "web"]],
            "spec": ["containers": [["name": "web", "image": "nginx:1.25", "resources": .emptyObject]]],
        ]
        #expect(DeploymentUtil.equalIgnoreHash(stored, fromKubectl))
        let deployment: JSONValue = ["spec": ["template": fromKubectl]]
        #expect(DeploymentUtil.findNewReplicaSet(deployment, [["metadata": ["name": "web-544c4bf578"], "spec": ["template": stored]]])?.metaName == "web-544c4bf578")
    }

    @Test func realDifferencesStillDiffer() {
        var other = stored
        other.set(["spec", "containers"], [["name": "web", "image": "nginx:1.25", "resources": ["limits": ["cpu": "1"]]]])
        #expect(!DeploymentUtil.equalIgnoreHash(stored, other))
        other.set(["spec", "containers"], [["name": "web", "image": "nginx:1.26"]])
        #expect(!DeploymentUtil.equalIgnoreHash(stored, other))
    }
}
