import Foundation
import Testing
@testable import KubeModel

/// A kind's one definition drives its resource identity, defaults, validation, field
/// selectors and table; the built-in list keeps discovery's order.
@Suite struct KindDefinitionTests {
    let widget = KindDefinition.widget.resources[0]

    @Test func identityDerivesFromTheDefinition() {
        #expect(widget.groupVersion == "example.kplane.dev/v1")
        #expect(widget.qualifiedPlural == "widgets.example.kplane.dev")
        #expect(widget.storageKey == "widgets.example.kplane.dev")
        #expect(widget.singular == "widget")
        #expect(widget.shortNames == ["wd"] && widget.categories == ["all"] && widget.hasStatus)
        #expect(widget.definition.resetsStatus && widget.definition.hasGeneration)
    }

    @Test func defaultsAndValidationComeFromTheKind() {
        var obj: JSONValue = ["metadata": ["name": "w1"], "spec": ["size": -2]]
        widget.definition.defaults?(&obj)
        #expect(obj[path: ["spec", "color"]] == "blue")
        #expect(Validation.validate(obj, old: nil, info: widget).map(\.text) == ["spec.size: Invalid value: -2: must be greater than or equal to 0"])
        var changed = obj
        changed.set(["spec", "size"], 1)
        changed.set(["spec", "color"], "red")
        #expect(Validation.validate(changed, old: obj, info: widget).map(\.text) == ["spec.color: Invalid value: \"red\": field is immutable"])
        var badName = changed
        badName.set(["metadata", "name"], "Not_A_Name")
        #expect(Validation.validate(badName, old: nil, info: widget).first?.field == "metadata.name")
    }

    @Test func fieldSelectorsAndColumns() {
        let obj: JSONValue = ["metadata": ["name": "w1", "namespace": "ns", "creationTimestamp": "2026-01-01T00:00:00Z"],
                              "spec": ["size": 3, "color": "red"]]
        #expect(widget.definition.fieldSelectors.map(\.name) == ["metadata.name", "metadata.namespace", "spec.color"])
        #expect(widget.definition.fieldSelectors.map { $0.value(in: obj) } == ["w1", "ns", "red"])
        let printer = widget.definition.printer
        #expect(printer.columns.map(\.name) == ["Name", "Size", "Color", "Age"])
        let now = Date(timeIntervalSince1970: 1_767_225_600 + 90)
        #expect(printer.cells(obj, TableRowContext(now: now)) == ["w1", 3, "red", "90s"])
    }

    @Test func builtinKindsKeepDiscoveryOrderAndRules() {
        #expect(ResourceCatalog.all.map(\.qualifiedPlural) == [
            "namespaces", "pods", "services", "endpoints", "configmaps", "secrets", "nodes", "events", "serviceaccounts", "bindings",
            "deployments.apps", "replicasets.apps", "ingresses.networking.k8s.io", "ingressclasses.networking.k8s.io",
            "horizontalpodautoscalers.autoscaling", "horizontalpodautoscalers.autoscaling", "leases.coordination.k8s.io",
            "endpointslices.discovery.k8s.io", "nodes.metrics.k8s.io", "pods.metrics.k8s.io",
        ])
        #expect(ResourceCatalog.all.filter(\.definition.hasGeneration).map(\.kind) == [
            "Pod", "Service", "Deployment", "ReplicaSet", "Ingress", "HorizontalPodAutoscaler", "HorizontalPodAutoscaler",
        ])
        #expect(ResourceCatalog.all.filter { $0.hasStatus && !$0.definition.resetsStatus }.map(\.kind) == ["Namespace", "Node"])
        #expect(ResourceCatalog.find(group: "autoscaling", version: "v1", plural: "horizontalpodautoscalers")?.schemaType == "HorizontalPodAutoscalerV1")
    }

    /// The kind's schema joins the shared types, with its descriptions, and its field numbers
    /// are all the protobuf decoder needs.
    @Test func schemaRegistersAndDecodesFromProtobuf() throws {
        let registry = SchemaRegistry(kinds: Kinds.builtin + [.widget])
        #expect(SchemaRegistry.shared["Widget"] == nil && registry["Deployment"] != nil)
        #expect(registry["Widget"]?.description == "A Widget is an example kind.")
        #expect(registry["WidgetSpec"]?.fields["size"]?.description == "How big. Must not be negative.")
        #expect(registry.field(in: "Widget", path: ["metadata", "name"]) != nil)
        #expect(registry["WidgetSpec"]?.fields["size"]?.protobuf == [1])

        func field(_ n: UInt8, _ bytes: [UInt8]) -> [UInt8] { [n << 3 | 2, UInt8(bytes.count)] + bytes }
        let spec: [UInt8] = [0x08, 0x00] + field(2, Array("red".utf8)) + field(3, field(1, Array("k".utf8)) + field(2, Array("v".utf8)))
        let body = field(1, field(1, Array("w1".utf8))) + field(2, spec) + field(3, [])
        let widget = try ProtobufMessages(registry).decode(body, as: "Widget")
        #expect(widget == ["metadata": ["name": "w1"], "spec": ["size": 0, "color": "red", "labels": ["k": "v"]], "status": [:]])
        #expect(!ProtobufMessages.shared.decodes("Widget"))
    }

    /// Every built-in kind's schema type, in every served version, decodes from protobuf.
    @Test func everyBuiltinKindHasFieldNumbers() {
        #expect(ResourceCatalog.all.filter { !ProtobufMessages.shared.decodes($0.schemaType) }.map(\.kind) == [])
    }
}
