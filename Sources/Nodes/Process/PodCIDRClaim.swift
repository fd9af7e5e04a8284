import Foundation

/// Which block of 10.243.0.0/16 a process-backed node's pods take: a /24 for up to 253 pods (as
/// Kubernetes' `--node-cidr-mask-size` 24 for its default 110), a /23, /22 ... down to a /20 for
/// more, whatever holds the node's max pods and its gateway. Pod networks are real on this machine
/// (a bridge, routes), so two clusters running at once (a user's and a test's) must not share
/// one: a node claims each /24 of its block machine-wide with a file created exclusively under
/// /run/kplane/pod-cidrs, naming its process, all of them or none; a claim whose process is gone
/// (kill -9) is taken over. A node asks first for the block it had, so its Node keeps its podCIDR
/// across restarts while that block still holds its pods. Simulated nodes use 10.244.0.0/14 and
/// route nothing, so they never meet these.
struct PodCIDRClaim: Sendable {
    static let defaultDirectory = getuid() == 0 ? "/run/kplane/pod-cidrs" : NSTemporaryDirectory() + "kplane-pod-cidrs"
    /// The largest block a node takes, however many pods it runs.
    static let largestPrefixLength = 20

    /// The third octet of the block's first address.
    let number: Int
    let prefixLength: Int
    let directory: String

    var cidr: String { "10.243.\(number).0/\(prefixLength)" }
    /// The /24s the block holds, one claim file each.
    var numbers: Range<Int> { number..<number + Self.width(prefixLength) }

    /// How many /24s a block of this prefix length spans.
    static func width(_ prefixLength: Int) -> Int { 1 << (24 - prefixLength) }

    /// The prefix length of the smallest block, a /24 or larger, whose addresses hold `maxPods`
    /// pods and the gateway (besides the network and broadcast addresses); a /20 at most.
    static func prefixLength(maxPods: Int) -> Int {
        var length = 24
        while length > largestPrefixLength && (1 << (32 - length)) - 2 < maxPods + 1 { length -= 1 }
        return length
    }

    /// The block `cidr` names, if it is an aligned block of 10.243.0.0/16 of /20 to /24.
    static func block(of cidr: String) -> (number: Int, prefixLength: Int)? {
        guard let subnet = PodSubnet(cidr: cidr.trimmingCharacters(in: .whitespacesAndNewlines)),
              subnet.octets[0] == 10, subnet.octets[1] == 243,
              (largestPrefixLength...24).contains(subnet.prefixLength) else { return nil }
        return (subnet.octets[2], subnet.prefixLength)
    }

    /// Claims the block of `preferred` (a podCIDR) if it holds `maxPods` and is free, else the
    /// first free block of the size `maxPods` needs. Nil when none is free.
    static func claim(maxPods: Int, preferred: String?, directory: String = defaultDirectory) -> PodCIDRClaim? {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // One claimant at a time machine-wide, so two never take over the same dead owner's file;
        // the lock goes with its holder if it dies.
        let lock = open("\(directory)/.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard lock >= 0 else { return nil }
        defer { close(lock) }
        while flock(lock, LOCK_EX) != 0 { guard errno == EINTR else { return nil } }
        defer { _ = flock(lock, LOCK_UN) }

        let length = prefixLength(maxPods: maxPods)
        var candidates: [PodCIDRClaim] = []
        if let remembered = preferred.flatMap(block(of:)), remembered.prefixLength <= length {
            candidates.append(PodCIDRClaim(number: remembered.number, prefixLength: remembered.prefixLength, directory: directory))
        }
        for n in stride(from: 0, to: 256, by: width(length)) {
            candidates.append(PodCIDRClaim(number: n, prefixLength: length, directory: directory))
        }
        return candidates.first { $0.take() }
    }

    /// Creates the claim file of every /24 of the block, or none: a file another live process
    /// holds makes it give back the ones it made.
    private func take() -> Bool {
        var made: [Int] = []
        for n in numbers {
            guard Self.take(file: "\(directory)/\(n)") else {
                for m in made { unlink("\(directory)/\(m)") }
                return false
            }
            made.append(n)
        }
        return true
    }

    /// Creates `file` naming this process, taking it over if its process is gone.
    private static func take(file: String) -> Bool {
        for _ in 0..<2 {
            let fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 {
                let pid = "\(getpid())\n"
                _ = pid.withCString { write(fd, $0, strlen($0)) }
                close(fd)
                return true
            }
            // Taken: by a live process (move on), or by one that is gone (take it over).
            // A file naming no process was half written by a claimant that died.
            if let owner = owner(of: file), owner == getpid() || kill(owner, 0) == 0 || errno == EPERM { return false }
            unlink(file)
        }
        return false
    }

    /// The process a claim file names, nil when it names none (half written: a dead claimant).
    static func owner(of file: String) -> pid_t? {
        (try? String(contentsOfFile: file, encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Gives the block back (the node stopped).
    func release() {
        for n in numbers { unlink("\(directory)/\(n)") }
    }
}
