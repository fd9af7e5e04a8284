import Foundation

/// Looks for media-type parameters in an Accept header. A byte search: Foundation's
/// `String.contains` and the standard library's generic `firstRange(of:)` were each a measurable
/// share of a GET.
enum AcceptHeader {
    static func mentions(_ accept: String, _ token: String) -> Bool {
        guard !accept.isEmpty else { return false }
        var accept = accept
        var token = token
        return accept.withUTF8 { a in
            token.withUTF8 { t in
                guard let first = t.first, let ap = a.baseAddress, let tp = t.baseAddress, t.count <= a.count else { return t.isEmpty }
                var i = 0
                while i + t.count <= a.count {
                    if a[i] == first && memcmp(ap + i, tp, t.count) == 0 { return true }
                    i += 1
                }
                return false
            }
        }
    }
}
