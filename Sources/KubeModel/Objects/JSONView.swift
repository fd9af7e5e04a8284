import Foundation

/// A typed view of an object, or of one part of it, over its JSON. The view holds the value it
/// was made from (no copy, no decoding) and each property reads one field, so a misspelt field is
/// a compile error instead of a silent default. Writes still build `JSONValue`s; the API server's
/// generic paths keep working on the untyped value.
public protocol JSONView: Sendable {
    var json: JSONValue { get }
    init(_ json: JSONValue)
}

/// The field readers the views are written with: the one place where a field's name is spelt.
extension JSONView {
    /// The member as a view; an absent member reads as an empty object.
    @inline(__always) func view<V: JSONView>(_ key: String) -> V { V(json[key] ?? .emptyObject) }
    /// An array member as views; absent reads as empty.
    @inline(__always) func views<V: JSONView>(_ key: String) -> [V] { (json[key]?.arrayValue ?? []).map(V.init) }
    @inline(__always) func string(_ key: String) -> String? { json[key]?.stringValue }
    @inline(__always) func int(_ key: String) -> Int64? { json[key]?.intValue }
    @inline(__always) func bool(_ key: String) -> Bool? { json[key]?.boolValue }
    @inline(__always) func time(_ key: String) -> Date? { json[key]?.stringValue.flatMap(Timestamp.parse) }
    /// A map of strings (labels, annotations, nodeSelector); non-string values read as "".
    func stringMap(_ key: String) -> [String: String] {
        guard let o = json[key]?.objectValue else { return [:] }
        var out: [String: String] = [:]
        out.reserveCapacity(o.count)
        for (k, v) in o { out[k] = v.stringValue ?? "" }
        return out
    }
    func strings(_ key: String) -> [String] { (json[key]?.arrayValue ?? []).compactMap(\.stringValue) }
    /// A resource.Quantity, written as a string (`250m`, `4Gi`) or a number; nil when absent or
    /// not a quantity.
    func quantity(_ key: String) -> Quantity? {
        guard let v = json[key] else { return nil }
        if let s = v.stringValue { return Quantity(s) }
        if let i = v.intValue { return Quantity(String(i)) }
        return v.doubleValue.flatMap { Quantity(String($0)) }
    }
}

/// A top-level object: `apiVersion`, `kind` and `metadata`.
public protocol KubeObject: JSONView {}

extension KubeObject {
    public var apiVersion: String { string("apiVersion") ?? "" }
    public var kind: String { string("kind") ?? "" }
    public var metadata: ObjectMeta { view("metadata") }
}

/// A kind with `spec` (what the user wants) and `status` (what controllers observed), each a
/// nested view type named `Spec` and `Status`; an absent one reads as empty.
public protocol SpecAndStatus: KubeObject {
    associatedtype Spec: JSONView
    associatedtype Status: JSONView
}

extension SpecAndStatus {
    public var spec: Spec { view("spec") }
    public var status: Status { view("status") }
}
