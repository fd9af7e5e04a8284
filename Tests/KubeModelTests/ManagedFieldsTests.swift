import Foundation
import Testing
@testable import KubeModel

/// Field ownership as kube-apiserver's field manager keeps it (structured-merge-diff).
@Suite struct ManagedFieldsTests {
    func json(_ s: String) throws -> JSONValue { try JSONParser.parse(Array(s.utf8)) }

    func manager(_ time: String = "2026-01-01T00:00:00Z") -> FieldManager {
        FieldManager(typeName: "Deployment", apiVersion: "apps/v1", resetFields: FieldSet([["f:status"]]), now: time)
    }

    /// What `kubectl create deployment nginx --image=nginx` sends, defaulted as the server does.
    func created() throws -> JSONValue {
        var d = try json("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"nginx","labels":{"app":"nginx"}},
             "spec":{"replicas":1,"selector":{"matchLabels":{"app":"nginx"}},"strategy":{},
              "template":{"metadata":{"labels":{"app":"nginx"}},"spec":{"containers":[{"name":"nginx","image":"nginx","resources":{}}]}}}}
            """)
        Defaults.apply(kind: "Deployment", &d)
        return d
    }

    func entries(_ e: [ManagedFieldsEntry]) -> JSONValue { ManagedFieldsEntry.encode(e) ?? .null }

    @Test func createOwnsWhatTheCreatorSentAndTheDefaults() throws {
        let e = manager().update(live: nil, new: try created(), manager: "kubectl-create")
        #expect(e.count == 1)
        // The entry of a real `kubectl create deployment`, key for key.
        let expected = try json("""
            {"f:metadata":{"f:labels":{".":{},"f:app":{}}},
             "f:spec":{"f:progressDeadlineSeconds":{},"f:replicas":{},"f:revisionHistoryLimit":{},"f:selector":{},
              "f:strategy":{"f:rollingUpdate":{".":{},"f:maxSurge":{},"f:maxUnavailable":{}},"f:type":{}},
              "f:template":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},
               "f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":{".":{},"f:image":{},"f:imagePullPolicy":{},"f:name":{},"f:resources":{},
                 "f:terminationMessagePath":{},"f:terminationMessagePolicy":{}}},
                "f:dnsPolicy":{},"f:restartPolicy":{},"f:schedulerName":{},"f:securityContext":{},"f:terminationGracePeriodSeconds":{}}}}}
            """)
        #expect(e[0].fields.fieldsV1 == expected)
        #expect(e[0].json["manager"] == "kubectl-create" && e[0].json["operation"] == "Update" && e[0].json["apiVersion"] == "apps/v1")
        #expect(e[0].json["time"] == "2026-01-01T00:00:00Z" && e[0].json["fieldsType"] == "FieldsV1" && e[0].json["subresource"] == nil)
    }

    @Test func theCreateFastPathMatchesTheGeneralOne() throws {
        let pod = try json("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"a":"b"},"annotations":{"x":"y"}},
             "spec":{"containers":[{"name":"app","image":"app:1","ports":[{"containerPort":80},{"containerPort":53,"protocol":"UDP"}],
               "env":[{"name":"A","value":"1"},{"name":"B","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}],
               "resources":{"limits":{"cpu":"1"}},"volumeMounts":[{"name":"v","mountPath":"/v"}]}],
               "volumes":[{"name":"v","emptyDir":{}}],"tolerations":[{"key":"k","operator":"Exists"}],"nodeSelector":{"n":"1"}},
             "status":{"phase":"Pending"}}
            """)
        let service = try json(#"{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"ports":[{"port":80,"targetPort":8080}],"selector":{"app":"s"},"type":"ClusterIP"}}"#)
        let configMap = try json(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"generateName":"c-","finalizers":["f"]},"data":{"k":"v"},"binaryData":{}}"#)
        func core(_ type: String, status: Bool = true) -> FieldManager {
            FieldManager(typeName: type, apiVersion: "v1", resetFields: status ? FieldSet([["f:status"]]) : FieldSet(), now: "2026-01-01T00:00:00Z")
        }
        for (fm, obj) in [(manager(), try created()), (core("Pod"), pod), (core("Service"), service), (core("ConfigMap", status: false), configMap)] {
            #expect(fm.created(obj, manager: "m") == ManagedFieldsEntry.encode(fm.update(live: nil, new: obj, manager: "m")), "\(obj["kind"] ?? "")")
        }
    }

    @Test func fieldsV1RoundTripsWithDotForMembersThatHaveChildren() throws {
        let v = try json(#"{"f:spec":{"f:ports":{".":{},"k:{\"port\":80,\"protocol\":\"TCP\"}":{".":{},"f:port":{}}}}}"#)
        let set = try #require(FieldSet(fieldsV1: v))
        #expect(set.contains(["f:spec", "f:ports"]))
        #expect(set.contains(["f:spec", "f:ports", #"k:{"port":80,"protocol":"TCP"}"#, "f:port"]))
        #expect(!set.contains(["f:spec"]))
        #expect(set.fieldsV1 == v)
        #expect(FieldSet(fieldsV1: ["x:bad": .emptyObject]) == nil)
        #expect(FieldPath.describe(["f:spec", "f:ports", #"k:{"port":80,"protocol":"TCP"}"#, "f:port"]) == #".spec.ports[port=80,protocol="TCP"].port"#)
    }

    @Test func listKeysTakeTheirDefaultsWhenTheItemOmitsThem() throws {
        let config = try json("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"template":{"spec":{"containers":[
              {"name":"app","ports":[{"containerPort":80}]}]}}}}
            """)
        let set = FieldSet(of: config, typeName: "Deployment")
        #expect(set.contains(["f:spec", "f:template", "f:spec", "f:containers", #"k:{"name":"app"}"#, "f:ports", #"k:{"containerPort":80,"protocol":"TCP"}"#, "f:containerPort"]))
        #expect(!set.contains(["f:spec", "f:template", "f:spec", "f:containers", #"k:{"name":"app"}"#, "f:ports", #"k:{"containerPort":80,"protocol":"TCP"}"#, "f:protocol"]))
    }

    func applyConfig(replicas: Int64, labels: [String: JSONValue] = ["app": "web"]) -> JSONValue {
        ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "labels": .object(labels)],
         "spec": ["replicas": .int(replicas), "selector": ["matchLabels": ["app": "web"]],
                  "template": ["metadata": ["labels": ["app": "web"]], "spec": ["containers": [["name": "app", "image": "nginx"]]]]]]
    }

    /// Applies as the server would store it: the entries in `metadata.managedFields`.
    func stored(_ a: FieldManager.Applied) -> JSONValue {
        var o = a.object
        o.set(["metadata", "managedFields"], ManagedFieldsEntry.encode(a.entries))
        return o
    }

    @Test func reapplyingAFieldAnotherManagerChangedIsAConflictUnlessForced() throws {
        let fm = manager()
        let first = stored(try fm.apply(live: nil, config: applyConfig(replicas: 3), kind: "Deployment", manager: "kubectl", force: false))
        // `kubectl scale`: the scale subresource takes spec.replicas.
        var scaled = first
        scaled.set(["spec", "replicas"], 5)
        let afterScale = FieldManager.scaled(ManagedFieldsEntry.decode(first[path: ["metadata", "managedFields"]]) ?? [], by: "kubectl",
                                             replicasChanged: true, apiVersion: "apps/v1")
        scaled.set(["metadata", "managedFields"], ManagedFieldsEntry.encode(afterScale))
        let scaleEntry = try #require(afterScale.first { $0.subresource == "scale" })
        #expect(scaleEntry.json == ["manager": "kubectl", "operation": "Update", "apiVersion": "apps/v1", "subresource": "scale",
                                    "fieldsType": "FieldsV1", "fieldsV1": ["f:spec": ["f:replicas": .emptyObject]]])
        do {
            _ = try fm.apply(live: scaled, config: applyConfig(replicas: 4), kind: "Deployment", manager: "kubectl", force: false)
            Issue.record("expected a conflict")
        } catch .conflicts(let c) {
            #expect(c.message == #"Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas"#)
            #expect(c.causes == [["reason": "FieldManagerConflict", "message": #"conflict with "kubectl" with subresource "scale" using apps/v1"#, "field": ".spec.replicas"]])
        } catch {
            Issue.record("unexpected \(error)")
        }
        // The same value is no conflict: both own it.
        let same = try fm.apply(live: scaled, config: applyConfig(replicas: 5), kind: "Deployment", manager: "kubectl", force: false)
        #expect(same.entries.filter { $0.fields.contains(["f:spec", "f:replicas"]) }.count == 2)
        // Forced, the applier takes it from the scaler, whose entry goes.
        let forced = try fm.apply(live: scaled, config: applyConfig(replicas: 4), kind: "Deployment", manager: "kubectl", force: true)
        #expect(forced.object[path: ["spec", "replicas"]] == 4)
        #expect(forced.entries.count == 1 && forced.entries[0].fields.contains(["f:spec", "f:replicas"]))
    }

    @Test func fieldsAnApplierStopsApplyingGoUnlessSomeoneElseOwnsThem() throws {
        let fm = manager()
        let first = stored(try fm.apply(live: nil, config: applyConfig(replicas: 1, labels: ["app": "web", "tier": "front", "team": "a"]),
                                        kind: "Deployment", manager: "kubectl", force: false))
        // kubectl label takes `team` by changing it.
        var labelled = first
        labelled.set(["metadata", "labels", "team"], "b")
        let e = fm.update(live: first, new: labelled, manager: "kubectl-label")
        labelled.set(["metadata", "managedFields"], ManagedFieldsEntry.encode(e))
        let label = try #require(e.first { $0.manager == "kubectl-label" })
        #expect(label.fields.fieldsV1 == ["f:metadata": ["f:labels": ["f:team": .emptyObject]]])
        let again = try fm.apply(live: labelled, config: applyConfig(replicas: 1, labels: ["app": "web"]), kind: "Deployment", manager: "kubectl", force: false)
        #expect(again.object[path: ["metadata", "labels"]] == ["app": "web", "team": "b"])
    }

    @Test func conflictsWithSeveralManagersAreGroupedByManager() throws {
        let fm = manager()
        let first = stored(try fm.apply(live: nil, config: applyConfig(replicas: 1), kind: "Deployment", manager: "a", force: false))
        // A second applier of the same values co-owns them.
        let shared = stored(try fm.apply(live: first, config: applyConfig(replicas: 1), kind: "Deployment", manager: "c", force: false))
        do {
            _ = try fm.apply(live: shared, config: applyConfig(replicas: 3, labels: ["app": "y"]), kind: "Deployment", manager: "b", force: false)
            Issue.record("expected conflicts")
        } catch .conflicts(let c) {
            #expect(c.message == """
                Apply failed with 4 conflicts: conflicts with "a":
                - .metadata.labels.app
                - .spec.replicas
                conflicts with "c":
                - .metadata.labels.app
                - .spec.replicas
                """)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func clientSideApplyUpgradesWithoutConflictsForKubectl() throws {
        let fm = manager()
        var config = applyConfig(replicas: 3)
        let lastApplied = JSONSerializer.string(config) + "\n"
        config.set(["metadata", "annotations"], [FieldManager.lastAppliedAnnotation: .string(lastApplied)])
        let e = fm.update(live: nil, new: config, manager: "kubectl-client-side-apply")
        var live = config
        live.set(["metadata", "managedFields"], ManagedFieldsEntry.encode(e))
        // Another manager than kubectl conflicts on replicas...
        #expect(throws: FieldManager.ApplyError.self) { try fm.apply(live: live, config: applyConfig(replicas: 4), kind: "Deployment", manager: "other", force: false) }
        // ...kubectl may take what its last client-side apply set, and keeps the annotation current.
        let a = try fm.apply(live: live, config: applyConfig(replicas: 4), kind: "Deployment", manager: "kubectl", force: false)
        #expect(a.object[path: ["spec", "replicas"]] == 4)
        #expect(a.object[path: ["metadata", "annotations", FieldManager.lastAppliedAnnotation]] == .string(JSONSerializer.string(applyConfig(replicas: 4)) + "\n"))
    }

    @Test func updatesOfAnUntrackedObjectStayUntrackedUntilAnApply() throws {
        let fm = manager()
        let old = try created()
        var new = old
        new.set(["spec", "replicas"], 2)
        #expect(fm.update(live: old, new: new, manager: "x").isEmpty)
        let a = try fm.apply(live: old, config: applyConfig(replicas: 1), kind: "Deployment", manager: "kubectl", force: true)
        #expect(Set(a.entries.map(\.manager)) == ["before-first-apply", "kubectl"])
    }

    @Test func aResetRequestDropsOwnershipAndTheEleventhUpdaterJoinsAncientChanges() throws {
        var live = try created()
        live.set(["metadata", "managedFields"], entries(manager().update(live: nil, new: live, manager: "kubectl-create")))
        var reset = live
        reset.set(["metadata", "managedFields"], .array([]))
        reset.set(["spec", "replicas"], 2)
        #expect(manager().update(live: live, new: reset, manager: "x").isEmpty)
        for i in 0..<11 {
            var next = live
            next.set(["metadata", "labels", "k\(i)"], "v")
            let e = manager(String(format: "2026-01-01T00:00:%02dZ", i + 1)).update(live: live, new: next, manager: "m\(i)")
            live = next
            live.set(["metadata", "managedFields"], entries(e))
        }
        let names = Set((ManagedFieldsEntry.decode(live[path: ["metadata", "managedFields"]]) ?? []).map(\.manager))
        #expect(names.count == 10 && names.contains("ancient-changes") && !names.contains("kubectl-create") && !names.contains("m0"))
    }

    @Test func clientSideManagersUpgradeIntoTheServerSideApplier() {
        let csa = ManagedFieldsEntry(manager: "kubectl-client-side-apply", operation: .update, apiVersion: "apps/v1", fields: FieldSet([["f:spec", "f:replicas"]]))
        let ssa = ManagedFieldsEntry(manager: "kubectl", operation: .apply, apiVersion: "apps/v1", fields: FieldSet([["f:spec", "f:paused"]]))
        let out = ManagedFieldsEntry.upgrading([csa, ssa], csaManagers: ["kubectl-client-side-apply"], ssaManager: "kubectl")
        #expect(out.count == 1 && out[0].manager == "kubectl" && out[0].fields == FieldSet([["f:spec", "f:replicas"], ["f:spec", "f:paused"]]))
        let converted = ManagedFieldsEntry.upgrading([csa], csaManagers: ["kubectl-client-side-apply"], ssaManager: "kubectl")
        #expect(converted.count == 1 && converted[0].operation == .apply && converted[0].manager == "kubectl")
    }

    @Test func listItemsMergeInTheAppliersOrder() throws {
        let live = try json(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","finalizers":["a","b","c"]}}"#)
        let config = try json(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","finalizers":["c","d","a"]}}"#)
        let merged = ApplyMerge.merge(live, config, .root("ConfigMap"), .shared)
        #expect(merged[path: ["metadata", "finalizers"]] == ["b", "c", "d", "a"])
    }
}
