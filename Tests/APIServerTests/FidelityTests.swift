import Foundation
import Testing
@testable import APIServer
@testable import KubeModel

/// kube-apiserver's answers, word for word, for the inputs real clients send.
@Suite struct FidelityTests {
    let secrets = resource("", "v1", "secrets")

    @Test func int32OverflowIsADecodeError() async throws {
        let api = try await newAPI()
        var d = deployment()
        d.set(["spec", "replicas"], 2147483648)
        let e = await apiError { _ = try await api.create(deployments, namespace: "default", body: d) }
        #expect(e?.code == 400)
        #expect(e?.message == "Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal number 2147483648 into Go struct field DeploymentSpec.spec.replicas of type int32")
    }

    @Test func negativeDurations() async throws {
        let api = try await newAPI()
        var d = deployment()
        d.set(["spec", "progressDeadlineSeconds"], -5)
        let e = await apiError { _ = try await api.create(deployments, namespace: "default", body: d) }
        #expect(e?.code == 422)
        #expect(e?.message == "Deployment.apps \"myapp\" is invalid: [spec.progressDeadlineSeconds: Invalid value: -5: must be greater than or equal to 0, spec.progressDeadlineSeconds: Invalid value: -5: must be greater than minReadySeconds]")
        // A negative grace period is accepted with kube-apiserver's warning, and treated as 1.
        var g = deployment("grace")
        g.set(["spec", "template", "spec", "terminationGracePeriodSeconds"], -1)
        let created = try await api.create(deployments, namespace: "default", body: g)
        #expect(created.warnings == ["spec.template.spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1"])
    }

    @Test func podNodeNameMustBeASubdomain() async throws {
        let api = try await newAPI()
        let pod: JSONValue = ["metadata": ["name": "p"], "spec": ["nodeName": "../../etc", "containers": [["name": "c", "image": "i"]]]]
        let e = await apiError { _ = try await api.create(pods, namespace: "default", body: pod) }
        #expect(e?.code == 422)
        #expect(e?.message == "Pod \"p\" is invalid: spec.nodeName: Invalid value: \"../../etc\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
    }

    @Test func serviceProtocolAndNodePort() async throws {
        let api = try await newAPI()
        func svc(_ type: String, _ port: JSONValue) -> JSONValue {
            ["metadata": ["name": "web"], "spec": ["type": .string(type), "selector": ["app": "web"], "ports": [port]]]
        }
        let icmp = await apiError { _ = try await api.create(services, namespace: "default", body: svc("ClusterIP", ["port": 80, "protocol": "ICMP"])) }
        #expect(icmp?.message == "Service \"web\" is invalid: spec.ports[0].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\"")
        let low = await apiError { _ = try await api.create(services, namespace: "default", body: svc("NodePort", ["port": 80, "nodePort": 5])) }
        #expect(low?.code == 422)
        #expect(low?.message == "Service \"web\" is invalid: spec.ports[0].nodePort: Invalid value: 5: provided port is not in the valid range. The range of valid ports is 30000-32767")
        let clusterIP = await apiError { _ = try await api.create(services, namespace: "default", body: svc("ClusterIP", ["port": 80, "nodePort": 30080])) }
        #expect(clusterIP?.message == "Service \"web\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'")
        let ok = try await api.create(services, namespace: "default", body: svc("NodePort", ["port": 80, "nodePort": 30080])).object
        #expect(ok[path: ["spec", "ports"]]?.arrayValue?.first?["nodePort"] == 30080)
    }

    @Test func createdServiceHasAnEmptyLoadBalancerStatus() async throws {
        let api = try await newAPI()
        let svc = try await api.create(services, namespace: "default", body: ["metadata": ["name": "web"], "spec": ["ports": [["port": 80]]]]).object
        #expect(svc["status"] == ["loadBalancer": .emptyObject])
        #expect(try api.get(services, namespace: "default", name: "web")["status"] == ["loadBalancer": .emptyObject])
    }

    @Test func configDataOverOneMebibyte() async throws {
        let api = try await newAPI()
        let big = String(repeating: "x", count: 1024 * 1024 + 1)
        let cm = await apiError { _ = try await api.create(configmaps, namespace: "default", body: ["metadata": ["name": "big"], "data": ["a": .string(big)]]) }
        #expect(cm?.code == 422)
        #expect(cm?.message == "ConfigMap \"big\" is invalid: []: Too long: may not be more than 1048576 bytes")
        #expect(cm?.details?["causes"] == [["reason": "FieldValueTooLong", "message": "Too long: may not be more than 1048576 bytes", "field": "[]"]])
        let secret = await apiError { _ = try await api.create(secrets, namespace: "default", body: ["metadata": ["name": "big"], "stringData": ["a": .string(big)]]) }
        #expect(secret?.message == "Secret \"big\" is invalid: data: Too long: may not be more than 1048576 bytes")
        // Exactly 1 MiB is allowed.
        _ = try await api.create(configmaps, namespace: "default", body: ["metadata": ["name": "max"], "data": ["a": .string(String(big.dropLast()))]])
    }

    @Test func hpaWithoutTargetDefaultsToEightyPercentCPU() async throws {
        let api = try await newAPI()
        // What `kubectl autoscale deployment myapp --max=5` sends.
        _ = try await api.create(hpaV1, namespace: "default", body: [
            "apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler", "metadata": ["name": "myapp"],
            "spec": ["scaleTargetRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": "myapp"], "maxReplicas": 5]])
        let v1 = try api.get(hpaV1, namespace: "default", name: "myapp")
        #expect(v1[path: ["spec", "targetCPUUtilizationPercentage"]] == 80)
        #expect(v1[path: ["spec", "minReplicas"]] == 1)
        let v2 = try api.get(hpaV2, namespace: "default", name: "myapp")
        #expect(v2[path: ["spec", "metrics"]] == [["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": 80]]]])
    }

    @Test func writesThatRenameOrMoveTheObject() async throws {
        let api = try await newAPI()
        let stored = try await api.create(configmaps, namespace: "default", body: ["metadata": ["name": "cfg"], "data": ["a": "1"]]).object
        let uid = stored[path: ["metadata", "uid"]]?.stringValue ?? ""
        // PUT: the body names another object, lives in another namespace, or is another incarnation.
        let renamed = await apiError { _ = try await api.update(configmaps, namespace: "default", name: "cfg", body: ["metadata": ["name": "other"]]) }
        #expect(renamed?.code == 400 && renamed?.message == "the name of the object (other) does not match the name on the URL (cfg)")
        let moved = await apiError { _ = try await api.update(configmaps, namespace: "default", name: "cfg", body: ["metadata": ["name": "cfg", "namespace": "kube-system"]]) }
        #expect(moved?.code == 400 && moved?.message == "the namespace of the object (kube-system) does not match the namespace on the URL (default)")
        let reborn = await apiError { _ = try await api.update(configmaps, namespace: "default", name: "cfg", body: ["metadata": ["name": "cfg", "uid": "other-uid"]]) }
        #expect(reborn?.code == 409 && reborn?.reason == "Conflict")
        #expect(reborn?.message == "Operation cannot be fulfilled on configmaps \"cfg\": StorageError: invalid object, Code: 4, Key: /registry/configmaps/default/cfg, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: other-uid, UID in object meta: \(uid)")
        // PATCH: the patched object is checked the same way; a new uid is an immutable field.
        let patchName = await apiError { _ = try await api.patch(configmaps, namespace: "default", name: "cfg", type: .merge, patch: ["metadata": ["name": "other"]]) }
        #expect(patchName?.code == 400 && patchName?.message == "the name of the object (other) does not match the name on the URL (cfg)")
        let patchNS = await apiError { _ = try await api.patch(configmaps, namespace: "default", name: "cfg", type: .merge, patch: ["metadata": ["namespace": "kube-system"]]) }
        #expect(patchNS?.code == 400 && patchNS?.message == "the namespace of the object (kube-system) does not match the namespace on the URL (default)")
        let patchUID = await apiError { _ = try await api.patch(configmaps, namespace: "default", name: "cfg", type: .json, patch: [["op": "replace", "path": "/metadata/uid", "value": "x"]]) }
        #expect(patchUID?.code == 422)
        #expect(patchUID?.message == "ConfigMap \"cfg\" is invalid: metadata.uid: Invalid value: \"x\": field is immutable")
        // Nothing changed, and a matching uid is fine.
        let same = try await api.update(configmaps, namespace: "default", name: "cfg", body: ["metadata": ["name": "cfg", "uid": .string(uid)], "data": ["a": "2"]]).object
        #expect(same[path: ["metadata", "uid"]] == .string(uid) && same["data"] == ["a": "2"])
    }

    @Test func resourceVersionMatch() async throws {
        let api = APIService(store: try Store(path: nil, historyLimit: 10))
        try await api.bootstrap()
        for i in 0..<30 { _ = try await api.create(configmaps, namespace: "default", body: ["metadata": ["name": .string("c\(i)")]]) }
        var o = ListOptions()
        o.resourceVersion = "2"
        o.resourceVersionMatch = "Exact"
        let old = await apiError { _ = try api.listBytes(configmaps, namespace: "default", options: o) }
        #expect(old?.code == 410 && old?.reason == "Expired" && old?.message == "The resourceVersion for the provided list is too old.")
        #expect(await apiError { _ = try api.list(configmaps, namespace: "default", options: o) }?.code == 410)
        o.resourceVersion = String(api.store.currentRevision)
        #expect(try api.list(configmaps, namespace: "default", options: o)["items"]?.arrayValue?.count == 30)
        // ValidateListOptions.
        var bad = ListOptions()
        bad.resourceVersionMatch = "Exact"
        let e = await apiError { try bad.validate(watch: false) }
        #expect(e?.code == 422)
        #expect(e?.message == "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided")
        #expect(e?.details?["name"] == nil && e?.details?["group"] == "meta.k8s.io")
        bad.resourceVersion = "0"
        #expect(await apiError { try bad.validate(watch: false) }?.message == "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"")
        bad.resourceVersionMatch = "Newest"
        #expect(await apiError { try bad.validate(watch: false) }?.message == "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Unsupported value: \"Newest\": supported values: \"Exact\", \"NotOlderThan\", \"\"")
    }

    @Test func anExactListShowsThePastAndAFutureRevisionTimesOut() async throws {
        let api = try await newAPI()
        _ = try await api.create(configmaps, namespace: "default", body: ["metadata": ["name": "a"], "data": ["v": "1"]])
        let before = String(api.store.currentRevision)
        _ = try await api.update(configmaps, namespace: "default", name: "a", body: ["metadata": ["name": "a"], "data": ["v": "2"]])
        _ = try await api.create(configmaps, namespace: "default", body: ["metadata": ["name": "b"]])
        var o = ListOptions()
        o.resourceVersion = before
        o.resourceVersionMatch = "Exact"
        let then = try api.list(configmaps, namespace: "default", options: o)
        #expect(then[path: ["metadata", "resourceVersion"]] == .string(before))
        #expect(then["items"]?.arrayValue?.map { $0[path: ["data", "v"]] } == ["1"])
        #expect(try api.listBytes(configmaps, namespace: "default", options: o) == JSONSerializer.serialize(then))
        // storage.NewTooLargeResourceVersionError.
        o.resourceVersion = String(api.store.currentRevision + 100)
        let future = await apiError { _ = try api.list(configmaps, namespace: "default", options: o) }
        #expect(future?.code == 504 && future?.reason == "Timeout")
        #expect(future?.message == "Timeout: Too large resource version: \(api.store.currentRevision + 100), current: \(api.store.currentRevision)")
        #expect(future?.details?["causes"]?.arrayValue?.first?["reason"] == "ResourceVersionTooLarge")
    }

    /// Pages of one list are one snapshot: writes between pages do not show, as with etcd3's
    /// paging; once the snapshot is compacted, the 410 carries a token to go on inconsistently.
    @Test func listPagesReadOneSnapshot() async throws {
        let api = APIService(store: try Store(path: nil, historyLimit: 20))
        try await api.bootstrap()
        for i in 0..<4 { _ = try await api.create(configmaps, namespace: "default", body: ["metadata": ["name": .string("c\(i)")]]) }
        var o = ListOptions()
        o.limit = 2
        let page1 = try api.list(configmaps, namespace: "default", options: o)
        let snapshot = page1[path: ["metadata", "resourceVersion"]]
        _ = try await api.delete(configmaps, namespace: "default", name: "c3")
        _ = try await api.create(configmaps, namespace: "default", body: ["metadata": ["name": "c4"]])
        o.continueToken = page1[path: ["metadata", "continue"]]?.stringValue ?? ""
        let page2 = try api.list(configmaps, namespace: "default", options: o)
        #expect(page2["items"]?.arrayValue?.compactMap { $0[path: ["metadata", "name"]]?.stringValue } == ["c2", "c3"])
        #expect(page2[path: ["metadata", "resourceVersion"]] == snapshot)
        #expect(page2[path: ["metadata", "continue"]] == nil)
        // Enough writes to compact the snapshot away.
        for i in 0..<25 { _ = try await api.create(configmaps, namespace: "default", body: ["metadata": ["name": .string("n\(i)")]]) }
        let gone = await apiError { _ = try api.list(configmaps, namespace: "default", options: o) }
        #expect(gone?.code == 410 && gone?.reason == "Expired" && gone?.message == APIService.continueTooOld)
        let inconsistent = try #require(gone?.continueToken)
        #expect(gone?.status[path: ["metadata", "continue"]] == .string(inconsistent))
        o.continueToken = inconsistent
        let rest = try api.list(configmaps, namespace: "default", options: o)
        #expect(rest["items"]?.arrayValue?.first?[path: ["metadata", "name"]] == "c2")
        #expect(rest[path: ["metadata", "resourceVersion"]] == .string(String(api.store.currentRevision)))
        o.continueToken = ContinueToken(rv: 0, key: "x").encode()
        #expect(await apiError { _ = try api.list(configmaps, namespace: "default", options: o) }?.message
            == "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
    }

    @Test func statusBodiesAreWrittenInGoFieldOrder() throws {
        let e = APIError.invalid(configmaps, "big", [.tooLong("[]", maxBytes: 1048576)])
        #expect(String(decoding: StatusEncoding.serialize(e.status), as: UTF8.self) == #"""
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"ConfigMap \"big\" is invalid: []: Too long: may not be more than 1048576 bytes","reason":"Invalid","details":{"name":"big","kind":"ConfigMap","causes":[{"reason":"FieldValueTooLong","message":"Too long: may not be more than 1048576 bytes","field":"[]"}]},"code":422}

            """#)
        let notFound = APIError.notFound(deployments, "x")
        #expect(String(decoding: StatusEncoding.serialize(notFound.status), as: UTF8.self)
            == "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"deployments.apps \\\"x\\\" not found\",\"reason\":\"NotFound\",\"details\":{\"name\":\"x\",\"group\":\"apps\",\"kind\":\"deployments\"},\"code\":404}\n")
    }

    @Test func queryBooleansAsApimachineryReadsThem() {
        for (text, value) in [("true", true), ("True", true), ("1", true), ("t", true), ("yes", true), ("", true),
                              ("false", false), ("False", false), ("FALSE", false), ("0", false)] {
            #expect(Query("/api/v1/pods?watch=\(text)").bool("watch") == value, "watch=\(text)")
        }
        #expect(Query("/api/v1/pods?watch").bool("watch"))
        #expect(!Query("/api/v1/pods").bool("watch"))
        #expect(Query("/api/v1/pods").optionalBool("sendInitialEvents") == nil)
    }

    @Test func bearerSchemeIsCaseInsensitive() {
        #expect(BearerToken.parse("Bearer abc") == "abc")
        #expect(BearerToken.parse("bearer abc") == "abc")
        #expect(BearerToken.parse("BEARER abc") == "abc")
        #expect(BearerToken.parse("  Bearer abc  ") == "abc")
        #expect(BearerToken.parse("Bearer abc extra") == "abc")
        #expect(BearerToken.parse("Bearer  abc") == nil)
        #expect(BearerToken.parse("Basic abc") == nil)
        #expect(BearerToken.parse("Bearer") == nil)
        #expect(BearerToken.parse(nil) == nil)
    }
}
