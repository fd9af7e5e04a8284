/// A Kubernetes resource quantity ("200m", "256Mi", "1.5", "2e3"), parsed as resource.Quantity does.
public struct Quantity: Sendable, Equatable, Comparable, CustomStringConvertible {
    public let text: String
    /// The value in base units (cores, bytes). Double is exact enough for scheduling and display.
    public let value: Double

    public static let formatMessage =
        "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"

    private static let suffixes: [String: Double] = [
        "": 1, "n": 1e-9, "u": 1e-6, "m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18,
        "Ki": 1024, "Mi": 1_048_576, "Gi": 1_073_741_824, "Ti": 1_099_511_627_776,
        "Pi": 1_125_899_906_842_624, "Ei": 1_152_921_504_606_846_976,
    ]

    public init?(_ text: String) {
        let t = text.trimmingSpaces()
        guard !t.isEmpty else { return nil }
        var chars = Array(t.utf8)
        var sign = 1.0
        if chars.first == UInt8(ascii: "+") || chars.first == UInt8(ascii: "-") {
            if chars[0] == UInt8(ascii: "-") { sign = -1 }
            chars.removeFirst()
        }
        var i = 0
        var dots = 0
        while i < chars.count, (chars[i] >= 48 && chars[i] <= 57) || chars[i] == UInt8(ascii: ".") {
            if chars[i] == UInt8(ascii: ".") { dots += 1 }
            i += 1
        }
        guard i > 0, dots <= 1, !(i == 1 && dots == 1) else { return nil }
        guard let number = Double(String(decoding: chars[0..<i], as: UTF8.self)) else { return nil }
        let suffix = String(decoding: chars[i...], as: UTF8.self)
        var multiplier: Double
        if let m = Self.suffixes[suffix] {
            multiplier = m
        } else if let first = suffix.first, first == "e" || first == "E",
            let exp = Int(suffix.dropFirst()), abs(exp) < 300
        {
            multiplier = 1
            for _ in 0..<abs(exp) { multiplier = exp > 0 ? multiplier * 10 : multiplier / 10 }
        } else {
            return nil
        }
        self.text = text
        self.value = sign * number * multiplier
    }

    /// Milli-units, as Kubernetes compares CPU.
    public var milliValue: Int64 { Int64(clampingValue: (value * 1000).rounded(.up)) }

    public var description: String { text }
    public static func < (a: Quantity, b: Quantity) -> Bool { a.value < b.value }
    public static func == (a: Quantity, b: Quantity) -> Bool { a.value == b.value }
}

extension String {
    public func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
