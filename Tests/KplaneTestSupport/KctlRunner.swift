import Foundation

/// The `kctl` built beside `kplane`, driven against a test server with its own discovery cache,
/// as `Kubectl` drives real kubectl.
public struct KctlRunner {
    public let server: ServerProcess
    public let cacheDir = temporaryDirectory()

    public init(server: ServerProcess) {
        self.server = server
    }

    public static var binary: String { (ServerProcess.binary as NSString).deletingLastPathComponent + "/kctl" }

    @discardableResult
    public func callAsFunction(_ args: String..., stdin: String? = nil) throws -> (code: Int32, out: String, err: String) {
        try run(args, stdin: stdin)
    }

    public func run(_ args: [String], stdin: String? = nil) throws -> (code: Int32, out: String, err: String) {
        try ServerProcess.run(Self.binary, ["--kubeconfig", server.kubeconfig, "--cache-dir", cacheDir] + args, stdin: stdin)
    }
}

/// Ages differ between two runs a moment apart ("9s" then "10s", which also widens the
/// column); everything else must match. Column widths are checked by KctlTests' goldens.
public func maskAges(_ s: String) -> String {
    s.split(separator: "\n", omittingEmptySubsequences: false).map { line in
        let words = line.split(separator: " ", omittingEmptySubsequences: false)
        let masked = words.map { w in
            w.range(of: #"^[0-9]+(s|m[0-9]*s?|h[0-9]*m?|d[0-9]*h?)$"#, options: .regularExpression) != nil ? "AGE" : String(w)
        }
        guard masked != words.map(String.init) else { return String(line) }
        return masked.filter { !$0.isEmpty }.joined(separator: " ")
    }.joined(separator: "\n")
}
