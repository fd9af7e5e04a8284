import Foundation
import KplaneTestSupport
import Testing
@testable import APIServer

/// One data directory, one server; files only their owner can read; errors a person understands.
@Suite struct DataDirectoryTests {
    func mode(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int) ?? -1
    }

    @Test func aSecondServerOnTheSameDirectoryExitsNamingTheFirst() async throws {
        let first = try ServerProcess()
        defer { first.stop() }
        let second = try ServerProcess.run(ServerProcess.binary, ["apiserver", "--port", "0", "--data-dir", first.dataDir])
        #expect(second.code != 0)
        let lines = second.err.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(second.err.contains("data directory \(first.dataDir) is in use"))
        #expect(second.err.contains("port \(first.port)"))
        // The first one is unharmed.
        #expect(try await first.request("GET", "/readyz").status == 200)
    }

    @Test func theDirectoryAndItsFilesAreTheOwnersAlone() async throws {
        let server = try ServerProcess()
        defer { server.stop() }
        _ = try await server.request("POST", "/api/v1/namespaces/default/secrets",
                                     body: #"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"data":{"k":"dg=="}}"#)
        #expect(mode(server.dataDir) == 0o700)
        for file in ["kplane.db", "kplane.db-wal", "kubeconfig", "lock"] {
            #expect(mode(server.dataDir + "/" + file) == 0o600, "\(file)")
        }
    }

    @Test func aPortInUseSaysSoInOneLine() async throws {
        let first = try ServerProcess()
        defer { first.stop() }
        let r = try ServerProcess.run(ServerProcess.binary, ["apiserver", "--port", String(first.port), "--data-dir", temporaryDirectory()])
        #expect(r.code != 0)
        #expect(r.err == "error: cannot listen on 127.0.0.1:\(first.port): the address is already in use (is another kplane or API server running?); pick another port with --port\n")
    }

    @Test(.offPool) func aNameThatOnlyLooksLikeLoopbackIsNotLoopback() throws {
        var config = APIServerConfig(dataDir: temporaryDirectory())
        config.host = "127.example.invalid"
        #expect(throws: ConfigError.self) { try config.isLoopback() }
        config.host = "127.0.0.2"
        #expect(try config.isLoopback())
        config.host = "localhost"
        #expect(try config.isLoopback())
        config.host = "::1"
        #expect(try config.isLoopback())
        config.host = "0.0.0.0"
        #expect(try !config.isLoopback())
    }
}
