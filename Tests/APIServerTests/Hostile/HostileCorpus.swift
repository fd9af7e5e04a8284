import Foundation

/// Requests a hostile or broken client might send, each as the exact bytes that go on the wire.
enum HostileCorpus {
    /// What the server must do with a request.
    enum Expect {
        /// A 4xx with a `kind: Status` body.
        case clientError
        /// This code, with a `kind: Status` body.
        case code(Int)
        /// Any answer below 500 (a Status when it is an error): requests Go's server accepts too.
        case answered
        /// The connection is closed, with a Status or without any answer (no request was made).
        case closed
    }

    struct Case {
        let name: String
        let bytes: [UInt8]
        var expect = Expect.clientError
    }

    static let cms = "/api/v1/namespaces/default/configmaps"
    static let target = cms + "/target"
    static let deployment = "/apis/apps/v1/namespaces/default/deployments/web"
    static let dryRun = target + "?dryRun=All"

    /// An HTTP/1.1 request with a Content-Length body, closing after the answer.
    static func request(_ method: String, _ path: String, body: [UInt8]? = nil, contentType: String = "application/json",
                        headers: [String] = []) -> [UInt8] {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nAccept: application/json\r\n"
        if let body { head += "Content-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n" }
        for h in headers { head += h + "\r\n" }
        return Array((head + "\r\n").utf8) + (body ?? [])
    }

    static func request(_ method: String, _ path: String, text: String, contentType: String = "application/json") -> [UInt8] {
        request(method, path, body: Array(text.utf8), contentType: contentType)
    }

    static func post(_ text: String, contentType: String = "application/json") -> [UInt8] {
        request("POST", cms, text: text, contentType: contentType)
    }

    static func configMap(_ fields: String) -> String {
        #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"evil"}"# + (fields.isEmpty ? "" : ",") + fields + "}"
    }

    static var all: [Case] {
        http + json + yaml + protobuf + names + selectors + resourceVersions + patches
    }

    // MARK: HTTP framing

    static var http: [Case] {
        let big = String(repeating: "a", count: 100 * 1024)
        let huge = String(repeating: "a", count: 2 * 1024 * 1024)
        return [
            Case(name: "100 KB path", bytes: request("GET", cms + "/" + big), expect: .code(404)),
            Case(name: "2 MB path", bytes: request("GET", "/" + huge), expect: .code(431)),
            Case(name: "100 KB label selector", bytes: request("GET", cms + "?labelSelector=" + big)),
            Case(name: "100 KB header", bytes: request("GET", target, headers: ["X-Junk: " + big]), expect: .answered),
            Case(name: "2 MB header", bytes: request("GET", target, headers: ["X-Junk: " + huge]), expect: .code(431)),
            Case(name: "70000 headers", bytes: request("GET", target, headers: Array(repeating: "X: y", count: 70_000)), expect: .code(431)),
            Case(name: "method FOO", bytes: request("FOO", cms), expect: .code(405)),
            Case(name: "method of binary", bytes: [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03] + Array(repeating: 0, count: 64), expect: .code(405)),
            Case(name: "lower-case method", bytes: request("get", cms), expect: .code(405)),
            Case(name: "CONNECT", bytes: Array("CONNECT localhost:443 HTTP/1.1\r\nHost: localhost:443\r\n\r\n".utf8), expect: .code(404)),
            Case(name: "duplicate Content-Length", bytes: Array("POST \(cms) HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}".utf8)),
            Case(name: "Content-Length and chunked", bytes: Array("POST \(cms) HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n".utf8), expect: .answered),
            Case(name: "negative Content-Length", bytes: Array("POST \(cms) HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n{}".utf8)),
            Case(name: "Content-Length of letters", bytes: Array("POST \(cms) HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}".utf8)),
            Case(name: "Content-Length overflowing 64 bits", bytes: Array("POST \(cms) HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n{}".utf8)),
            Case(name: "Content-Length of 10 GB", bytes: Array("POST \(cms) HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000000000\r\n\r\n{}".utf8), expect: .code(413)),
            Case(name: "chunk size of letters", bytes: Array("POST \(cms) HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n".utf8), expect: .code(400)),
            Case(name: "chunk size overflowing", bytes: Array("POST \(cms) HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffffff\r\n{}\r\n".utf8), expect: .code(400)),
            Case(name: "chunk longer than its size", bytes: Array("POST \(cms) HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}}}}}\r\n0\r\n\r\n".utf8), expect: .code(400)),
            Case(name: "chunked body cut short", bytes: Array("POST \(cms) HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{\"a\":".utf8), expect: .code(400)),
            Case(name: "body shorter than Content-Length", bytes: Array("POST \(cms) HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"metadata\":".utf8), expect: .code(400)),
            Case(name: "patch body cut short", bytes: Array("PATCH \(target) HTTP/1.1\r\nHost: x\r\nContent-Type: application/merge-patch+json\r\nContent-Length: 50\r\n\r\n{\"data\":".utf8), expect: .code(400)),
            Case(name: "unknown Transfer-Encoding", bytes: Array("POST \(cms) HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n{}".utf8)),
            Case(name: "HTTP/2 preface", bytes: Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8) + [0, 0, 0x12, 4, 0, 0, 0, 0, 0], expect: .code(400)),
            Case(name: "HTTP/3.0", bytes: Array("GET / HTTP/3.0\r\nHost: x\r\n\r\n".utf8), expect: .code(400)),
            Case(name: "HTTP/0.9 request", bytes: Array("GET /\r\n\r\n".utf8)),
            Case(name: "space in header name", bytes: Array("GET \(cms) HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n".utf8), expect: .code(400)),
            Case(name: "NUL in header value", bytes: Array("GET \(cms) HTTP/1.1\r\nHost: x\r\nX-A: a\u{0}b\r\n\r\n".utf8), expect: .code(400)),
            Case(name: "NUL in path", bytes: Array("GET /api/v1/\u{0}x HTTP/1.1\r\nHost: x\r\n\r\n".utf8), expect: .code(400)),
            Case(name: "space in path", bytes: Array("GET /api/v1/name spaces HTTP/1.1\r\nHost: x\r\n\r\n".utf8), expect: .code(400)),
            Case(name: "header line without colon", bytes: Array("GET \(cms) HTTP/1.1\r\nHost: x\r\nnocolon\r\n\r\n".utf8), expect: .code(400)),
            Case(name: "obsolete line folding", bytes: Array("GET \(cms) HTTP/1.1\r\nHost: x\r\nX-A: a\r\n  folded\r\n\r\n".utf8), expect: .answered),
            Case(name: "absolute URI", bytes: Array("GET http://evil.example\(cms) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8), expect: .answered),
            Case(name: "asterisk target", bytes: Array("GET * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8), expect: .code(404)),
            Case(name: "websocket upgrade", bytes: request("GET", cms, headers: ["Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Key: x", "Sec-WebSocket-Version: 13"]), expect: .answered),
            Case(name: "valid request, then garbage", bytes: Array("GET /version HTTP/1.1\r\nHost: x\r\n\r\n\u{1}\u{2}garbage\r\n\r\n".utf8), expect: .answered),
            Case(name: "only line breaks", bytes: Array("\r\n\r\n\r\n\r\n".utf8), expect: .closed),
            Case(name: "nothing at all", bytes: [], expect: .closed),
        ]
    }

    // MARK: JSON bodies

    static var json: [Case] {
        let cases: [(String, String, Expect)] = [
            ("empty body", "", .code(400)),
            ("truncated object", #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"#, .code(400)),
            ("trailing garbage", configMap("") + "xyz", .code(400)),
            ("two values", configMap("") + configMap(""), .code(400)),
            ("single quotes", "{'a':1}", .code(400)),
            ("unquoted key", "{a:1}", .code(400)),
            ("trailing comma", #"{"a":1,}"#, .code(400)),
            ("NaN", #"{"a":NaN}"#, .code(400)),
            ("number 1e999", configMap(#""data":{"a":1e999}"#), .code(400)),
            ("number with 400 digits", configMap(#""data":{"a":"# + String(repeating: "9", count: 400) + "}"), .clientError),
            ("bad escape", #"{"a":"\q"}"#, .code(400)),
            ("short unicode escape", #"{"a":"\u12"}"#, .code(400)),
            ("lone surrogate", configMap(#""data":{"a":"\ud800"}"#), .dryRun),
            ("control character in string", "{\"a\":\"\u{1}\"}", .code(400)),
            ("null", "null", .clientError),
            ("array", "[]", .clientError),
            ("string", "\"x\"", .clientError),
            ("number", "42", .clientError),
            ("metadata as a string", #"{"apiVersion":"v1","kind":"ConfigMap","metadata":"x"}"#, .clientError),
            ("data as an array", configMap(#""data":[1,2]"#), .clientError),
            ("data value as an object", configMap(#""data":{"a":{"b":1}}"#), .clientError),
            ("binaryData not base64", configMap(#""binaryData":{"a":"!!!"}"#), .clientError),
            ("wrong kind", #"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"evil"}}"#, .clientError),
            ("unknown kind", #"{"apiVersion":"v1","kind":"Nope","metadata":{"name":"evil"}}"#, .clientError),
            ("wrong apiVersion", #"{"apiVersion":"apps/v1","kind":"ConfigMap","metadata":{"name":"evil"}}"#, .clientError),
            ("apiVersion as a number", #"{"apiVersion":1,"kind":"ConfigMap","metadata":{"name":"evil"}}"#, .clientError),
            ("no name", #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{}}"#, .clientError),
            ("name as a number", #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":5}}"#, .clientError),
            ("other namespace in body", #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"evil","namespace":"kube-system"}}"#, .clientError),
            ("labels as an array", #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"evil","labels":[1]}}"#, .clientError),
            ("label value too long", #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"evil","labels":{"a":""# + String(repeating: "x", count: 64) + #""}}}"#, .clientError),
            ("label key invalid", #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"evil","labels":{"-a-":"b"}}}"#, .clientError),
            ("annotations over 256 KB", #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"evil","annotations":{"a":""# + String(repeating: "x", count: 300_000) + #""}}}"#, .clientError),
            ("negative generation in a bad type", #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"evil","generation":"x"}}"#, .clientError),
            ("creationTimestamp garbage", #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"evil","creationTimestamp":"yesterday"}}"#, .clientError),
            ("ownerReferences garbage", #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"evil","ownerReferences":[{"x":1}]}}"#, .clientError),
            ("deep arrays (600)", configMap(#""data":{"a":"# + String(repeating: "[", count: 600) + String(repeating: "]", count: 600) + "}"), .code(400)),
            ("deep objects (600)", configMap(#""data":"# + String(repeating: #"{"a":"#, count: 600) + "1" + String(repeating: "}", count: 600)), .code(400)),
            ("deep arrays (1 M, unclosed)", String(repeating: "[", count: 1_000_000), .code(400)),
            ("deep unknown field (500)", configMap(#""extra":"# + String(repeating: "[", count: 500) + String(repeating: "]", count: 500)), .dryRun),
            ("2.9 MB string", configMap(#""data":{"a":""# + String(repeating: "x", count: 2_900_000) + #""}"#), .clientError),
            ("50000 keys", configMap(#""data":{"# + (0..<50_000).map { #""k\#($0)":"v""# }.joined(separator: ",") + "}"), .dryRun),
            ("100000 array items", configMap(#""extra":["# + Array(repeating: "1", count: 100_000).joined(separator: ",") + "]"), .dryRun),
            ("duplicate keys", #"{"apiVersion":"v1","kind":"ConfigMap","kind":"Secret","metadata":{"name":"evil"},"metadata":{}}"#, .clientError),
            ("NUL byte in name", #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ev\u0000il"}}"#, .clientError),
            ("BOM before the object", "\u{FEFF}" + configMap(""), .code(400)),
        ]
        var out = cases.map { c in
            // Bodies a server may accept go through a dry run, so the store stays as it was.
            c.2 == .dryRun
                ? Case(name: "json: \(c.0) (dry run)", bytes: request("POST", cms + "?dryRun=All", text: c.1), expect: .answered)
                : Case(name: "json: " + c.0, bytes: post(c.1), expect: c.2)
        }
        out.append(Case(name: "json: invalid UTF-8 in a string", bytes: request("POST", cms + "?dryRun=All",
            body: Array(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"evil"},"data":{"a":""#.utf8) + [0xff, 0xfe, 0xc0, 0x80] + Array(#""}}"#.utf8)),
            expect: .answered))
        out.append(Case(name: "json: invalid UTF-8 outside strings", bytes: post("{\u{FFFD}}").map { $0 == 0xbd ? 0xff : $0 }, expect: .code(400)))
        out.append(Case(name: "json: dryRun garbage", bytes: request("POST", cms + "?dryRun=Maybe", text: configMap("")), expect: .code(400)))
        out.append(Case(name: "json: fieldValidation garbage", bytes: request("POST", cms + "?fieldValidation=Loose", text: configMap("")), expect: .code(400)))
        out.append(Case(name: "json: content type text/csv", bytes: post(configMap(""), contentType: "text/csv"), expect: .code(415)))
        out.append(Case(name: "json: content type garbage", bytes: post(configMap(""), contentType: ";;;\u{7f}"), expect: .clientError))
        out.append(Case(name: "json: body over 3 MB", bytes: post(configMap(#""data":{"a":""# + String(repeating: "x", count: 3_200_000) + #""}"#)), expect: .code(413)))
        out.append(Case(name: "json: PUT with bad body", bytes: request("PUT", target, text: "{"), expect: .code(400)))
        out.append(Case(name: "json: PUT of another name", bytes: request("PUT", target, text: configMap("")), expect: .clientError))
        out.append(Case(name: "json: PUT with stale resourceVersion", bytes: request("PUT", target, text: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"target","resourceVersion":"1"}}"#), expect: .code(409)))
        out.append(Case(name: "json: PUT with garbage resourceVersion", bytes: request("PUT", target, text: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"target","resourceVersion":"zzz"}}"#), expect: .clientError))
        out.append(Case(name: "json: DELETE with bad options", bytes: request("DELETE", target, text: "{bad"), expect: .code(400)))
        out.append(Case(name: "json: DELETE with a stale precondition", bytes: request("DELETE", target, text: #"{"preconditions":{"uid":"nope"}}"#), expect: .code(409)))
        out.append(Case(name: "json: DELETE with garbage propagationPolicy", bytes: request("DELETE", target + "?propagationPolicy=Everything"), expect: .clientError))
        out.append(Case(name: "json: DELETE with negative grace period", bytes: request("DELETE", target + "?gracePeriodSeconds=-99999999999999999999&dryRun=All"), expect: .answered))
        out.append(Case(name: "json: eviction with a bad body", bytes: request("POST", "/api/v1/namespaces/default/pods/nope/eviction", text: "[]"), expect: .clientError))
        out.append(Case(name: "json: binding with a bad body", bytes: request("POST", "/api/v1/namespaces/default/pods/nope/binding", text: "{\"target\":5}"), expect: .clientError))
        return out
    }

    // MARK: YAML bodies

    static var yaml: [Case] {
        let laughs = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
            + (1...8).map { i in "\(Character(Unicode.Scalar(97 + i)!)): &\(Character(Unicode.Scalar(97 + i)!)) [" + Array(repeating: "*\(Character(Unicode.Scalar(96 + i)!))", count: 9).joined(separator: ",") + "]\n" }.joined()
        let bodies: [(String, String, Expect)] = [
            ("billion laughs", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: evil\n" + laughs, .code(400)),
            ("billion laughs as a key", laughs + "? *i\n: 1\n", .code(400)),
            ("billion laughs in a flow key", laughs + "{*i : 1}\n", .code(400)),
            ("alias to itself", "a: &a [*a]\n", .code(400)),
            ("unknown alias", "a: *nope\n", .code(400)),
            ("deep flow sequences (1 M)", String(repeating: "[", count: 1_000_000), .code(400)),
            ("deep flow mappings (100 k)", "a: " + String(repeating: "{a: ", count: 100_000), .code(400)),
            ("deep block sequences (600)", (0..<600).map { String(repeating: " ", count: $0) + "-" }.joined(separator: "\n"), .code(400)),
            ("deep block mappings (600)", (0..<600).map { String(repeating: " ", count: $0) + "a:" }.joined(separator: "\n"), .code(400)),
            ("deep indentation of sequences on one line", String(repeating: "- ", count: 100_000), .code(400)),
            ("tab indentation", "metadata:\n\tname: evil\n", .code(400)),
            ("unclosed quote", "a: \"abc\n", .code(400)),
            ("unclosed flow", "a: [1, 2\n", .code(400)),
            ("bad indentation", "a:\n  b: 1\n c: 2\n", .code(400)),
            ("duplicate keys", "a: 1\na: 2\n", .code(400)),
            ("two documents", "a: 1\n---\nb: 2\n", .code(400)),
            ("only a comment", "# nothing\n", .clientError),
            ("a scalar", "just a string\n", .clientError),
            ("a list", "- 1\n- 2\n", .clientError),
            ("complex key", "? [a, b]\n: 1\n", .code(400)),
            ("control character", "a: \u{1}\n", .code(400)),
            ("binary tag garbage", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: evil\nbinaryData:\n  a: !!binary '***'\n", .clientError),
            ("directive garbage", "%YAML 9.9\n---\na: 1\n", .clientError),
            ("unknown tag", "apiVersion: v1\nkind: ConfigMap\nmetadata: !foo\n  name: evil\ndata: {a: !!int x}\n", .code(400)),
            ("huge anchor fan-out, within limits", "apiVersion: v1\nkind: ConfigMap\nmetadata: &m\n  name: evil\ndata:\n" + (0..<200).map { "  k\($0): *v\n" }.joined() + "x: &v y\n", .clientError),
        ]
        var out = bodies.map { Case(name: "yaml: " + $0.0, bytes: post($0.1, contentType: "application/yaml"), expect: $0.2) }
        out.append(Case(name: "yaml: invalid UTF-8", bytes: request("POST", cms, body: Array("a: ".utf8) + [0xff, 0xfe, 0x80], contentType: "application/yaml"), expect: .code(400)))
        out.append(Case(name: "yaml: NUL byte", bytes: request("POST", cms, body: Array("a: b".utf8) + [0] + Array("c\n".utf8), contentType: "application/yaml"), expect: .code(400)))
        out.append(Case(name: "yaml: UTF-16 bytes", bytes: request("POST", cms, body: [0xff, 0xfe] + Array("a: 1\n".utf8).flatMap { [$0, 0] }, contentType: "application/yaml"), expect: .clientError))
        return out
    }

    // MARK: protobuf bodies

    static func varint(_ v: UInt64) -> [UInt8] {
        var v = v
        var out: [UInt8] = []
        while v >= 0x80 {
            out.append(UInt8(v & 0x7f) | 0x80)
            v >>= 7
        }
        return out + [UInt8(v)]
    }

    static func field(_ n: UInt64, _ bytes: [UInt8]) -> [UInt8] { varint(n << 3 | 2) + varint(UInt64(bytes.count)) + bytes }

    /// kubectl's envelope: "k8s\0", then runtime.Unknown with TypeMeta and the raw message.
    static func envelope(_ raw: [UInt8], kind: String = "ConfigMap", apiVersion: String = "v1") -> [UInt8] {
        [0x6b, 0x38, 0x73, 0x00] + field(1, field(1, Array(apiVersion.utf8)) + field(2, Array(kind.utf8))) + field(2, raw)
    }

    static var protobuf: [Case] {
        let meta = field(1, field(1, Array("evil".utf8)))
        let bodies: [(String, [UInt8])] = [
            ("the 13 bytes that crashed it", [0x6b, 0x38, 0x73, 0x00, 0x12, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
            ("no prefix", Array("hello".utf8)),
            ("prefix only", [0x6b, 0x38, 0x73, 0x00]),
            ("empty", []),
            ("varint of 11 bytes", [0x6b, 0x38, 0x73, 0x00, 0x12] + Array(repeating: 0xff, count: 10) + [0x01]),
            ("varint cut short", [0x6b, 0x38, 0x73, 0x00, 0x12, 0xff]),
            ("tag varint cut short", [0x6b, 0x38, 0x73, 0x00, 0xff]),
            ("length past the end", [0x6b, 0x38, 0x73, 0x00, 0x12, 0x7f, 0x01]),
            ("length of 2^62", [0x6b, 0x38, 0x73, 0x00, 0x12] + varint(1 << 62)),
            ("length of Int.max", [0x6b, 0x38, 0x73, 0x00, 0x12] + varint(UInt64(Int.max))),
            ("field number 0", [0x6b, 0x38, 0x73, 0x00, 0x02, 0x00]),
            ("wire type 7", [0x6b, 0x38, 0x73, 0x00, 0x1f]),
            ("end group first", [0x6b, 0x38, 0x73, 0x00, 0x1c]),
            ("unterminated group", [0x6b, 0x38, 0x73, 0x00, 0x1b, 0x08, 0x01]),
            ("fixed64 cut short", [0x6b, 0x38, 0x73, 0x00, 0x19, 0x01, 0x02]),
            ("fixed32 cut short", [0x6b, 0x38, 0x73, 0x00, 0x1d, 0x01]),
            ("type meta as a varint", [0x6b, 0x38, 0x73, 0x00, 0x08, 0x01]),
            ("raw cut short inside", envelope(field(1, [0x0a, 0x50, 0x41]))),
            ("metadata name as a varint", envelope(field(1, [0x08, 0x01]))),
            ("data entry cut short", envelope(meta + [0x12, 0x05, 0x0a, 0x09, 0x61])),
            ("envelope for a Pod to configmaps", envelope(meta, kind: "Pod")),
            ("kind without field numbers", envelope(meta, kind: "Eviction")),
            ("kind of garbage bytes", envelope(meta, kind: "\u{1}\u{2}")),
            ("envelope for a Secret to configmaps", envelope(meta, kind: "Secret")),
            ("nested messages past the end", envelope(field(1, field(13, field(1, [0xff, 0xff]))))),
        ]
        var out = bodies.map { Case(name: "protobuf: " + $0.0, bytes: request("POST", cms, body: $0.1, contentType: "application/vnd.kubernetes.protobuf")) }
        // Bodies Go accepts too, sent as dry runs: metav1.Time takes any seconds and the server
        // sets creationTimestamp itself; generation is the server's to set (kplane drops it on
        // create, as from JSON); finalizers may repeat.
        let accepted: [(String, [UInt8])] = [
            ("creationTimestamp of Int64.max seconds", envelope(field(1, field(1, Array("evil".utf8)) + field(8, [0x08] + varint(UInt64(Int64.max)))))),
            ("creationTimestamp of Int64.min seconds", envelope(field(1, field(1, Array("evil".utf8)) + field(8, [0x08] + varint(UInt64(bitPattern: Int64.min)))))),
            ("generation of UInt64.max", envelope(field(1, field(1, Array("evil".utf8)) + [0x38] + varint(UInt64.max)) + field(2, field(1, [0x61]) + field(2, [0x62])))),
            ("50000 repeated finalizers", envelope(field(1, field(1, Array("evil".utf8)) + Array((0..<50_000).map { _ in field(14, [0x78]) }.joined())))),
        ]
        out += accepted.map {
            Case(name: "protobuf: \($0.0) (dry run)", bytes: request("POST", cms + "?dryRun=All", body: $0.1, contentType: "application/vnd.kubernetes.protobuf"), expect: .answered)
        }
        var rng = SplitMix(seed: 0x6b387300)
        for i in 0..<12 {
            let noise = (0..<(8 + i * 7)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            out.append(Case(name: "protobuf: random bytes \(i)", bytes: request("POST", cms, body: [0x6b, 0x38, 0x73, 0x00] + noise, contentType: "application/vnd.kubernetes.protobuf")))
        }
        out.append(Case(name: "protobuf: deployment spec cut short", bytes: request("POST", "/apis/apps/v1/namespaces/default/deployments",
            body: envelope(field(1, field(1, Array("evil".utf8))) + field(2, [0x1a, 0x40, 0x12]), kind: "Deployment", apiVersion: "apps/v1"), contentType: "application/vnd.kubernetes.protobuf")))
        return out
    }

    // MARK: names and paths

    static var names: [Case] {
        let badNames = ["%00", "..", ".", "UPPER", "a_b", "-a", String(repeating: "a", count: 254), "%F0%9F%92%A3", "a%2Fb", "%ff%fe"]
        var out = badNames.map { n in
            Case(name: "name \(n.prefix(20)) in a create", bytes: post(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":""# + (n.removingPercentEncoding ?? n) + #""}}"#))
        }
        out += badNames.map { n in Case(name: "GET of name \(n.prefix(20))", bytes: request("GET", cms + "/" + n), expect: .clientError) }
        out += [
            // kube-apiserver lists an invalid namespace as an empty one.
            Case(name: "namespace that is not a name", bytes: request("GET", "/api/v1/namespaces/NOPE!/configmaps"), expect: .answered),
            Case(name: "namespace of 300 characters", bytes: request("GET", "/api/v1/namespaces/" + String(repeating: "n", count: 300) + "/configmaps"), expect: .answered),
            Case(name: "create in a missing namespace", bytes: request("POST", "/api/v1/namespaces/nope/configmaps", text: configMap("")), expect: .code(404)),
            Case(name: "unknown resource", bytes: request("GET", "/api/v1/namespaces/default/nothings"), expect: .code(404)),
            Case(name: "unknown group", bytes: request("GET", "/apis/evil.io/v1/things"), expect: .code(404)),
            Case(name: "too many path segments", bytes: request("GET", cms + "/a/b/c/d/e/f"), expect: .code(404)),
            Case(name: "unknown subresource", bytes: request("GET", target + "/evil"), expect: .code(404)),
            Case(name: "path of dots", bytes: request("GET", "/api/v1/../../../etc/passwd"), expect: .code(404)),
            Case(name: "percent garbage", bytes: request("GET", "/api/v1/%zz%"), expect: .code(404)),
            Case(name: "double slashes", bytes: request("GET", "//api//v1//namespaces//default//configmaps//nope"), expect: .code(404)),
            Case(name: "POST to a named object", bytes: request("POST", target, text: configMap("")), expect: .code(405)),
            Case(name: "PUT to a collection", bytes: request("PUT", cms, text: configMap("")), expect: .code(405)),
            Case(name: "TRACE", bytes: request("TRACE", cms), expect: .code(405)),
            Case(name: "query of 5000 parameters", bytes: request("GET", cms + "/nope?" + (0..<5000).map { "p\($0)=\($0)" }.joined(separator: "&")), expect: .code(404)),
            Case(name: "watch=maybe and a selector of operators", bytes: request("GET", cms + "?watch=maybe&fieldSelector=metadata.name%3D%3D%3D"), expect: .answered),
        ]
        return out
    }

    // MARK: selectors

    static var selectors: [Case] {
        let labels = ["=", "a in (", "!", "a==b==c", "a in (x,", "a notin", "a,,b", "a=b=c", "a!", "in in in", "a in ()", "a=(b)", "%00",
                      "a=" + String(repeating: "v", count: 64), String(repeating: "k", count: 64) + "=v", "a=b,", "a in (b c)", "!a=b", "a>b", "a<", "a=%ff"]
        var out = labels.map { l in
            // apimachinery reads "()" as one empty value.
            Case(name: "labelSelector \(l.prefix(16))", bytes: request("GET", cms + "?labelSelector=" + (l.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? l)),
                 expect: l == "a in ()" ? .answered : .code(400))
        }
        let fields = ["spec.nope=x", "metadata.name", "=", "metadata.name==a==b", "metadata.name in (a)", "a=b,", "%00=1"]
        out += fields.map { f in
            Case(name: "fieldSelector \(f.prefix(16))", bytes: request("GET", cms + "?fieldSelector=" + (f.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? f)), expect: .code(400))
        }
        out.append(Case(name: "deletecollection with a bad selector", bytes: request("DELETE", cms + "?labelSelector=a%20in%20("), expect: .code(400)))
        return out
    }

    // MARK: resource versions and list options

    static var resourceVersions: [Case] {
        [
            ("list resourceVersion of letters", cms + "?resourceVersion=abc", Expect.answered),
            ("list negative resourceVersion", cms + "?resourceVersion=-5", .answered),
            ("list resourceVersion over 64 bits", cms + "?resourceVersion=99999999999999999999999", .answered),
            ("watch resourceVersion of letters", cms + "?watch=true&resourceVersion=abc", .code(400)),
            ("watch negative resourceVersion", cms + "?watch=true&resourceVersion=-1", .code(400)),
            ("get resourceVersion of letters", target + "?resourceVersion=abc", .answered),
            ("resourceVersionMatch without resourceVersion", cms + "?resourceVersionMatch=Exact", .answered),
            ("resourceVersionMatch garbage", cms + "?resourceVersion=1&resourceVersionMatch=Maybe", .answered),
            ("continue garbage", cms + "?limit=1&continue=%%%garbage", .code(400)),
            ("continue of base64 garbage", cms + "?limit=1&continue=eyJ2IjoxfQ", .code(400)),
            ("limit of letters", cms + "?limit=abc", .answered),
            ("negative limit", cms + "?limit=-1", .answered),
            ("limit over 64 bits", cms + "?limit=99999999999999999999999", .answered),
            ("negative timeoutSeconds on a watch", cms + "?watch=true&timeoutSeconds=-1&resourceVersion=abc", .code(400)),
            ("sendInitialEvents without watch", cms + "?sendInitialEvents=true", .answered),
            ("watch from a compacted revision", cms + "?watch=true&resourceVersion=1&timeoutSeconds=1", .answered),
        ].map { Case(name: $0.0, bytes: request("GET", $0.1), expect: $0.2) }
    }

    // MARK: patches of each type

    static func patch(_ name: String, _ type: String, _ body: String, path: String = target, expect: Expect = .clientError) -> Case {
        Case(name: "patch \(type): \(name)", bytes: request("PATCH", path, text: body, contentType: "application/\(type)"), expect: expect)
    }

    static var patches: [Case] {
        let copyBomb = "[" + #"{"op":"add","path":"/data/x","value":""# + String(repeating: "x", count: 60_000) + #""}"#
            + (0..<40).map { _ in #",{"op":"copy","from":"/data","path":"/metadata/annotations"},{"op":"copy","from":"/metadata","path":"/data/m"}"# }.joined() + "]"
        let doubling = #"[{"op":"add","path":"/data","value":{"a":"aaaaaaaaaa"}}"# + (0..<64).map { _ in #",{"op":"copy","from":"/data","path":"/data/a"}"# }.joined() + "]"
        let deepAdds = "[" + (1...700).map { i in #"{"op":"add","path":""# + String(repeating: "/a", count: i) + #"","value":{}}"# }.joined(separator: ",") + "]"
        let deepValue = #"[{"op":"add","path":"/data/x","value":"# + String(repeating: "[", count: 600) + String(repeating: "]", count: 600) + "}]"
        let selfCopies = #"[{"op":"add","path":"/data","value":{"a":{}}}"# + (0..<40).map { _ in #",{"op":"copy","from":"/data","path":"/data/a/a"}"# }.joined() + "]"
        return [
            patch("not JSON", "json-patch+json", "[{"),
            patch("an object", "json-patch+json", "{}"),
            patch("op missing", "json-patch+json", #"[{"path":"/data/a"}]"#),
            patch("op unknown", "json-patch+json", #"[{"op":"explode","path":"/data/a"}]"#),
            patch("path without slash", "json-patch+json", #"[{"op":"add","path":"data/a","value":"1"}]"#),
            patch("path missing", "json-patch+json", #"[{"op":"add","value":"1"}]"#),
            patch("value missing", "json-patch+json", #"[{"op":"add","path":"/data/b"}]"#),
            patch("remove of nothing", "json-patch+json", #"[{"op":"remove","path":"/data/nope"}]"#),
            patch("index over 64 bits", "json-patch+json", #"[{"op":"add","path":"/metadata/finalizers/99999999999999999999","value":"x"}]"#),
            patch("negative index", "json-patch+json", #"[{"op":"add","path":"/metadata/finalizers/-5","value":"x"}]"#),
            patch("dash in replace", "json-patch+json", #"[{"op":"replace","path":"/metadata/finalizers/-","value":"x"}]"#),
            patch("test failing", "json-patch+json", #"[{"op":"test","path":"/data/a","value":"2"}]"#),
            patch("path of 100000 segments", "json-patch+json", #"[{"op":"add","path":""# + String(repeating: "/a", count: 100_000) + #"","value":1}]"#),
            patch("copy bomb", "json-patch+json", copyBomb, expect: .code(422)),
            patch("copy doubling", "json-patch+json", doubling, expect: .code(422)),
            patch("copies into themselves", "json-patch+json", selfCopies, expect: .code(422)),
            patch("700 nested adds", "json-patch+json", deepAdds, expect: .code(422)),
            patch("deep value", "json-patch+json", deepValue, expect: .code(400)),
            patch("10001 operations", "json-patch+json", "[" + Array(repeating: #"{"op":"test","path":"/kind","value":"ConfigMap"}"#, count: 10_001).joined(separator: ",") + "]", expect: .code(413)),
            patch("change of name", "json-patch+json", #"[{"op":"replace","path":"/metadata/name","value":"other"}]"#, path: dryRun, expect: .answered),
            patch("change of resourceVersion", "json-patch+json", #"[{"op":"replace","path":"/metadata/resourceVersion","value":"1"}]"#, expect: .code(409)),
            patch("not JSON", "merge-patch+json", "{"),
            patch("deep object", "merge-patch+json", #"{"data":"# + String(repeating: #"{"a":"#, count: 600) + "1" + String(repeating: "}", count: 600) + "}", expect: .code(400)),
            patch("metadata null", "merge-patch+json", #"{"metadata":null}"#),
            patch("kind changed", "merge-patch+json", #"{"kind":"Secret"}"#),
            patch("data as a number", "merge-patch+json", #"{"data":5}"#),
            patch("body over 3 MB", "merge-patch+json", #"{"data":{"b":""# + String(repeating: "y", count: 3_200_000) + #""}}"#, expect: .code(413)),
            patch("an array", "merge-patch+json", "[1,2]"),
            patch("not JSON", "strategic-merge-patch+json", "}"),
            patch("an array", "strategic-merge-patch+json", "[]"),
            patch("bad $patch directive", "strategic-merge-patch+json", #"{"$patch":"explode"}"#),
            patch("$retainKeys of a string", "strategic-merge-patch+json", #"{"data":{"$retainKeys":"a"}}"#),
            patch("containers without names", "strategic-merge-patch+json", #"{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}"#, path: deployment),
            patch("50000 containers", "strategic-merge-patch+json", #"{"spec":{"template":{"spec":{"containers":["# + (0..<50_000).map { #"{"name":"c\#($0)"}"# }.joined(separator: ",") + "]}}}}", path: deployment),
            patch("$setElementOrder of 50000", "strategic-merge-patch+json", #"{"spec":{"template":{"spec":{"$setElementOrder/containers":["# + (0..<50_000).map { #"{"name":"c\#($0)"}"# }.joined(separator: ",") + "]}}}}", path: deployment + "?dryRun=All", expect: .answered),
            // Long lists must merge in linear time: the store holds its lock while a patch applies.
            patch("$deleteFromPrimitiveList of 50000", "strategic-merge-patch+json", #"{"metadata":{"$deleteFromPrimitiveList/finalizers":["# + (0..<50_000).map { #""f\#($0)""# }.joined(separator: ",") + "]}}", path: dryRun, expect: .answered),
            patch("finalizers set-merge of 50000", "strategic-merge-patch+json", #"{"metadata":{"finalizers":["# + (0..<50_000).map { #""f\#($0)""# }.joined(separator: ",") + "]}}", path: dryRun, expect: .answered),
            patch("replicas as a string", "strategic-merge-patch+json", #"{"spec":{"replicas":"many"}}"#, path: deployment),
            patch("billion laughs", "apply-patch+yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: target\na: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"),
            patch("not YAML", "apply-patch+yaml", "a: [\n"),
            patch("deep YAML", "apply-patch+yaml", String(repeating: "[", count: 100_000)),
            patch("unknown patch type", "x-unknown-patch", "{}", expect: .code(415)),
            patch("of a missing object", "merge-patch+json", "{}", path: cms + "/nope", expect: .code(404)),
            patch("of a collection", "merge-patch+json", "{}", path: cms, expect: .code(405)),
        ]
    }
}

extension HostileCorpus.Expect: Equatable {
    /// In the tables only: a body a server may accept, sent as a dry run.
    static let dryRun = HostileCorpus.Expect.code(-1)
}

/// A small seeded generator, so random cases are the same on every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
