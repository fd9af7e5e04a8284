import KubeModel

extension KindDefinition {
    /// A kind defined in one file, as a new built-in would be: `example.kplane.dev/v1` Widget,
    /// namespaced, with a status subresource, a field selector, two columns, a default and a rule.
    static let widget = KindDefinition(
        schema: KindSchema(types: """
Widget "A Widget is an example kind."
  apiVersion string
  kind string
  metadata ObjectMeta #1
  spec WidgetSpec #2
  status WidgetStatus #3
WidgetSpec
  size *int #1
  color string #2
  labels map[string] #3
WidgetStatus
  phase string #1
""", descriptions: """
WidgetSpec "What a Widget should be."
  size "How big. Must not be negative."
  color "Its color. Defaults to blue."
"""),
        group: "example.kplane.dev", versions: ["v1"], kind: "Widget", plural: "widgets", shortNames: ["wd"], categories: ["all"],
        subresources: ["status"], fieldSelectors: [SelectableField("spec.color")],
        printer: TablePrinter(columns: [TableColumn("Name"), TableColumn("Size", "integer"), TableColumn("Color"), TableColumn("Age")]) { o, t in
            [o[path: ["metadata", "name"]] ?? "", .int(o[path: ["spec", "size"]]?.intValue ?? 0),
             o[path: ["spec", "color"]] ?? "<none>", t.age(o)]
        },
        hasGeneration: true,
        defaults: { obj in
            if obj[path: ["spec", "color"]] == nil { obj.set(["spec", "color"], "blue") }
        },
        validate: { obj in
            guard let size = obj[path: ["spec", "size"]]?.intValue, size < 0 else { return [] }
            return [.invalid("spec.size", .int(size), "must be greater than or equal to 0")]
        },
        validateUpdate: { obj, old in
            obj[path: ["spec", "color"]] == old[path: ["spec", "color"]] ? [] : [.invalid("spec.color", obj[path: ["spec", "color"]] ?? "", "field is immutable")]
        })
}
