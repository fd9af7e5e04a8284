import ArgumentParser
import Foundation
import KubeClient
import KubeModel

/// `wait --for=create|delete|condition=C[=V]|jsonpath={...}[=V]` on named objects, `-f` files, or every
/// object of a type matching `-l`/`--field-selector`/`--all`, as kubectl's wait: one shared
/// deadline, "condition met" per object, and a missing object already counts as deleted.
struct Wait: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "wait", abstract: "Wait for a specific condition on one or many resources.")
    @OptionGroup var global: GlobalOptions
    @Argument var args: [String] = []
    @Option(name: .customLong("for")) var condition: String
    @Option var timeout: String = "30s"
    @Option(name: [.short, .customLong("filename")]) var filenames: [String] = []
    @Flag(name: [.customShort("R"), .customLong("recursive")]) var recursive = false
    @Option(name: [.customShort("l"), .customLong("selector")]) var selector: String?
    @Option(name: .customLong("field-selector")) var fieldSelector: String?
    @Flag(name: .customLong("all")) var all = false
    @Flag(name: [.customShort("A"), .customLong("all-namespaces")]) var allNamespaces = false

    var forDelete: Bool { condition.lowercased() == "delete" }
    var forCreate: Bool { condition.lowercased() == "create" }

    /// How often `--for=create` looks again, as kubectl's poll.
    static let createPollInterval = Duration.milliseconds(500)

    func run() async throws {
        try await Kctl.guarded {
            let check = try WaitCondition(condition)
            let session = try global.session()
            let finder = ResourceTargets(filenames: filenames, recursive: recursive, selector: selector, fieldSelector: fieldSelector,
                                         all: all, allNamespaces: allNamespaces)
            var seconds = RolloutStatus.seconds(timeout)
            if timeout.hasPrefix("-") { seconds = 168 * 3600 }
            let deadline = Date().addingTimeInterval(seconds)
            if forCreate {
                try await waitForCreation(finder, session, deadline: deadline)
                return
            }
            var visited = 0
            for t in try await finder.collect(args, session) {
                let path = t.resource.path(namespace: t.namespace, name: t.name)
                let first = try await session.client.send(method: "GET", path: path, query: [], body: nil, contentType: nil, accept: "application/json")
                let label = "\(t.resource.plural)/\(t.name)"
                if first.status == 404 && forDelete {
                    // A named object already gone is skipped; a listed one has just been deleted.
                    if t.listed { Terminal.line("\(t.resource.typePrefix)/\(t.name) condition met") }
                    continue
                }
                guard (200..<300).contains(first.status) else { throw APIStatusError(response: first) }
                visited += 1
                if seconds == 0 {
                    guard try check.met(first.json) else { throw KctlError("condition not met for \(label)") }
                } else {
                    try await ObjectWatch(client: session.client, collection: t.resource.path(namespace: t.namespace), name: t.name)
                        .until(deadline, timeoutMessage: "timed out waiting for the condition on \(label)") { try check.met($0) }
                }
                Terminal.line("\(t.resource.typePrefix)/\(t.name) condition met")
            }
            if visited == 0 && !forDelete { throw KctlError("no matching resources found") }
        }
    }

    /// kubectl's poll for `--for=create`: every half second, look the objects up again (listed
    /// ones exist by being listed). One missing: wait on; several: kubectl's visitor reports
    /// them together, which it does not take for "not found", and stops. Once all exist,
    /// "condition met" for each.
    func waitForCreation(_ finder: ResourceTargets, _ session: Session, deadline: Date) async throws {
        while true {
            let targets = try await finder.collect(args, session)
            var notFound: [APIStatusError] = []
            for t in targets where !t.listed {
                let r = try await session.client.send(method: "GET", path: t.resource.path(namespace: t.namespace, name: t.name), query: [], body: nil,
                                                      contentType: nil, accept: "application/json")
                if r.status == 404 { notFound.append(APIStatusError(response: r)); continue }
                guard (200..<300).contains(r.status) else { throw APIStatusError(response: r) }
            }
            if notFound.count > 1 {
                for e in notFound { Terminal.err(ErrorText.server(e)) }
                throw ExitCode(1)
            }
            if notFound.isEmpty {
                if targets.isEmpty { throw KctlError("no matching resources found") }
                for t in targets { Terminal.line("\(t.resource.typePrefix)/\(t.name) condition met") }
                return
            }
            guard Date() < deadline else { throw KctlError("timed out waiting for the condition") }
            try await Task.sleep(for: Self.createPollInterval)
        }
    }
}

/// What `--for` asks: there, gone, a status condition with a status, or a JSONPath value (or any).
struct WaitCondition: Sendable {
    enum Kind: Sendable {
        case deleted
        case created
        case condition(type: String, status: String)
        case jsonPath(steps: [JSONPath.Step], value: String?)
    }

    let kind: Kind

    init(_ text: String) throws {
        if text.lowercased() == "delete" {
            kind = .deleted
        } else if text.lowercased() == "create" {
            kind = .created
        } else if text.hasPrefix("condition=") {
            let spec = text.dropFirst("condition=".count).split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            kind = .condition(type: spec[0], status: spec.count > 1 ? spec[1] : "true")
        } else if text.hasPrefix("jsonpath=") {
            let parts = Self.splitJSONPath(String(text.dropFirst("jsonpath=".count)))
            guard (1...2).contains(parts.count) else {
                throw KctlError("jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'")
            }
            var path = parts[0]
            if path.hasPrefix("{") && path.hasSuffix("}") { path = String(path.dropFirst().dropLast()) }
            if !path.hasPrefix(".") { path = "." + path }
            if path == "." { throw KctlError("jsonpath expression cannot be empty") }
            let value = parts.count > 1 ? parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "'\"")) : nil
            if value == "" { throw KctlError("jsonpath wait has to have a value after equal sign, like --for=jsonpath='{.status.readyReplicas}'=3") }
            kind = .jsonPath(steps: try JSONPath.Parser.steps(path), value: value)
        } else {
            throw KctlError("unrecognized condition: \"\(text)\"")
        }
    }

    /// Splits on single `=`; `==` (a filter's comparison) stays in the expression.
    static func splitJSONPath(_ s: String) -> [String] {
        var out: [String] = []
        var current = ""
        var chars = Array(s)[...]
        while let c = chars.popFirst() {
            if c == "=" {
                if chars.first == "=" {
                    current += "=="
                    chars = chars.dropFirst()
                    continue
                }
                out.append(current)
                current = ""
                continue
            }
            current.append(c)
        }
        return out + [current]
    }

    /// Whether the object (nil once deleted) meets the condition.
    func met(_ o: JSONValue?) throws -> Bool {
        switch kind {
        case .deleted:
            return o == nil
        case .created:
            return o != nil
        case .condition(let type, let status):
            guard let o else { return false }
            let reported = o.objectStatus, generation = o.metadata.generation
            for c in reported.conditions where c.type.lowercased() == type.lowercased() {
                guard let got = c.status else { continue }
                // A condition not yet updated for the latest spec does not count (an absent
                // generation reads 0, which no observed generation is below).
                if let observed = c.observedGeneration ?? reported.observedGeneration, observed < generation {
                    return false
                }
                return got.lowercased() == status.lowercased()
            }
            return false
        case .jsonPath(let steps, let value):
            guard let o else { return false }
            let found = JSONPath.evaluate(steps, [o])
            guard let first = found.first else { return false }
            if found.count > 1 { throw KctlError("given jsonpath expression matches more than one value") }
            guard let value else { return true }
            switch first {
            case .object, .array: throw KctlError("jsonpath leads to a nested object or list which is not supported")
            default: return JSONPath.text(first).trimmingCharacters(in: .whitespaces) == value.trimmingCharacters(in: .whitespaces)
            }
        }
    }
}
