@testable import APIServer
import KubeModel
import Testing

/// The protobuf decoder reads any kind whose schema carries field numbers, not only the bodies
/// kubectl's typed creates send: bytes built by hand as `generated.pb.go` marshals them.
@Suite struct ProtobufSchemaTests {
    typealias P = HostileCorpus

    static func string(_ n: UInt64, _ s: String) -> [UInt8] { P.field(n, Array(s.utf8)) }
    static func varint(_ n: UInt64, _ v: UInt64) -> [UInt8] { P.varint(n << 3) + P.varint(v) }

    @Test func decodesAPodWithInlinedStructs() throws {
        let s = Self.string, v = Self.varint, f = P.field
        // env[0].valueFrom.configMapKeyRef embeds LocalObjectReference at 1; the probe embeds
        // ProbeHandler at 1; the volume embeds VolumeSource at 2.
        let container = s(1, "c") + s(2, "nginx:1.27") + f(6, v(3, 80)) + f(8, [])
            + f(7, s(1, "MODE") + f(3, f(3, f(1, s(1, "cm")) + s(2, "mode"))))
            + f(10, f(1, f(2, s(1, "/healthz") + f(2, v(1, 0) + v(2, 8080)))) + v(4, 5))
            + s(13, "") + v(16, 0)
        let spec = f(1, s(1, "scratch") + f(2, f(2, []))) + f(2, container) + v(4, 0) + s(3, "Always") + v(99, 1)
            + f(14, f(4, P.varint(1000) + P.varint(2000)))
        let body = P.envelope(f(1, s(1, "p1") + s(3, "default")) + f(2, spec), kind: "Pod")
        let pod = try ProtobufDecoding.decode(body, expected: "Pod")
        let expected: JSONValue = [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p1", "namespace": "default"],
            "spec": [
                "volumes": [["name": "scratch", "emptyDir": [:]]],
                "containers": [[
                    "name": "c", "image": "nginx:1.27", "ports": [["containerPort": 80]], "resources": [:],
                    "env": [["name": "MODE", "valueFrom": ["configMapKeyRef": ["name": "cm", "key": "mode"]]]],
                    "livenessProbe": ["httpGet": ["path": "/healthz", "port": 8080], "periodSeconds": 5],
                ]],
                "terminationGracePeriodSeconds": 0, "restartPolicy": "Always",
                "securityContext": ["supplementalGroups": [1000, 2000]],
            ],
        ]
        #expect(pod == expected)
    }

    @Test func decodesAnIngress() throws {
        let s = Self.string, v = Self.varint, f = P.field
        let backend = f(4, s(1, "web") + f(2, v(2, 80)))
        let rule = s(1, "a.example") + f(2, f(1, f(1, s(1, "/") + s(3, "Prefix") + f(2, backend))))
        let body = P.envelope(f(1, s(1, "i1")) + f(2, s(4, "nginx") + f(3, rule)) + f(3, f(1, [])),
                              kind: "Ingress", apiVersion: "networking.k8s.io/v1")
        let ing = try ProtobufDecoding.decode(body, expected: "Ingress")
        #expect(ing["spec"] == [
            "ingressClassName": "nginx",
            "rules": [["host": "a.example", "http": ["paths": [[
                "path": "/", "pathType": "Prefix", "backend": ["service": ["name": "web", "port": ["number": 80]]],
            ]]]]],
        ])
        #expect(ing["status"] == ["loadBalancer": [:]])
    }

    /// Go pointers keep an explicit zero (`replicas: 0`, `revisionHistoryLimit: 0`); other zero
    /// scalars are omitted as Go's JSON omits them.
    @Test func explicitZerosOfPointersAreKept() throws {
        let v = Self.varint, f = P.field
        let body = P.envelope(f(1, Self.string(1, "d")) + f(2, v(1, 0) + v(5, 0) + v(6, 0) + v(7, 0)),
                              kind: "Deployment", apiVersion: "apps/v1")
        let d = try ProtobufDecoding.decode(body, expected: "Deployment")
        #expect(d["spec"] == ["replicas": 0, "revisionHistoryLimit": 0])
        let unset = try ProtobufDecoding.decode(P.envelope(f(2, []), kind: "Deployment", apiVersion: "apps/v1"), expected: "Deployment")
        #expect(unset["spec"] == [:])
    }

    /// autoscaling/v1 and v2 HPAs are different messages: field 4 of the spec is
    /// targetCPUUtilizationPercentage in one and the metrics in the other.
    @Test func versionsDecodeAsTheSchemaTypeTheDefinitionNames() throws {
        let v = Self.varint, f = P.field
        // kubectl 1.32 `autoscale deployment myapp --min=2 --max=10 --cpu-percent=80` (protobuf-bodies.txt).
        let v1 = ProtobufDecodingTests.hex("6b3873000a290a0e6175746f7363616c696e672f76311217486f72697a6f6e74616c506f644175746f7363616c657212400a120a02683112001a0022002a0032003800420012240a1c0a0a4465706c6f796d656e7412056d796170701a07617070732f76311002180a20501a04180020001a002200")
        let hpa = try ProtobufDecoding.decode(v1, expected: "HorizontalPodAutoscaler")
        #expect(hpa["spec"] == [
            "scaleTargetRef": ["kind": "Deployment", "name": "myapp", "apiVersion": "apps/v1"],
            "minReplicas": 2, "maxReplicas": 10, "targetCPUUtilizationPercentage": 80,
        ])
        let metric = Self.string(1, "Resource") + f(4, Self.string(1, "cpu") + f(2, Self.string(1, "Utilization") + v(4, 60)))
        let v2 = P.envelope(f(2, v(3, 5) + f(4, metric)), kind: "HorizontalPodAutoscaler", apiVersion: "autoscaling/v2")
        #expect(try ProtobufDecoding.decode(v2, expected: "HorizontalPodAutoscaler")["spec"] == [
            "maxReplicas": 5,
            "metrics": [["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": 60]]]],
        ])
    }

    /// A field the schema holds as free-form JSON has no numbers below it: sent empty it is `{}`,
    /// sent with content it is a 415 rather than silently dropped.
    @Test func freeFormFieldsWithContentAreUnsupported() throws {
        let f = P.field
        let affinity = f(18, f(1, f(1, [])))
        let body = P.envelope(f(2, f(2, Self.string(1, "c")) + affinity), kind: "Pod")
        #expect(throws: APIError.self) { try ProtobufDecoding.decode(body, expected: "Pod") }
        do {
            _ = try ProtobufDecoding.decode(body, expected: "Pod")
        } catch {
            #expect(error.code == 415)
            #expect(error.message == "no protobuf decoding for field spec.affinity.nodeAffinity of kind Pod; send application/json")
        }
        let empty = P.envelope(f(2, f(18, f(1, []))), kind: "Pod")
        #expect(try ProtobufDecoding.decode(empty, expected: "Pod")["spec"] == ["affinity": ["nodeAffinity": [:]]])
    }
}
