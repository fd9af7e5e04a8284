extension JSONValue {
    /// Levels of arrays and objects (a scalar has none), counted without recursion, so a value of
    /// any shape can be measured before a recursive walk meets it.
    public var depth: Int {
        var deepest = 0
        var pending: [(JSONValue, Int)] = [(self, 0)]
        while let (value, level) = pending.popLast() {
            switch value {
            case .array(let a):
                deepest = max(deepest, level + 1)
                for v in a { pending.append((v, level + 1)) }
            case .object(let o):
                deepest = max(deepest, level + 1)
                for v in o.values { pending.append((v, level + 1)) }
            default:
                deepest = max(deepest, level)
            }
        }
        return deepest
    }

    /// About how many bytes the value's JSON takes, counted without building it and without
    /// recursion, stopping as soon as the count passes `limit` (a value whose parts are shared can
    /// stand for far more JSON than it takes memory).
    public func serializedSize(upTo limit: Int) -> Int {
        var size = 0
        var pending: [JSONValue] = [self]
        while let value = pending.popLast(), size <= limit {
            switch value {
            case .null: size += 4
            case .bool(let b): size += b ? 4 : 5
            case .int(let i): size += String(i).utf8.count
            case .double(let d): size += JSONSerializer.formatDouble(d).utf8.count
            case .string(let s): size += s.utf8.count + 2
            case .array(let a):
                size += 2 + max(a.count - 1, 0)
                pending.append(contentsOf: a)
            case .object(let o):
                size += 2 + max(o.count - 1, 0)
                for (k, v) in o {
                    size += k.utf8.count + 3
                    pending.append(v)
                }
            }
        }
        return size
    }
}
