// libyaml itself, which Yams builds: its event parser is not recursive and keeps its own nesting
// limit, and composing its events here (rather than with Yams' `Parser`, which recurses, resolves
// aliases by sharing nodes and hashes them whole as mapping keys) lets each alias cost its size.
import CYaml
import KubeModel

/// Composes libyaml's events into JSON values with an explicit stack, under the limits go-yaml
/// (kube-apiserver's YAML decoder) sets for hostile documents: nesting no deeper than
/// `JSONParser.maxDepth`, and aliases that expand to no more than go-yaml's `allowedAliasRatio`
/// of the nodes decoded ("billion laughs" fails after a few thousand nodes, not at 100 MB/s).
/// An alias shares its anchor's value, so expansion itself costs no memory.
struct YAMLComposer {
    /// The values of a stream's documents, in order; empty documents are `null`.
    static func documents(_ bytes: [UInt8]) throws(YAMLDecoding.Failure) -> [JSONValue] {
        // libyaml asserts that its input is not NULL, which an empty array's buffer may be.
        if bytes.isEmpty { return [] }
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else { throw YAMLDecoding.Failure(message: "yaml: out of memory") }
        defer { yaml_parser_delete(parser) }
        var out: [JSONValue] = []
        var composer = YAMLComposer()
        do {
            try bytes.withUnsafeBufferPointer { buf in
                yaml_parser_set_input_string(parser, buf.baseAddress, buf.count)
                var event = yaml_event_t()
                while true {
                    guard yaml_parser_parse(parser, &event) == 1 else { throw Failure(message: describe(parser.pointee)) }
                    defer { yaml_event_delete(&event) }
                    switch event.type {
                    case YAML_STREAM_END_EVENT: return
                    case YAML_STREAM_START_EVENT: break
                    case YAML_DOCUMENT_START_EVENT: composer = YAMLComposer()
                    case YAML_DOCUMENT_END_EVENT: out.append(composer.root ?? .null)
                    default: try composer.add(event)
                    }
                }
            }
        } catch let e as Failure {
            throw YAMLDecoding.Failure(message: "error converting YAML to JSON: " + e.message, document: out.count + 1)
        } catch {
            throw YAMLDecoding.Failure(message: "error converting YAML to JSON: \(error)", document: out.count + 1)
        }
        return out
    }

    struct Failure: Error { let message: String }

    private struct Frame {
        let isMapping: Bool
        let anchor: String?
        /// `decodeCount` before this node, so its size is known when it ends.
        let start: Int
        var items: [JSONValue] = []
        var entries: [String: JSONValue] = [:]
        /// In a mapping: the key whose value comes next.
        var key: String?
    }

    private struct Anchored {
        let value: JSONValue
        /// A scalar's text, for use as a mapping key.
        let text: String?
        /// Nodes go-yaml decodes each time the anchor is aliased.
        let size: Int
    }

    private(set) var root: JSONValue?
    private var stack: [Frame] = []
    private var anchors: [String: Anchored] = [:]
    private var composing: Set<String> = []
    // go-yaml's decode.go counters: one per node decoded, and those decoded through an alias.
    private var decodeCount = 1
    private var aliasCount = 0

    private mutating func add(_ event: yaml_event_t) throws(Failure) {
        switch event.type {
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self)
            let tag = s.tag.map { String(cString: $0) } ?? ""
            try Self.checkTag(tag, text)
            let value = YAMLDecoding.scalar(text, plain: s.style == YAML_PLAIN_SCALAR_STYLE, tag: tag)
            try count(1, aliased: 0)
            if let anchor = Self.string(s.anchor) { anchors[anchor] = Anchored(value: value, text: text, size: 1) }
            try deliver(value, key: text, event)
        case YAML_ALIAS_EVENT:
            let name = Self.string(event.data.alias.anchor) ?? ""
            if composing.contains(name) { throw Failure(message: "yaml: anchor '\(name)' value contains itself") }
            guard let target = anchors[name] else { throw Failure(message: "yaml: unknown anchor '\(name)' referenced") }
            try count(1 + target.size, aliased: target.size)
            try deliver(target.value, key: target.text, event)
        case YAML_SEQUENCE_START_EVENT:
            try open(mapping: false, anchor: Self.string(event.data.sequence_start.anchor))
        case YAML_MAPPING_START_EVENT:
            try open(mapping: true, anchor: Self.string(event.data.mapping_start.anchor))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast() else { return }
            let value: JSONValue = frame.isMapping ? .object(frame.entries) : .array(frame.items)
            if let anchor = frame.anchor {
                composing.remove(anchor)
                anchors[anchor] = Anchored(value: value, text: nil, size: decodeCount - frame.start)
            }
            try deliver(value, key: nil, event)
        default:
            break
        }
    }

    private mutating func open(mapping: Bool, anchor: String?) throws(Failure) {
        if let top = stack.last, top.isMapping, top.key == nil { throw Failure(message: "non-scalar map key") }
        if stack.count >= JSONParser.maxDepth { throw Failure(message: "yaml: exceeded max depth of \(JSONParser.maxDepth)") }
        stack.append(Frame(isMapping: mapping, anchor: anchor, start: decodeCount))
        if let anchor { composing.insert(anchor) }
        try count(1, aliased: 0)
    }

    /// Hands a finished node to its parent: an item, a key (`key` is its text when a scalar) or a value.
    private mutating func deliver(_ value: JSONValue, key: String?, _ event: yaml_event_t) throws(Failure) {
        guard var top = stack.popLast() else {
            root = value
            return
        }
        defer { stack.append(top) }
        if !top.isMapping {
            top.items.append(value)
        } else if let pending = top.key {
            top.entries[pending] = value
            top.key = nil
        } else {
            guard let key, case .scalar = Self.kind(value) else { throw Failure(message: "non-scalar map key") }
            if top.entries[key] != nil {
                throw Failure(message: "yaml: unmarshal errors:\n  line \(event.start_mark.line + 1): key \"\(key)\" already set in map")
            }
            top.key = key
        }
    }

    private enum Kind { case scalar, collection }

    private static func kind(_ v: JSONValue) -> Kind {
        switch v {
        case .array, .object: return .collection
        default: return .scalar
        }
    }

    /// go-yaml's check, made each time nodes are counted: past 100 aliased and 1000 decoded nodes,
    /// aliases may be at most `allowedAliasRatio` of the work.
    private mutating func count(_ nodes: Int, aliased: Int) throws(Failure) {
        decodeCount += nodes
        aliasCount += aliased
        if aliasCount > 100 && decodeCount > 1000 && Double(aliasCount) / Double(decodeCount) > Self.allowedAliasRatio(decodeCount) {
            throw Failure(message: "yaml: document contains excessive aliasing")
        }
    }

    /// 99% for documents of up to 400,000 nodes, falling to 10% at 4,000,000 (go-yaml decode.go).
    static func allowedAliasRatio(_ decodeCount: Int) -> Double {
        let low = 400_000.0
        let high = 4_000_000.0
        let n = Double(decodeCount)
        if n <= low { return 0.99 }
        if n >= high { return 0.10 }
        return 0.99 - 0.89 * (n - low) / (high - low)
    }

    /// go-yaml's resolve(): a core tag the text does not satisfy (`!!int x`) is an error, not a string.
    private static func checkTag(_ tag: String, _ text: String) throws(Failure) {
        let prefix = "tag:yaml.org,2002:"
        guard tag.hasPrefix(prefix) else { return }
        let wanted = String(tag.dropFirst(prefix.count))
        guard ["int", "float", "bool", "null"].contains(wanted) else { return }
        let implicit: String
        switch YAMLDecoding.scalar(text, plain: true, tag: "") {
        case .int: implicit = "int"
        case .double: implicit = "float"
        case .bool: implicit = "bool"
        case .null: implicit = "null"
        default: implicit = "str"
        }
        if implicit == wanted || (wanted == "float" && implicit == "int") { return }
        throw Failure(message: "yaml: cannot decode !!\(implicit) `\(text)` as a !!\(wanted)")
    }

    private static func string(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? { p.map { String(cString: $0) } }

    /// go-yaml's one-line form: "yaml: line 6: did not find expected node content". Its line is
    /// libyaml's 0-based problem line, plus one only for scanner errors, else the context's line;
    /// nothing for line 0.
    private static func describe(_ p: yaml_parser_t) -> String {
        let problem = p.problem.map { String(cString: $0) } ?? "unknown problem parsing YAML content"
        if p.error == YAML_READER_ERROR { return "yaml: " + problem }
        var line = 0
        if p.problem_mark.line != 0 {
            line = p.error == YAML_SCANNER_ERROR ? p.problem_mark.line + 1 : p.problem_mark.line
        } else if p.context != nil {
            line = p.context_mark.line
        }
        return "yaml: " + (line != 0 ? "line \(line): " : "") + problem
    }
}
