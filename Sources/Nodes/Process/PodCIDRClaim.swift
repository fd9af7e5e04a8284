import Foundation

/// Which /24 of 10.243.0.0/16 a process-backed node's pods take. Pod networks are real on this
/// machine (a bridge, routes), so two clusters running at once (a user's and a test's) must not
/// share one: each node claims a number machine-wide with a file created exclusively under
/// /run/kplane/pod-cidrs, naming its process; a claim whose process is gone (kill -9) is taken
/// over. A node asks first for the number it had, so its Node keeps its podCIDR across restarts.
/// Simulated nodes use 10.244.0.0/14 and route nothing, so they never meet these.
struct PodCIDRClaim: Sendable {
    static let directory = getuid() == 0 ? "/run/kplane/pod-cidrs" : NSTemporaryDirectory() + "kplane-pod-cidrs"

    let number: Int
    var cidr: String { "10.243.\(number).0/24" }
    private var path: String { "\(Self.directory)/\(number)" }

    /// The CIDR `cidr` names, if it is one of these.
    static func number(of cidr: String) -> Int? {
        let parts = cidr.split(separator: ".")
        guard parts.count == 4, parts[0] == "10", parts[1] == "243", cidr.hasSuffix(".0/24") else { return nil }
        return Int(parts[2])
    }

    /// Claims `preferred` if it is free, else the first free number. Nil when all 256 are taken.
    static func claim(preferred: Int?) -> PodCIDRClaim? {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for n in (preferred.map { [$0] } ?? []) + Array(0..<256) where (0..<256).contains(n) {
            for _ in 0..<2 {
                let file = "\(directory)/\(n)"
                let fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
                if fd >= 0 {
                    let pid = "\(getpid())\n"
                    _ = pid.withCString { write(fd, $0, strlen($0)) }
                    close(fd)
                    return PodCIDRClaim(number: n)
                }
                // Taken: by a live process (move on), or by one that is gone (take it over).
                let owner = (try? String(contentsOfFile: file, encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
                if let owner, owner == getpid() || kill(owner, 0) == 0 || errno == EPERM { break }
                unlink(file)
            }
        }
        return nil
    }

    /// Gives the number back (the node stopped).
    func release() { unlink(path) }
}
