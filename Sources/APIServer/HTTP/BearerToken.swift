import Foundation

/// The token of an `Authorization` header as kube-apiserver's bearer-token authenticator reads
/// it: the scheme in any letter case, the token the second space-separated word.
enum BearerToken {
    static func parse(_ header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.trimmingCharacters(in: .whitespacesAndNewlines)
            .split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else { return nil }
        return String(parts[1])
    }
}
