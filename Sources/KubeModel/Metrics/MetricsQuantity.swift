/// How metrics-server writes usage: CPU in nanocores (`12345678n`, resource.NewScaledQuantity
/// at nano scale) and memory as a binary-SI quantity of bytes (`27044Ki`), each in its
/// canonical form, so what kubectl and client libraries parse is what they parse from a real
/// cluster.
public enum MetricsQuantity {
    /// `0`, or nanocores as `Nn` reduced to the largest exact decimal suffix (`250m`, `2`).
    public static func cpu(nanoCores: Int64) -> String {
        guard nanoCores > 0 else { return "0" }
        if nanoCores % 1_000_000_000 == 0 { return "\(nanoCores / 1_000_000_000)" }
        if nanoCores % 1_000_000 == 0 { return "\(nanoCores / 1_000_000)m" }
        if nanoCores % 1000 == 0 { return "\(nanoCores / 1000)u" }
        return "\(nanoCores)n"
    }

    /// Bytes with the largest binary suffix that divides them exactly (`50Mi`, `27044Ki`).
    public static func memory(bytes: Int64) -> String {
        guard bytes > 0 else { return "0" }
        let suffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
        var value = bytes, i = 0
        while value % 1024 == 0 && i < suffixes.count - 1 {
            value /= 1024
            i += 1
        }
        return "\(value)\(suffixes[i])"
    }
}

extension Int64 {
    /// A Double in range: NaN as 0, beyond the ends the end, so no conversion traps on a
    /// hostile or huge figure.
    public init(clampingValue v: Double) {
        if v.isNaN { self = 0 } else if v >= 9.2e18 { self = .max } else if v <= -9.2e18 { self = .min } else { self = Int64(v) }
    }

    /// Adds without trapping: a sum past the end stays at the end.
    public func addingSaturated(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }

    /// Subtracts without trapping: a difference past the end stays at the end.
    public func subtractingSaturated(_ other: Int64) -> Int64 {
        let (difference, overflow) = subtractingReportingOverflow(other)
        return overflow ? (other > 0 ? .min : .max) : difference
    }
}
