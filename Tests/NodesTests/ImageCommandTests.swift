import Foundation
import KplaneTestSupport
import Testing
@testable import Nodes

/// `kplane image build|ls|inspect|rm` through the real binary, against one data dir.
@Suite(.offPool) struct ImageCommandTests {
    @Test func buildListInspectRemove() throws {
        let dataDir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let kplane = { (args: [String]) throws in try ServerProcess.run(ServerProcess.binary, ["image"] + args + ["--data-dir", dataDir]) }

        let built = try kplane(["build", "-t", "myapp:1.0.0", "--build-arg", "APP_VERSION=1.0.0", SeedImages.appDirectory])
        #expect(built.code == 0, "\(built.err)")
        #expect(built.out.contains("Step 1/"))
        #expect(built.out.contains("Successfully tagged docker.io/library/myapp:1.0.0"))
        #expect(try kplane(["build", "-t", "myapp:2.0.0", "--build-arg", "APP_VERSION=2.0.0", SeedImages.appDirectory]).code == 0)
        #expect(try kplane(["build", "-t", "mirror:1.0.0", "--build-arg", "APP_VERSION=1.0.0", SeedImages.appDirectory]).code == 0)

        let ls = try kplane(["ls"])
        #expect(ls.code == 0)
        let lines = ls.out.split(separator: "\n").map(String.init)
        // Columns as Docker's tabwriter sets them; CREATED's width follows its longest cell.
        #expect(lines.first?.range(of: #"^REPOSITORY   TAG       IMAGE ID       CREATED {3,}SIZE$"#, options: .regularExpression) != nil, "\(lines)")
        #expect(lines.count == 4)
        let row = try #require(lines.first { $0.hasPrefix("myapp ") && $0.contains(" 1.0.0 ") })
        #expect(row.range(of: #"^myapp\s+1\.0\.0\s+[0-9a-f]{12}\s+(\d+ seconds|Less than a second|1 second|About a minute) ago\s+\d+(\.\d+)?kB$"#, options: .regularExpression) != nil, "\(row)")
        // The same files and config under another name are the same image.
        let ids = lines.dropFirst().map { $0.split(separator: " ", omittingEmptySubsequences: true)[2] }
        #expect(Set(ids).count == 2)

        let inspect = try kplane(["inspect", "myapp:2.0.0"])
        #expect(inspect.code == 0, "\(inspect.err)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(inspect.out.utf8)) as? [[String: Any]])
        let image = try #require(json.first)
        #expect(image["RepoTags"] as? [String] == ["myapp:2.0.0"])
        #expect((image["Id"] as? String)?.hasPrefix("sha256:") == true)
        let config = try #require(image["Config"] as? [String: Any])
        #expect(config["Cmd"] as? [String] == ["node", "server.js"])
        #expect(config["WorkingDir"] as? String == "/app")
        #expect(config["User"] as? String == "nodejs")
        #expect((config["Env"] as? [String])?.contains("APP_VERSION=2.0.0") == true)
        #expect((config["ExposedPorts"] as? [String: Any])?.keys.sorted() == ["3000/tcp"])
        #expect(config["Entrypoint"] is NSNull)

        let missing = try kplane(["inspect", "nope:1"])
        #expect(missing.code == 1)
        #expect(missing.err == "Error: No such image: nope:1\n")

        // Untagging one of two names keeps the files; the last one deletes them.
        let digest = try #require(ImageStore(root: dataDir + "/images").entry("mirror:1.0.0")?.digest)
        let rm1 = try kplane(["rm", "mirror:1.0.0"])
        #expect(rm1.out == "Untagged: mirror:1.0.0\n")
        #expect(FileManager.default.fileExists(atPath: dataDir + "/images/sha256/" + digest))
        let rm2 = try kplane(["rm", "myapp:1.0.0"])
        #expect(rm2.out == "Untagged: myapp:1.0.0\nDeleted: sha256:\(digest)\n")
        #expect(!FileManager.default.fileExists(atPath: dataDir + "/images/sha256/" + digest))
        let rm3 = try kplane(["rm", "myapp:1.0.0"])
        #expect(rm3.code == 1)
        #expect(rm3.err == "Error: No such image: myapp:1.0.0\n")
        #expect(try kplane(["ls", "-q"]).out.split(separator: "\n").count == 1)
    }

    @Test func buildErrorNamesTheLine() throws {
        let dataDir = temporaryDirectory()
        let context = try ImageTestSupport.context(["Dockerfile": "FROM node:20\nVOLUME /data\n"])
        let r = try ServerProcess.run(ServerProcess.binary, ["image", "build", "-t", "v:1", context, "--data-dir", dataDir])
        #expect(r.code == 1)
        #expect(r.err == "ERROR: Dockerfile:2: VOLUME is not supported by kplane image build\n")
    }
}
