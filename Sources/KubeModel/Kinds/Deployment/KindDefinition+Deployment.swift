extension KindDefinition {
    /// apps/v1 Deployment.
    public static let deployment = KindDefinition(
        schema: .deployment,
        group: "apps", versions: ["v1"], kind: "Deployment", plural: "deployments", shortNames: ["deploy"], categories: ["all"],
        subresources: ["status", "scale"],
        printer: TablePrinter(columns: [TableColumn("Name"), TableColumn("Ready"), TableColumn("Up-to-date", "integer"), TableColumn("Available", "integer"),
                                        TableColumn("Age"), TableColumn("Containers", wide: true), TableColumn("Images", wide: true),
                                        TableColumn("Selector", wide: true)]) { o, t in
            let (c, i) = TableCells.containers(o[path: ["spec", "template", "spec"]])
            let ready = o[path: ["status", "readyReplicas"]]?.intValue ?? 0
            let want = o[path: ["spec", "replicas"]]?.intValue ?? 0
            return [TableCells.name(o), .string("\(ready)/\(want)"), TableCells.int(o, "status.updatedReplicas"), TableCells.int(o, "status.availableReplicas"),
                    t.age(o), c, i, TableCells.selector(o[path: ["spec", "selector"]])]
        },
        hasGeneration: true, defaults: Defaults.deployment,
        validate: { Validation.workload($0, templateRequired: true, strategyErrors: Validation.strategy($0)) },
        validateUpdate: Validation.immutableSelector, podSpecPath: ["spec", "template", "spec"])
}

extension Defaults {
    static func deployment(_ obj: inout JSONValue) {
        setIfMissing(&obj, ["spec", "replicas"], 1)
        setIfMissing(&obj, ["spec", "strategy", "type"], "RollingUpdate")
        if obj[path: ["spec", "strategy", "type"]] == "RollingUpdate" {
            setIfMissing(&obj, ["spec", "strategy", "rollingUpdate", "maxUnavailable"], "25%")
            setIfMissing(&obj, ["spec", "strategy", "rollingUpdate", "maxSurge"], "25%")
        }
        setIfMissing(&obj, ["spec", "revisionHistoryLimit"], 10)
        setIfMissing(&obj, ["spec", "progressDeadlineSeconds"], 600)
        template(&obj)
    }
}

extension Validation {
    static func strategy(_ obj: JSONValue) -> [FieldError] {
        var errs: [FieldError] = []
        let type = obj[path: ["spec", "strategy", "type"]]?.stringValue ?? "RollingUpdate"
        if type != "RollingUpdate" && type != "Recreate" {
            errs.append(.notSupported("spec.strategy.type", .string(type), ["Recreate", "RollingUpdate"]))
        }
        guard let ru = obj[path: ["spec", "strategy", "rollingUpdate"]] else { return errs }
        if type == "Recreate" {
            errs.append(.forbidden("spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'"))
            return errs
        }
        var zero = 0
        for f in ["maxUnavailable", "maxSurge"] {
            guard let v = ru[f] else { continue }
            let path = "spec.strategy.rollingUpdate.\(f)"
            switch IntOrPercent.parse(v) {
            case nil: errs.append(.invalid(path, v, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"))
            case .int(let i)? where i < 0, .percent(let i)? where i < 0:
                errs.append(.invalid(path, v, "must be greater than or equal to 0"))
            case .percent(let i)? where i > 100 && f == "maxUnavailable":
                errs.append(.invalid(path, v, "must not be greater than 100%"))
            case .int(0)?, .percent(0)?: zero += 1
            default: break
            }
        }
        if zero == 2 {
            errs.append(.invalid("spec.strategy.rollingUpdate.maxUnavailable", ru["maxUnavailable"] ?? 0, "may not be 0 when `maxSurge` is 0"))
        }
        return errs
    }
}
