import Foundation
import KplaneTestSupport
import Testing
@testable import Nodes

/// The store: host images, what it does not have, and content addressing.
@Suite(.offPool) struct ImageStoreTests {
    @Test func hostImagesStandInForPublicOnes() throws {
        let store = try ImageStore(root: temporaryDirectory())
        let busybox = try store.resolve("busybox")
        #expect(busybox.reference == "docker.io/library/busybox:latest")
        #expect(busybox.rootfs == nil)
        #expect(busybox.config.cmd == ["sh"])
        #expect(busybox.imageID.hasPrefix("docker.io/library/busybox@sha256:"))
        #expect(busybox.imageID.count == "docker.io/library/busybox@sha256:".count + 64)
        #expect(try store.resolve("node:20-alpine").config.cmd == ["node"])
        #expect(try store.resolve("python:3.12-slim").config.cmd == ["python3"])
        #expect(try store.resolve("alpine:3.20").config.cmd == ["/bin/sh"])
    }

    @Test func missingImageIsNotFoundInContainerdsWords() throws {
        let store = try ImageStore(root: temporaryDirectory())
        #expect(throws: ImagePullError.notFound(#"rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/myapp:9.9.9": failed to resolve reference "docker.io/library/myapp:9.9.9": docker.io/library/myapp:9.9.9: not found"#)) {
            try store.resolve("myapp:9.9.9")
        }
        #expect(throws: ImagePullError.self) { try store.resolve("ghcr.io/x/busybox") }  // only Docker Hub's official images map to the host
    }

    @Test func nginxServesItsDefaultPageFromTheImagesDirectory() throws {
        let store = try ImageStore(root: temporaryDirectory())
        let nginx = try store.resolve("nginx:1.27")
        let rootfs = try #require(nginx.rootfs)
        #expect(nginx.paths == ["/usr/share/nginx"])
        #expect(nginx.config.exposedPorts == ["80/tcp"])
        let index = try String(contentsOfFile: rootfs + "/usr/share/nginx/html/index.html", encoding: .utf8)
        #expect(index.contains("Welcome to nginx!"))
        #expect(try store.resolve("nginx").imageID.hasSuffix(String(nginx.imageID.suffix(64))))  // laid out once
        // The server it runs, on a free port, answers with the page.
        let port = ImageTestSupport.freePort()
        let server = try ImageTestSupport.start("/usr/bin/env", ["node", rootfs + "/usr/share/nginx/server.js"], env: ["NGINX_PORT": String(port)])
        defer { server.terminate(); server.waitUntilExit() }
        let (status, body) = try ImageTestSupport.get(port: port, path: "/", within: 10)
        #expect(status == 200)
        #expect(body.contains("Welcome to nginx!"))
        #expect(try ImageTestSupport.get(port: port, path: "/nope", within: 5).status == 404)
    }

    @Test func sameInputSameDigestAndAChangedFileANewOne() throws {
        let store = try ImageStore(root: temporaryDirectory())
        let context = try ImageTestSupport.context([
            "Dockerfile": "FROM scratch\nCOPY a.txt /data/\nCMD [\"cat\", \"/data/a.txt\"]\n",
            "a.txt": "one\n",
        ])
        let first = try ImageBuilder.build(store: store, context: context, options: .init(tags: ["x:1"]))
        let again = try ImageBuilder.build(store: store, context: context, options: .init(tags: ["x:2"]))
        #expect(first.digest == again.digest)
        #expect(try store.resolve("x:1").imageID == "docker.io/library/x@sha256:" + first.digest)
        #expect(try store.resolve("x:2").rootfs == store.resolve("x:1").rootfs)
        try "two\n".write(toFile: context + "/a.txt", atomically: true, encoding: .utf8)
        let changed = try ImageBuilder.build(store: store, context: context, options: .init(tags: ["x:3"]))
        #expect(changed.digest != first.digest)
        let rootfs = try #require(try store.resolve("x:3").rootfs)
        #expect(try String(contentsOfFile: rootfs + "/data/a.txt", encoding: .utf8) == "two\n")
        // By digest, as a pod may pin it.
        #expect(try store.resolve("x@sha256:" + changed.digest).rootfs == rootfs)
        // A new config with the same files is a new image too.
        try "FROM scratch\nCOPY a.txt /data/\nCMD [\"cat\"]\n".write(toFile: context + "/Dockerfile", atomically: true, encoding: .utf8)
        #expect(try ImageBuilder.build(store: store, context: context, options: .init(tags: ["x:4"])).digest != changed.digest)
    }
}
