import Foundation

/// RFC 3339 timestamps at second precision, as metav1.Time serializes ("2024-01-01T00:00:00Z").
public enum Timestamp {
    /// RFC 3339 years run from 0000 to 9999; a date beyond (now plus a grace period of
    /// Int64.max seconds) is written as the nearest end instead of trapping.
    static let earliest: Double = -62_167_219_200, latest: Double = 253_402_300_799

    public static func format(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        var t = time_t(seconds.isNaN ? 0 : min(max(seconds, earliest), latest))
        var tmv = tm()
        gmtime_r(&t, &tmv)
        func pad(_ v: Int32, _ n: Int = 2) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        return "\(pad(tmv.tm_year + 1900, 4))-\(pad(tmv.tm_mon + 1))-\(pad(tmv.tm_mday))T\(pad(tmv.tm_hour)):\(pad(tmv.tm_min)):\(pad(tmv.tm_sec))Z"
    }

    /// metav1.MicroTime ("2024-01-01T00:00:00.123456Z"), as Lease renew times are written.
    public static func formatMicro(_ date: Date) -> String {
        let fraction = date.timeIntervalSince1970 - date.timeIntervalSince1970.rounded(.down)
        let micros = fraction.isFinite ? Int(fraction * 1_000_000) : 0
        let digits = String(micros)
        return String(format(date).dropLast()) + "." + String(repeating: "0", count: max(0, 6 - digits.count)) + digits + "Z"
    }

    /// Parses the RFC 3339 forms Kubernetes writes (with optional fraction and offset).
    public static func parse(_ s: String) -> Date? {
        let b = Array(s.utf8)
        guard b.count >= 20 else { return nil }
        func num(_ from: Int, _ len: Int) -> Int32? {
            guard from + len <= b.count else { return nil }
            var v: Int32 = 0
            for i in from..<(from + len) {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                v = v * 10 + Int32(b[i] - 48)
            }
            return v
        }
        guard let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let h = num(11, 2), let mi = num(14, 2),
            let sec = num(17, 2)
        else { return nil }
        var tmv = tm()
        tmv.tm_year = y - 1900
        tmv.tm_mon = mo - 1
        tmv.tm_mday = d
        tmv.tm_hour = h
        tmv.tm_min = mi
        tmv.tm_sec = sec
        var seconds = Double(timegm(&tmv))
        var i = 19
        if i < b.count, b[i] == UInt8(ascii: ".") {
            var frac = 0.0
            var scale = 0.1
            i += 1
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                frac += Double(b[i] - 48) * scale
                scale /= 10
                i += 1
            }
            seconds += frac
        }
        if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-"), let oh = num(i + 1, 2), let om = num(i + 4, 2) {
            let offset = Double(oh * 3600 + om * 60)
            seconds += b[i] == UInt8(ascii: "+") ? -offset : offset
        }
        return Date(timeIntervalSince1970: seconds)
    }
}
