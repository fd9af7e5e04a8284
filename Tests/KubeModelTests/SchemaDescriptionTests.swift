import Testing
@testable import KubeModel

/// `kubectl explain` reads these: every field of the kinds a learner meets first has a short
/// description, and every description names a real type and field.
@Suite struct SchemaDescriptionTests {
    static let seedKinds = ["Deployment", "ReplicaSet", "Pod", "Service", "Ingress", "HorizontalPodAutoscaler", "HorizontalPodAutoscalerV1",
                            "ConfigMap", "Secret", "Namespace"]

    /// The types reachable from the seed kinds, in the order met.
    static func reachable(_ registry: SchemaRegistry) -> [String] {
        var seen: [String] = []
        var pending = seedKinds
        while !pending.isEmpty {
            let name = pending.removeFirst()
            guard !seen.contains(name), let t = registry[name] else { continue }
            seen.append(name)
            for f in t.fieldOrder { if let ref = t.fields[f].flatMap({ referenced($0.type) }) { pending.append(ref) } }
        }
        return seen
    }

    static func referenced(_ t: SchemaType) -> String? {
        switch t {
        case .ref(let n): return n
        case .array(let e), .map(let e): return referenced(e)
        default: return nil
        }
    }

    @Test func everyFieldOfTheSeedKindsIsDescribed() {
        let registry = SchemaRegistry.shared
        let types = Self.reachable(registry)
        #expect(types.count > 70)
        var missing: [String] = []
        for name in types {
            guard let t = registry[name] else { continue }
            if t.description.isEmpty { missing.append(name) }
            for f in t.fieldOrder where (t.fields[f]?.description ?? "").isEmpty { missing.append("\(name).\(f)") }
        }
        #expect(missing.isEmpty, "no description: \(missing)")
    }

    @Test func descriptionsNameRealFieldsOnceAndAreOneShortSentence() {
        let registry = SchemaRegistry.shared
        var seen = Set<String>()
        for e in SchemaDescriptions.entries {
            let key = e.type + "." + (e.field ?? "")
            #expect(seen.insert(key).inserted, "described twice: \(key)")
            #expect(registry[e.type] != nil, "no type \(e.type)")
            if let f = e.field { #expect(registry[e.type]?.fields[f] != nil, "no field \(key)") }
            #expect(!e.text.isEmpty && e.text.count <= 160, "too long or empty: \(key)")
            #expect(!e.text.contains("\\\""), "escaped quote left in \(key)")
        }
    }

    @Test func theServedSchemaCarriesThem() {
        let spec = SchemaRegistry.shared["ServiceSpec"]
        #expect(spec?.fields["sessionAffinity"]?.description.hasPrefix("ClientIP sends a client to the same Pod") == true)
        #expect(SchemaRegistry.shared["ObjectMeta"]?.fields["uid"]?.description.isEmpty == false)
        // A field the schema describes itself and the learner text does not cover keeps its own.
        #expect(SchemaRegistry.shared["DeleteOptions"]?.description == "DeleteOptions may be provided when deleting an API object.")
    }
}
