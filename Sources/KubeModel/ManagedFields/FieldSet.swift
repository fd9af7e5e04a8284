/// A set of field paths, as structured-merge-diff's `fieldpath.Set`: a tree whose edges are path
/// elements in their `fieldsV1` spelling (`f:spec`, `k:{"name":"app"}`, `v:"x"`, `i:0`). A path
/// is in the set when its last element is a member of the node its prefix reaches; a node may
/// have both (`.` in `fieldsV1`: the list item itself and fields below it).
public struct FieldSet: Sendable, Equatable {
    public var members: Set<String> = []
    public var children: [String: FieldSet] = [:]

    public init() {}

    public var isEmpty: Bool { members.isEmpty && children.isEmpty }

    /// A set holding the given paths.
    public init(_ paths: [[String]]) {
        for p in paths { insert(p) }
    }

    public mutating func insert(_ path: [String]) {
        guard let first = path.first else { return }
        insert(path[...], first)
    }

    private mutating func insert(_ path: ArraySlice<String>, _ first: String) {
        if path.count == 1 {
            members.insert(first)
            return
        }
        let rest = path.dropFirst()
        children[first, default: FieldSet()].insert(rest, rest[rest.startIndex])
    }

    public func contains(_ path: [String]) -> Bool {
        var node = self
        for (i, e) in path.enumerated() {
            if i == path.count - 1 { return node.members.contains(e) }
            guard let child = node.children[e] else { return false }
            node = child
        }
        return false
    }

    /// The node below one element (empty when there is none).
    public subscript(child element: String) -> FieldSet { children[element] ?? FieldSet() }

    /// The union, walking the smaller of the two.
    public func union(_ other: FieldSet) -> FieldSet {
        var out: FieldSet
        if members.count + children.count >= other.members.count + other.children.count {
            out = self
            out.formUnion(other)
        } else {
            out = other
            out.formUnion(self)
        }
        return out
    }

    public mutating func formUnion(_ other: FieldSet) {
        if isEmpty {
            self = other
            return
        }
        members.formUnion(other.members)
        for (e, c) in other.children {
            if children[e] == nil { children[e] = c } else { children[e]?.formUnion(c) }
        }
    }

    // The set operations walk `other`, which is small on the write path (a comparison, the
    // stripped metadata), and keep the untouched parts of `self` as they are (copy on write).

    /// The paths of this set that are not paths of `other` (exact paths, as fieldpath's
    /// `Difference`: removing `.spec` leaves `.spec.replicas`).
    public func subtracting(_ other: FieldSet) -> FieldSet {
        var out = self
        for m in other.members { out.members.remove(m) }
        for (e, o) in other.children {
            guard let c = children[e] else { continue }
            let rest = c.subtracting(o)
            out.children[e] = rest.isEmpty ? nil : rest
        }
        return out
    }

    public func intersection(_ other: FieldSet) -> FieldSet {
        var out = FieldSet()
        let (small, large) = members.count <= other.members.count ? (members, other.members) : (other.members, members)
        for m in small where large.contains(m) { out.members.insert(m) }
        let (few, many) = children.count <= other.children.count ? (children, other.children) : (other.children, children)
        for (e, c) in few {
            guard let o = many[e] else { continue }
            let both = c.intersection(o)
            if !both.isEmpty { out.children[e] = both }
        }
        return out
    }

    /// Whether the two sets share a path.
    public func intersects(_ other: FieldSet) -> Bool {
        let (small, large) = members.count <= other.members.count ? (members, other.members) : (other.members, members)
        if small.contains(where: large.contains) { return true }
        let (few, many) = children.count <= other.children.count ? (children, other.children) : (other.children, children)
        return few.contains { e, c in many[e].map(c.intersects) ?? false }
    }

    /// The paths of this set that neither are nor lie below a path of `other` (fieldpath's
    /// `RecursiveDifference`: removing `.status` removes all of it).
    public func subtractingRecursively(_ other: FieldSet) -> FieldSet {
        var out = self
        for m in other.members {
            out.members.remove(m)
            out.children[m] = nil
        }
        for (e, o) in other.children where !other.members.contains(e) {
            guard let c = children[e] else { continue }
            let rest = c.subtractingRecursively(o)
            out.children[e] = rest.isEmpty ? nil : rest
        }
        return out
    }

    /// Every path of the set, depth first in element order.
    public var paths: [[String]] {
        var out: [[String]] = []
        var prefix: [String] = []
        collect(&prefix, into: &out)
        return out
    }

    private func collect(_ prefix: inout [String], into out: inout [[String]]) {
        for e in members.union(children.keys).sorted(by: FieldPath.elementOrder) {
            prefix.append(e)
            if members.contains(e) { out.append(prefix) }
            children[e]?.collect(&prefix, into: &out)
            prefix.removeLast()
        }
    }
}
