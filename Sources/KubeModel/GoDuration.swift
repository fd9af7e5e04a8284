import Foundation

/// Go's duration syntax (`1h0m0s`, `90s`, `1.5h`, `500ms`), as kube-apiserver reads its flags
/// and kplane reads the durations of simulated usage.
public enum GoDuration {
    public static func seconds(_ text: String) -> TimeInterval? {
        let units: [(String, Double)] = [("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 0.001), ("h", 3600), ("m", 60), ("s", 1)]
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
        // Go's time.Duration ends at 2562047h47m16.854775807s; ParseDuration refuses more.
        return total.isFinite && total <= 9_223_372_036.854775807 ? total : nil
    }

    /// Go's `time.Duration.String` for durations of a second or more (`2m3.5s`, `1h0m0s`),
    /// to nanosecond precision as Go prints them.
    public static func string(seconds: TimeInterval) -> String {
        var nanos = Int64((seconds * 1e9).rounded())
        let negative = nanos < 0
        nanos = abs(nanos)
        let h = nanos / 3_600_000_000_000, m = nanos / 60_000_000_000 % 60
        let whole = nanos / 1_000_000_000 % 60, fraction = nanos % 1_000_000_000
        var s = "\(whole)"
        if fraction > 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: 9 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            s += "." + digits
        }
        s += "s"
        if h > 0 { s = "\(h)h\(m)m" + s } else if m > 0 { s = "\(m)m" + s }
        return (negative ? "-" : "") + s
    }
}
