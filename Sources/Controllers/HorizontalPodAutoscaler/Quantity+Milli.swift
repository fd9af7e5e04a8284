import Foundation
import KubeModel

/// Exact milli-values of quantities, as `resource.Quantity.MilliValue()` computes them (rounded
/// up), and their DecimalSI form, as `resource.NewMilliQuantity(v, DecimalSI).String()` prints
/// them: the HPA's averages ("1500m", "2", "64M") must read as kube-controller-manager writes them.
extension Quantity {
    /// The value in thousandths, from the written digits rather than a Double ("1.1" is 1100,
    /// "123m" is 123); falls back to the Double value for forms it does not parse.
    var exactMilliValue: Int64 {
        Quantity.parseMilli(text.trimmingSpaces()) ?? milliValue
    }

    private static let decimalExponents: [String: Int] = [
        "n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18,
    ]
    private static let binaryShifts: [String: Int] = ["Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60]

    private static func parseMilli(_ s: String) -> Int64? {
        var chars = Substring(s)
        var negative = false
        if let f = chars.first, f == "+" || f == "-" { negative = f == "-"; chars = chars.dropFirst() }
        let number = chars.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        let suffix = String(chars.dropFirst(number.count))
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        guard !number.isEmpty, parts.count <= 2 else { return nil }
        let digits = parts.joined()
        guard !digits.isEmpty, digits.count <= 30, let mantissa = Int128(digits) else { return nil }
        let scale = parts.count == 2 ? parts[1].count : 0
        var exponent = 3 - scale
        var multiplier: Int128 = 1
        if let e = decimalExponents[suffix] {
            exponent += e
        } else if let shift = binaryShifts[suffix] {
            multiplier = Int128(1) << shift
        } else if let f = suffix.first, f == "e" || f == "E", let e = Int(suffix.dropFirst()), abs(e) < 40 {
            exponent += e
        } else {
            return nil
        }
        // Thirty digits of Ei do not fit even 128 bits: such an amount saturates.
        let (product, overflow) = mantissa.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { return negative ? Int64.min : Int64.max }
        var numerator = product
        var denominator: Int128 = 1
        for _ in 0..<abs(exponent) {
            if exponent > 0 {
                guard numerator <= Int128(Int64.max) else { return negative ? Int64.min : Int64.max }
                numerator *= 10
            } else {
                // Once past the numerator the quotient is below one either way (rounded below).
                guard denominator <= numerator, denominator <= Int128.max / 10 else { break }
                denominator *= 10
            }
        }
        var value = numerator / denominator
        if numerator % denominator != 0 { value += negative ? 0 : 1 }
        if negative { value = -value }
        return Int64(clamping: value)
    }

    /// DecimalSI text of a milli-value: "1500m", "2", "3k", "64M", "0".
    static func decimalSI(milli: Int64) -> String {
        if milli == 0 { return "0" }
        if milli % 1000 != 0 { return "\(milli)m" }
        var mantissa = milli / 1000
        let suffixes = ["", "k", "M", "G", "T", "P", "E"]
        var index = 0
        while mantissa % 1000 == 0, index < suffixes.count - 1 {
            mantissa /= 1000
            index += 1
        }
        return "\(mantissa)\(suffixes[index])"
    }
}
