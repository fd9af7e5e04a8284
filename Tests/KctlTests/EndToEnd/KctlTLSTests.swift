import Foundation
import KplaneTestSupport
import Testing

/// kctl against an HTTPS server that wants a client certificate, as kind, kubeadm and most
/// real clusters do: the kubeconfig's CA, client certificate and key, as files (relative to the
/// kubeconfig) or as inline data.
@Suite(.offPool) struct KctlTLSTests {
    /// A CA, a server certificate for 127.0.0.1 and a client certificate for "alice", by openssl.
    static func makeCertificates(in dir: String) throws {
        let steps: [[String]] = [
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=kplane-test-ca"],
            ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"],
            ["x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt", "-days", "2",
             "-extfile", "san.cnf"],
            ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "alice.key", "-out", "alice.csr", "-subj", "/CN=alice/O=system:masters"],
            ["x509", "-req", "-in", "alice.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "alice.crt", "-days", "2"],
        ]
        try "subjectAltName=IP:127.0.0.1\n".write(toFile: dir + "/san.cnf", atomically: true, encoding: .utf8)
        for args in steps {
            let r = try ServerProcess.run("/usr/bin/env", ["sh", "-c", "cd '\(dir)' && openssl " + args.map { "'\($0)'" }.joined(separator: " ")])
            #expect(r.code == 0, "openssl \(args.joined(separator: " ")): \(r.err)")
        }
    }

    static func kubeconfig(server: String, cluster: String, user: String) -> String {
        """
        apiVersion: v1
        kind: Config
        current-context: tls
        clusters:
        - name: tls
          cluster:
            server: \(server)
        \(cluster)
        contexts:
        - name: tls
          context: {cluster: tls, user: alice}
        users:
        - name: alice
          user:
        \(user)
        """
    }

    @Test func clientCertificatesAndCAFromFilesOrData() throws {
        let dir = temporaryDirectory()
        try Self.makeCertificates(in: dir)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("tls_server.py").path
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = ["python3", script, dir + "/ca.crt", dir + "/server.crt", dir + "/server.key"]
        let out = Pipe()
        server.standardOutput = out
        try server.run()
        // SIGKILL: children of the test runner inherit its blocked signals, SIGTERM among them.
        defer { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }
        let port = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let url = "https://127.0.0.1:\(port)"
        func data(_ file: String) throws -> String { try Data(contentsOf: URL(fileURLWithPath: dir + "/" + file)).base64EncodedString() }
        func version(_ config: String) throws -> (code: Int32, out: String, err: String) {
            let path = dir + "/config-\(UUID().uuidString)"
            try config.write(toFile: path, atomically: true, encoding: .utf8)
            return try ServerProcess.run(KctlRunner.binary, ["--kubeconfig", path, "version"])
        }

        // Paths relative to the kubeconfig's folder, as kubectl resolves them.
        let files = try version(Self.kubeconfig(server: url, cluster: "    certificate-authority: ca.crt",
                                                user: "    client-certificate: alice.crt\n    client-key: alice.key"))
        #expect(files.code == 0, "\(files.err)")
        #expect(files.out.hasSuffix("Server Version: v1.32.0+alice\n"))
        let inline = try version(Self.kubeconfig(server: url, cluster: "    certificate-authority-data: \(try data("ca.crt"))",
                                                 user: "    client-certificate-data: \(try data("alice.crt"))\n    client-key-data: \(try data("alice.key"))"))
        #expect(inline.code == 0 && inline.out.hasSuffix("Server Version: v1.32.0+alice\n"), "\(inline.err)")
        let insecure = try version(Self.kubeconfig(server: url, cluster: "    insecure-skip-tls-verify: true",
                                                   user: "    client-certificate: \(dir)/alice.crt\n    client-key: \(dir)/alice.key"))
        #expect(insecure.code == 0 && insecure.out.hasSuffix("Server Version: v1.32.0+alice\n"), "\(insecure.err)")

        // An unknown CA, a missing key and an unreadable file: one line, exit 1.
        let untrusted = try version(Self.kubeconfig(server: url, cluster: "    certificate-authority: alice.crt",
                                                    user: "    client-certificate: alice.crt\n    client-key: alice.key"))
        #expect(untrusted.code == 1 && untrusted.err == "Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority\n", "\(untrusted.err)")
        let keyless = try version(Self.kubeconfig(server: url, cluster: "    certificate-authority: ca.crt", user: "    client-certificate: alice.crt"))
        #expect(keyless.code == 1 && keyless.err == "error: client-key-data or client-key must be specified for alice to use the clientCert authentication method.\n")
        let missing = try version(Self.kubeconfig(server: url, cluster: "    certificate-authority: nope.crt", user: "    token: x"))
        #expect(missing.code == 1 && missing.err == "error: open \(dir)/nope.crt: no such file or directory\n")
    }
}
