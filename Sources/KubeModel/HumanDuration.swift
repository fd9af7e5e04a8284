/// Ages as kubectl prints them (k8s.io/apimachinery/pkg/util/duration.HumanDuration):
/// "45s", "5m3s", "3h12m", "14d", "2y30d".
public enum HumanDuration {
    public static func format(seconds: Double) -> String {
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        let s = Int64(seconds)
        if s < 120 { return "\(s)s" }
        let m = s / 60
        if m < 10 {
            let rs = s % 60
            return rs == 0 ? "\(m)m" : "\(m)m\(rs)s"
        }
        if m < 180 { return "\(m)m" }
        let h = m / 60
        if h < 8 {
            let rm = m % 60
            return rm == 0 ? "\(h)h" : "\(h)h\(rm)m"
        }
        if h < 48 { return "\(h)h" }
        if h < 24 * 8 {
            let rh = h % 24
            return rh == 0 ? "\(h / 24)d" : "\(h / 24)d\(rh)h"
        }
        if h < 24 * 365 * 2 { return "\(h / 24)d" }
        let y = h / (24 * 365)
        if y < 8 {
            let dd = (h / 24) % 365
            return dd == 0 ? "\(y)y" : "\(y)y\(dd)d"
        }
        return "\(y)y"
    }
}
