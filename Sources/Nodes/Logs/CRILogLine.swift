import Foundation

/// One line of a CRI container log file, as containerd writes it and the kubelet reads it:
/// `2016-10-06T00:17:09.669794202Z stdout F text` (`P` for a piece of a longer line).
public struct CRILogLine: Equatable, Sendable {
    public var time: CRITimestamp
    public var stream: String
    public var partial: Bool
    public var content: ArraySlice<UInt8>

    /// containerd's CRI logger cuts lines longer than this into partial (`P`) pieces.
    public static let maxLineSize = 16 * 1024

    /// The line as the runtime writes it: `<RFC3339Nano> <stream> <P|F> <content>\n`.
    public static func encode(time: CRITimestamp, stream: String, partial: Bool, content: ArraySlice<UInt8>, into out: inout [UInt8]) {
        time.append(to: &out, fixed: false)
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: stream.utf8)
        out.append(UInt8(ascii: " "))
        out.append(partial ? UInt8(ascii: "P") : UInt8(ascii: "F"))
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: content)
        out.append(UInt8(ascii: "\n"))
    }

    /// Parses a line as parseCRILog does: a full line keeps its newline (the reader prints it),
    /// a partial one loses it (the pieces join up). nil: not a CRI line (the kubelet skips it).
    public static func parse(_ line: ArraySlice<UInt8>) -> CRILogLine? {
        let space = UInt8(ascii: " ")
        guard let a = line.firstIndex(of: space), let time = CRITimestamp.parse(line[line.startIndex..<a]) else { return nil }
        let rest = line[(a + 1)...]
        guard let b = rest.firstIndex(of: space) else { return nil }
        let stream = String(decoding: rest[rest.startIndex..<b], as: UTF8.self)
        guard stream == "stdout" || stream == "stderr" else { return nil }
        let tagged = rest[(b + 1)...]
        guard let c = tagged.firstIndex(of: space) else { return nil }
        // Tags are `P` or `F`, possibly followed by `:`-separated others (kept forward compatible).
        let tag = tagged[tagged.startIndex..<c].split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false).first ?? []
        let partial = tag.elementsEqual("P".utf8)
        var content = tagged[(c + 1)...]
        if partial, content.last == UInt8(ascii: "\n") { content = content.dropLast() }
        return CRILogLine(time: time, stream: stream, partial: partial, content: content)
    }
}

/// A UTC instant at nanosecond precision, written as RFC 3339 (Go's RFC3339Nano in log files,
/// RFC3339NanoFixed, always nine digits, when `timestamps=true` prefixes a line).
public struct CRITimestamp: Equatable, Comparable, Sendable {
    public var seconds: Int64
    public var nanos: Int32

    public init(seconds: Int64, nanos: Int32) {
        self.seconds = seconds
        self.nanos = nanos
    }

    public init(_ date: Date) {
        let t = date.timeIntervalSince1970
        let s = t.rounded(.down)
        seconds = Int64(s)
        nanos = Int32(min(999_999_999, max(0, ((t - s) * 1e9).rounded())))
    }

    public var date: Date { Date(timeIntervalSince1970: Double(seconds) + Double(nanos) / 1e9) }

    public static func < (a: CRITimestamp, b: CRITimestamp) -> Bool { (a.seconds, a.nanos) < (b.seconds, b.nanos) }

    public func formatted(fixed: Bool) -> String {
        var out: [UInt8] = []
        append(to: &out, fixed: fixed)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `2006-01-02T15:04:05.999999999Z`: trailing zeros of the fraction trimmed (and the
    /// fraction left out when zero) unless fixed.
    public func append(to out: inout [UInt8], fixed: Bool) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (y, m, d) = Self.civil(days)
        func put(_ v: Int64, _ width: Int) {
            var digits = [UInt8](repeating: UInt8(ascii: "0"), count: width)
            var v = v
            for i in stride(from: width - 1, through: 0, by: -1) {
                digits[i] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            }
            out.append(contentsOf: digits)
        }
        put(y, 4); out.append(UInt8(ascii: "-")); put(m, 2); out.append(UInt8(ascii: "-")); put(d, 2)
        out.append(UInt8(ascii: "T"))
        put(secondOfDay / 3600, 2); out.append(UInt8(ascii: ":")); put(secondOfDay / 60 % 60, 2); out.append(UInt8(ascii: ":")); put(secondOfDay % 60, 2)
        if fixed || nanos != 0 {
            var width = 9
            var n = Int64(nanos)
            if !fixed { while n % 10 == 0 && width > 0 { n /= 10; width -= 1 } }
            out.append(UInt8(ascii: "."))
            put(n, width)
        }
        out.append(UInt8(ascii: "Z"))
    }

    /// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func civil(_ days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    private static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// RFC 3339 with an optional fraction of up to nine digits and `Z` or a `±hh:mm` offset
    /// (Go's RFC3339NanoLenient, as the kubelet parses log lines).
    public static func parse(_ text: ArraySlice<UInt8>) -> CRITimestamp? {
        let b = Array(text)
        guard b.count >= 20 else { return nil }
        func num(_ from: Int, _ len: Int) -> Int64? {
            guard from + len <= b.count else { return nil }
            var v: Int64 = 0
            for i in from..<(from + len) {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                v = v * 10 + Int64(b[i] - 48)
            }
            return v
        }
        guard b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"), b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
            let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let h = num(11, 2), let mi = num(14, 2), let s = num(17, 2),
            (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61
        else { return nil }
        var seconds = days(year: y, month: mo, day: d) * 86_400 + h * 3600 + mi * 60 + s
        var nanos: Int64 = 0
        var i = 19
        if b[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                if digits < 9 { nanos = nanos * 10 + Int64(b[i] - 48); digits += 1 }
                i += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<9 { nanos *= 10 }
        }
        guard i < b.count else { return nil }
        if b[i] == UInt8(ascii: "Z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-"), b.count == i + 6, let oh = num(i + 1, 2), let om = num(i + 4, 2) {
            let offset = oh * 3600 + om * 60
            seconds += b[i] == UInt8(ascii: "+") ? -offset : offset
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        return CRITimestamp(seconds: seconds, nanos: Int32(nanos))
    }
}
