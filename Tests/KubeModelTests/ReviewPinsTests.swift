import Testing
@testable import KubeModel

/// Behaviour that review questioned, pinned to what Kubernetes does.
@Suite struct ReviewPinsTests {
    /// Go's `base64.StdEncoding`: padded, standard alphabet, nothing else (Foundation alone
    /// would decode "====" to one zero byte).
    @Test func base64IsGosStdEncoding() {
        for n in 0...7 {
            let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 * 97 + 13) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
        #expect(Base64.encode(Array("hi".utf8)) == "aGk=")
        for bad in ["====", "aGk", "a===", "aG k", "ab!c", "aGk=\n"] { #expect(Base64.decode(bad) == nil, "\(bad)") }
    }

    /// `ValidateReplicaSetSpec` (pkg/apis/apps/validation) reuses the Deployment's wording.
    @Test func replicaSetWithAnEmptySelectorGetsKubernetesMessage() throws {
        let info = try #require(ResourceCatalog.find(group: "apps", version: "v1", plural: "replicasets"))
        let rs: JSONValue = [
            "apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": ["name": "web"],
            "spec": ["replicas": 1, "selector": .emptyObject,
                     "template": ["metadata": ["labels": ["app": "web"]], "spec": ["containers": [["name": "app", "image": "app:1"]]]]],
        ]
        let errors = Validation.validate(rs, old: nil, info: info).map(\.text)
        #expect(errors.contains { $0.hasPrefix("spec.selector: Invalid value: ") && $0.hasSuffix(": empty selector is invalid for deployment") }, "\(errors)")
    }
}
