import APIServer
import Foundation
import KplaneTestSupport
import KubeClient
import KubeModel
import Synchronization
import Testing

extension KindDefinition {
    /// `example.kplane.dev/v1` Gizmo, a kind none of kplane's sources know: namespaced, with a
    /// short name, a category, a column, a field selector, a default, a rule, an immutable field
    /// and a create hook that gives each gizmo a serial number.
    static let gizmo = KindDefinition(
        schema: KindSchema(types: """
            Gizmo "A Gizmo is a kind only this test knows."
              apiVersion string
              kind string
              metadata ObjectMeta #1
              spec GizmoSpec #2
            GizmoSpec "GizmoSpec is what a user wants of a gizmo."
              size int #1 "How big the gizmo is, at least 0."
              color string #2 "The gizmo's colour. Defaults to blue."
              serial string #3 "Given by the server on create; immutable."
            """),
        group: "example.kplane.dev", versions: ["v1"], kind: "Gizmo", plural: "gizmos", shortNames: ["gz"], categories: ["example"],
        fieldSelectors: [SelectableField("spec.color")],
        printer: TablePrinter(columns: [TableColumn("Name"), TableColumn("Color"), TableColumn("Serial"), TableColumn("Age")]) { o, t in
            [o[path: ["metadata", "name"]] ?? "", o[path: ["spec", "color"]] ?? "<none>", o[path: ["spec", "serial"]] ?? "<none>", t.age(o)]
        },
        defaults: { obj in
            if obj[path: ["spec", "color"]] == nil { obj.set(["spec", "color"], "blue") }
        },
        validate: { obj in
            guard let size = obj[path: ["spec", "size"]]?.intValue, size < 0 else { return [] }
            return [.invalid("spec.size", .int(size), "must be greater than or equal to 0")]
        },
        validateUpdate: { obj, old in
            let serial = obj[path: ["spec", "serial"]]
            return serial == old[path: ["spec", "serial"]] ? [] : [.invalid("spec.serial", serial ?? "", "field is immutable")]
        },
        hooks: KindHooks(prepareForCreate: { obj, _ in
            if obj[path: ["spec", "serial"]] == nil {
                obj.set(["spec", "serial"], .string("sn-" + (obj[path: ["metadata", "name"]]?.stringValue ?? "")))
            }
        }))
}

/// A kind added to one server at start-up, from one file, as a user sees it through real
/// kubectl: discovery, server-side tables, field selectors, validation, the create hook and
/// watch, over HTTP on a loopback port.
@Suite struct GizmoKindTests {
    @Test func aKindAddedToOneServerIsServedLikeABuiltinOne() async throws {
        var config = APIServerConfig(dataDir: temporaryDirectory())
        config.port = 0
        config.kinds = Kinds.builtin + [.gizmo]
        let server = try await APIServer(config: config)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let task = Task { try await server.run { continuation.yield($0) } }
        defer { task.cancel() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        let kubeconfig = try server.writeKubeconfig(port: port)
        let cache = temporaryDirectory()
        // On a thread of its own: the server runs in this process, on the cooperative threads a
        // blocking wait for kubectl would hold.
        @Sendable func kubectl(_ args: String..., stdin: String? = nil) async -> (code: Int32, out: String, err: String) {
            let argv = ["--kubeconfig", kubeconfig, "--cache-dir", cache] + args
            return await offThread { (try? ServerProcess.run("/usr/bin/kubectl", argv, stdin: stdin)) ?? (-1, "", "kubectl did not start") }
        }

        let resources = await kubectl("api-resources", "--api-group=example.kplane.dev", "--no-headers")
        #expect(resources.out.split(whereSeparator: \.isWhitespace) == ["gizmos", "gz", "example.kplane.dev/v1", "true", "Gizmo"], "\(resources.err)")

        let created = await kubectl("create", "-f", "-", stdin: """
            apiVersion: example.kplane.dev/v1
            kind: Gizmo
            metadata: {name: a}
            spec: {size: 1, color: red}
            ---
            apiVersion: example.kplane.dev/v1
            kind: Gizmo
            metadata: {name: b}
            spec: {size: 2}
            """)
        #expect(created.out == "gizmo.example.kplane.dev/a created\ngizmo.example.kplane.dev/b created\n", "\(created.err)")

        // A server-side Table with the kind's columns: the default and the hook's serial show.
        let table = await kubectl("get", "gizmos")
        #expect(table.out.split(separator: "\n").map { $0.split(separator: " ").dropLast().joined(separator: " ") }
            == ["NAME COLOR SERIAL", "a red sn-a", "b blue sn-b"], "\(table.err)")
        #expect(await kubectl("get", "gz", "--field-selector", "spec.color=red", "-o", "name").out == "gizmo.example.kplane.dev/a\n")
        #expect(await kubectl("get", "example", "-o", "name").out == "gizmo.example.kplane.dev/a\ngizmo.example.kplane.dev/b\n")
        let badSelector = await kubectl("get", "gizmos", "--field-selector", "spec.size=1")
        #expect(badSelector.err.contains("field label not supported: spec.size"), "\(badSelector.err)")

        let http = try HTTPAPIClient(config: try RestConfig.resolve(try Kubeconfig.load(paths: [kubeconfig]), ConfigOverrides()))
        // OpenAPI v3 and v2 from the kind's schema: kubectl explain reads it, and kubectl's
        // strict field validation refuses a field the schema does not have.
        let explained = await kubectl("explain", "gizmo.spec.color")
        #expect(explained.out.contains("The gizmo's colour. Defaults to blue."), "\(explained.out)\(explained.err)")
        let unknownField = await kubectl("create", "--validate=strict", "-f", "-", stdin: """
            {"apiVersion": "example.kplane.dev/v1", "kind": "Gizmo", "metadata": {"name": "c"}, "spec": {"size": 1, "shape": "round"}}
            """)
        #expect(unknownField.err.contains(#"unknown field "spec.shape""#), "\(unknownField.err)")
        let v2 = try await http.send(method: "GET", path: "/openapi/v2", query: [], body: nil, contentType: nil, accept: "application/json")
        let definitions = v2.json?["definitions"]?.objectValue ?? [:]
        #expect(definitions.keys.contains { $0.hasSuffix(".GizmoSpec") }, "\(definitions.keys.sorted())")

        // An invalid object: 422 Invalid with Kubernetes' wording, as kubectl shows it too.
        let invalid = try await http.send(
            method: "POST", path: "/apis/example.kplane.dev/v1/namespaces/default/gizmos", query: [],
            body: Array(#"{"apiVersion":"example.kplane.dev/v1","kind":"Gizmo","metadata":{"name":"bad"},"spec":{"size":-1}}"#.utf8),
            contentType: "application/json", accept: nil)
        #expect(invalid.status == 422)
        #expect(invalid.json?["reason"] == "Invalid")
        #expect(invalid.json?["message"] == #"Gizmo.example.kplane.dev "bad" is invalid: spec.size: Invalid value: -1: must be greater than or equal to 0"#)
        #expect(invalid.json?[path: ["details", "group"]] == "example.kplane.dev")
        let refused = await kubectl("patch", "gizmo", "a", "--type=merge", "-p", #"{"spec":{"serial":"sn-z"}}"#)
        #expect(refused.err.contains(#"The Gizmo "a" is invalid: spec.serial: Invalid value: "sn-z": field is immutable"#), "\(refused.err)")

        // Watch, through kubectl's own watch of a server-side Table.
        let watch = try WatchingProcess("/usr/bin/kubectl", ["--kubeconfig", kubeconfig, "--cache-dir", cache, "get", "gizmos", "--watch",
                                                               "--output-watch-events", "--field-selector", "metadata.name=a"])
        defer { watch.stop() }
        #expect(await watch.waitFor("ADDED"), "\(watch.output)")
        #expect(await kubectl("patch", "gizmo", "a", "--type=merge", "-p", #"{"spec":{"size":3}}"#).code == 0)
        #expect(await kubectl("delete", "gizmo", "a").out == "gizmo.example.kplane.dev \"a\" deleted\n")
        #expect(await watch.waitFor("DELETED"), "\(watch.output)")
        let events = watch.output.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(events == ["EVENT", "ADDED", "MODIFIED", "DELETED"], "\(watch.output)")
    }

    @Test func aServerWithoutTheKindDoesNotServeIt() async throws {
        let api = APIService(store: try Store(path: nil))
        #expect(api.catalog.find(group: "example.kplane.dev", version: "v1", plural: "gizmos") == nil)
        let withGizmos = APIService(store: try Store(path: nil), kinds: Kinds.builtin + [.gizmo])
        #expect(withGizmos.catalog.find(group: "example.kplane.dev", version: "v1", plural: "gizmos")?.kind == "Gizmo")
    }
}

/// A process whose output is read as it comes (a watch), stopped by `stop()`.
final class WatchingProcess {
    private let process: Process
    private let buffer = Output()

    private final class Output: Sendable {
        let text = Mutex("")
    }

    init(_ exe: String, _ args: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        process = p
        Thread.detachNewThread { [buffer] in
            while true {
                let data = out.fileHandleForReading.availableData
                if data.isEmpty { return }
                buffer.text.withLock { $0 += String(decoding: data, as: UTF8.self) }
            }
        }
    }

    var output: String { buffer.text.withLock { $0 } }

    /// Waits up to 30 s for `text` to appear in the output.
    func waitFor(_ text: String) async -> Bool {
        for _ in 0..<300 {
            if output.contains(text) { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
