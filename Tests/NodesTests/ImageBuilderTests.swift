import Foundation
import Synchronization
import KplaneTestSupport
import Testing
@testable import Nodes

/// `kplane image build`'s Dockerfile subset, instruction by instruction.
@Suite(.offPool) struct ImageBuilderTests {
    @Test func multiStageBuildWithCopyFromEnvArgCmdUser() throws {
        let store = try ImageStore(root: temporaryDirectory())
        let context = try ImageTestSupport.context([
            "Dockerfile": """
            # syntax=docker/dockerfile:1
            ARG BASE=node:20-alpine
            FROM ${BASE} AS builder
            WORKDIR /src
            COPY src/ ./lib/
            COPY *.json ./
            COPY notes.txt secret.key ./

            FROM $BASE
            ARG VERSION=0.1.0
            ARG UNUSED_DEFAULT=x
            WORKDIR /app
            COPY --from=builder /src/lib ./lib
            COPY --from=builder /src/package.json .
            ENV APP_VERSION=$VERSION \\
                GREETING="hello world"
            ENV LEGACY some value here
            LABEL org.opencontainers.image.title="demo app" tier=web
            EXPOSE 3000 9229/udp
            RUN addgroup -S -g 1001 nodejs && adduser -S -D -H -u 1001 -G nodejs nodejs
            USER nodejs:nodejs
            ENTRYPOINT ["node"]
            CMD lib/main.js --port 3000
            """,
            "src/main.js": "console.log('hi')\n",
            "src/util/helper.js": "module.exports = 1\n",
            "package.json": "{}\n",
            "tsconfig.json": "{}\n",
            "notes.txt": "n\n",
            "secret.key": "s\n",
            ".dockerignore": "secret.key\n",
        ])
        #expect(throws: ImageBuildError.self) {  // secret.key is ignored, so naming it fails as Docker's does
            try ImageBuilder.build(store: store, context: context, options: .init(tags: ["demo:1"], buildArgs: ["VERSION": "2.0.0"]))
        }
        let dockerfile = try String(contentsOfFile: context + "/Dockerfile", encoding: .utf8).replacingOccurrences(of: "COPY notes.txt secret.key ./", with: "COPY notes.txt ./")
        try dockerfile.write(toFile: context + "/Dockerfile", atomically: true, encoding: .utf8)
        let lines = LogLines()
        let result = try ImageBuilder.build(store: store, context: context, options: .init(tags: ["demo:1"], buildArgs: ["VERSION": "2.0.0", "NOPE": "1"], log: lines.add))
        let image = try store.resolve("demo:1")
        let rootfs = try #require(image.rootfs)
        #expect(FileManager.default.fileExists(atPath: rootfs + "/app/lib/main.js"))
        #expect(FileManager.default.fileExists(atPath: rootfs + "/app/lib/util/helper.js"))
        #expect(FileManager.default.fileExists(atPath: rootfs + "/app/package.json"))
        #expect(!FileManager.default.fileExists(atPath: rootfs + "/app/tsconfig.json"))  // not copied from the builder
        #expect(!FileManager.default.fileExists(atPath: rootfs + "/src"))  // the builder stage's files stay there
        let c = image.config
        #expect(c.envValue("APP_VERSION") == "2.0.0")
        #expect(c.envValue("GREETING") == "hello world")
        #expect(c.envValue("LEGACY") == "some value here")
        #expect(c.envValue("PATH") != nil)
        #expect(c.labels == ["org.opencontainers.image.title": "demo app", "tier": "web"])
        #expect(c.exposedPorts == ["3000/tcp", "9229/udp"])
        #expect(c.workingDir == "/app")
        #expect(c.user == "nodejs:nodejs")
        #expect(c.entrypoint == ["node"])
        #expect(c.cmd == ["/bin/sh", "-c", "lib/main.js --port 3000"])
        // The users went into the image's own files, not the host's.
        let passwd = try String(contentsOfFile: rootfs + "/etc/passwd", encoding: .utf8)
        #expect(passwd.contains("nodejs:x:1001:1001:"))
        #expect(try String(contentsOfFile: rootfs + "/etc/group", encoding: .utf8).contains("nodejs:x:1001:"))
        #expect(!(try String(contentsOfFile: "/etc/passwd", encoding: .utf8)).contains("nodejs:x:1001:1001:Linux User"))
        #expect(result.paths == ["/app", "/etc/group", "/etc/passwd"])
        #expect(lines.all.contains("[Warning] One or more build-args [NOPE] were not consumed"))
        #expect(lines.all.contains { $0.hasPrefix("The image's files occupy /app, /etc/group, /etc/passwd") })
    }

    @Test func unsupportedInstructionNamesItsLine() throws {
        let store = try ImageStore(root: temporaryDirectory())
        let context = try ImageTestSupport.context([
            "Dockerfile": "FROM node:20\n# a comment\nWORKDIR /app\n\nCOPY . .\nEXPOSE 3000\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\nCMD [\"node\"]\n",
        ])
        #expect(throws: ImageBuildError.self) { try ImageBuilder.build(store: store, context: context, options: .init(tags: ["h:1"])) }
        do {
            _ = try ImageBuilder.build(store: store, context: context, options: .init(tags: ["h:1"]))
        } catch let e as ImageBuildError {
            #expect(e.description == "Dockerfile:7: HEALTHCHECK is not supported by kplane image build")
        }
        #expect(store.list().isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.root + "/tmp").isEmpty)  // the failed build's stages are gone
    }

    /// `COPY --chown` by name (the image's own accounts: a node image has `node`, 1000:1000) or
    /// by number; a flag that would change the files and is not honoured names its line.
    @Test func copyChownOwnsTheFilesAndUnsupportedFlagsAreErrors() throws {
        let store = try ImageStore(root: temporaryDirectory())
        let context = try ImageTestSupport.context([
            "Dockerfile": "FROM node:20\nWORKDIR /app\nCOPY --chown=node:node app.js ./\nCOPY --link --chown=1234:5678 data/ ./data/\nUSER node\n",
            "app.js": "1\n", "data/x": "2\n",
        ])
        _ = try ImageBuilder.build(store: store, context: context, options: .init(tags: ["owned:1"]))
        let image = try store.resolve("owned:1")
        let rootfs = try #require(image.rootfs)
        func owner(_ path: String) -> String {
            var st = stat()
            return lstat(rootfs + path, &st) == 0 ? "\(st.st_uid):\(st.st_gid)" : "missing"
        }
        #expect(owner("/app/app.js") == (getuid() == 0 ? "1000:1000" : "\(getuid()):\(getgid())"))
        #expect(owner("/app/data/x") == (getuid() == 0 ? "1234:5678" : "\(getuid()):\(getgid())"))
        #expect(try image.resolveUser() == (1000, 1000))

        try "FROM node:20\nWORKDIR /app\nCOPY --exclude=*.md . .\n".write(toFile: context + "/Dockerfile", atomically: true, encoding: .utf8)
        #expect(Self.error(store, context) == "Dockerfile:3: COPY --exclude is not supported by kplane image build")
        try "FROM node:20\nCOPY --chown=nobody-here app.js /\n".write(toFile: context + "/Dockerfile", atomically: true, encoding: .utf8)
        #expect(Self.error(store, context) == "Dockerfile:2: unable to find user nobody-here: no matching entries in passwd file")
    }

    @Test func errorsNameTheLineOfAContinuedInstruction() throws {
        let store = try ImageStore(root: temporaryDirectory())
        let context = try ImageTestSupport.context(["Dockerfile": "FROM scratch\nCOPY \\\n  missing.txt \\\n  /x/\nFROBNICATE now\n"])
        #expect(Self.error(store, context) == "Dockerfile:2: COPY failed: file not found in build context or excluded by .dockerignore: stat missing.txt: file does not exist")
        try "FROM scratch\nFROBNICATE now\n".write(toFile: context + "/Dockerfile", atomically: true, encoding: .utf8)
        #expect(Self.error(store, context) == "Dockerfile:2: unknown instruction: FROBNICATE")
        try "FROM myapp:404\n".write(toFile: context + "/Dockerfile", atomically: true, encoding: .utf8)
        #expect(Self.error(store, context)?.hasPrefix("Dockerfile:1: FROM myapp:404: rpc error: code = NotFound") == true)
    }

    @Test(.enabled(if: RunSandbox.available, "RUN needs a mount namespace (Linux, root)"))
    func runWritesTheImageNotTheHost() throws {
        let store = try ImageStore(root: temporaryDirectory())
        let marker = "/etc/kplane-run-test-" + UUID().uuidString
        let context = try ImageTestSupport.context([
            "Dockerfile": """
            FROM busybox
            ARG WHO=world
            ENV GREETING=hello
            WORKDIR /opt/kplane-test-app
            RUN echo "$GREETING $WHO" > greeting.txt && pwd > where.txt && touch \(marker)
            RUN ["/bin/sh", "-c", "echo exec-form > exec.txt"]
            CMD ["cat", "greeting.txt"]
            """,
        ])
        let lines = LogLines()
        _ = try ImageBuilder.build(store: store, context: context, options: .init(tags: ["run:1"], log: lines.add))
        let rootfs = try #require(try store.resolve("run:1").rootfs)
        #expect(try String(contentsOfFile: rootfs + "/opt/kplane-test-app/greeting.txt", encoding: .utf8) == "hello world\n")
        #expect(try String(contentsOfFile: rootfs + "/opt/kplane-test-app/where.txt", encoding: .utf8) == "/opt/kplane-test-app\n")
        #expect(try String(contentsOfFile: rootfs + "/opt/kplane-test-app/exec.txt", encoding: .utf8) == "exec-form\n")
        #expect(!FileManager.default.fileExists(atPath: marker))
        #expect(!FileManager.default.fileExists(atPath: "/opt/kplane-test-app"))
        #expect(lines.all.contains { $0.contains("discarded: \(marker)") })
        // A failing RUN fails the build with its exit code.
        try "FROM busybox\nRUN exit 3\n".write(toFile: context + "/Dockerfile", atomically: true, encoding: .utf8)
        #expect(Self.error(store, context) == #"Dockerfile:2: process "/bin/sh -c exit 3" did not complete successfully: exit code: 3"#)
    }

    static func error(_ store: ImageStore, _ context: String) -> String? {
        do {
            _ = try ImageBuilder.build(store: store, context: context, options: .init(tags: ["e:1"]))
            return nil
        } catch {
            return (error as? ImageBuildError)?.description ?? "\(error)"
        }
    }
}

/// Collects a build's log lines.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    var add: @Sendable (String) -> Void { { line in self.lines.withLock { $0.append(line) } } }
}
