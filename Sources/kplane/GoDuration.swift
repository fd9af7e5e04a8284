import Foundation

/// Go's duration syntax for flags (`1h0m0s`, `90s`, `1.5h`, `500ms`), as kube-apiserver reads them.
enum GoDuration {
    static func seconds(_ text: String) -> TimeInterval? {
        let units: [(String, Double)] = [("ms", 0.001), ("h", 3600), ("m", 60), ("s", 1)]
        var rest = Substring(text)
        var total = 0.0
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            guard let (unit, scale) = units.first(where: { rest.hasPrefix($0.0) }) else { return text == "0" ? 0 : nil }
            rest = rest.dropFirst(unit.count)
            total += value * scale
        }
        return total
    }
}
