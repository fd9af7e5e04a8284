import Foundation
import KplaneTestSupport
import Testing
@testable import Nodes

/// The seed's app as `SeedImages` builds it, run with the host's node from the image's files.
@Suite(.serialized, .offPool) struct SeedAppTests {
    @Test func ensureBuildsTheThreeTagsOnce() throws {
        let store = try ImageStore(root: temporaryDirectory())
        try SeedImages.ensure(in: store)
        #expect(store.list().map(\.reference.normalized) == ["docker.io/library/myapp:1.0.0", "docker.io/library/myapp:2.0.0", "docker.io/library/myapp:3.0.0"])
        let before = store.list().map(\.digest)
        try SeedImages.ensure(in: store)
        #expect(store.list().map(\.digest) == before)
        #expect(Set(before).count == 3)
        let v2 = try store.resolve("myapp:2.0.0")
        #expect(v2.config.envValue("APP_VERSION") == "2.0.0")
        #expect(v2.config.cmd == ["node", "server.js"])
        #expect(v2.paths == ["/app", "/etc/group", "/etc/passwd"])
        // USER nodejs is the user the Dockerfile's RUN adduser recorded in the image.
        #expect(try [v2.resolveUser()].map { [$0.uid, $0.gid] } == [[1001, 1001]])  // the group of its name, made by addgroup
        #expect(try [v2.resolveUser("nodejs:nodejs")].map { [$0.uid, $0.gid] } == [[1001, 1001]])
        #expect(try [v2.resolveUser("1234")].map { [$0.uid, $0.gid] } == [[1234, 0]])
        #expect(try [v2.resolveUser("")].map { [$0.uid, $0.gid] } == [[0, 0]])
        #expect(throws: ImageBuildError.self) { try v2.resolveUser("nobody-here") }
    }

    @Test func servesVersionHealthAndReadinessAfterWarmUp() throws {
        let store = try ImageStore(root: temporaryDirectory())
        try SeedImages.ensure(in: store)
        let image = try store.resolve("myapp:2.0.0")
        let rootfs = try #require(image.rootfs)
        let port = ImageTestSupport.freePort()
        var env = Dictionary(uniqueKeysWithValues: image.config.env.map { e in
            let kv = e.split(separator: "=", maxSplits: 1)
            return (String(kv[0]), kv.count > 1 ? String(kv[1]) : "")
        })
        env["PORT"] = String(port); env["WARMUP_MS"] = "1500"; env["POD_NAME"] = "myapp-abc"; env["NODE_NAME"] = "node-1"
        let app = try ImageTestSupport.start("/usr/bin/env", ["node", "server.js"], env: env, cwd: rootfs + image.config.workingDir)
        defer { if app.isRunning { app.terminate() }; app.waitUntilExit() }

        let root = try ImageTestSupport.get(port: port, path: "/", within: 10)
        #expect(root.status == 200)
        let body = try #require(try JSONSerialization.jsonObject(with: Data(root.body.utf8)) as? [String: Any])
        #expect(body["version"] as? String == "2.0.0")
        #expect(body["pod"] as? String == "myapp-abc")
        #expect(body["node"] as? String == "node-1")
        #expect(try ImageTestSupport.get(port: port, path: "/health", within: 5).status == 200)
        #expect(try ImageTestSupport.get(port: port, path: "/ready", within: 5).status == 503)
        let deadline = Date().addingTimeInterval(10)
        var ready = 503
        while ready != 200, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.2)
            ready = try ImageTestSupport.get(port: port, path: "/ready", within: 5).status
        }
        #expect(ready == 200)
        // SIGTERM closes the server and exits 0.
        app.terminate()
        app.waitUntilExit()
        #expect(app.terminationStatus == 0)
        #expect(app.terminationReason == .exit)
    }

    /// Without network namespaces every pod has a loopback address of its own and the pods of a
    /// node share its ports: two replicas on one port must both run, each on its POD_IP.
    @Test func onALoopbackPodIPTwoReplicasShareAPort() throws {
        let store = try ImageStore(root: temporaryDirectory())
        try SeedImages.ensure(in: store)
        let image = try store.resolve("myapp:1.0.0")
        let rootfs = try #require(image.rootfs)
        let port = ImageTestSupport.freePort()
        var apps: [Process] = []
        defer { for app in apps { if app.isRunning { app.terminate() }; app.waitUntilExit() } }
        for (n, ip) in ["127.0.0.2", "127.0.0.3"].enumerated() {
            apps.append(try ImageTestSupport.start("/usr/bin/env", ["node", "server.js"],
                                                   env: ["PORT": String(port), "POD_IP": ip, "POD_NAME": "myapp-\(n)", "WARMUP_MS": "0"],
                                                   cwd: rootfs + image.config.workingDir))
        }
        for (n, ip) in ["127.0.0.2", "127.0.0.3"].enumerated() {
            try waitUntil("replica \(n) to answer on \(ip)", seconds: 10) {
                let r = try ServerProcess.run("/usr/bin/env", ["curl", "-s", "-m", "2", "http://\(ip):\(port)/"])
                return r.out.contains("\"pod\":\"myapp-\(n)\"")
            }
        }
        #expect(apps.allSatisfy { $0.isRunning })
        // Neither holds the wildcard address.
        #expect((try? RawConnection(port: port)) == nil)
    }

    @Test func brokenReleaseNeverGetsReady() throws {
        let store = try ImageStore(root: temporaryDirectory())
        try SeedImages.ensure(in: store)
        let image = try store.resolve("myapp:3.0.0")
        #expect(image.config.envValue("WARMUP_MS") == "never")
        let port = ImageTestSupport.freePort()
        let app = try ImageTestSupport.start("/usr/bin/env", ["node", "server.js"],
                                             env: ["PORT": String(port), "WARMUP_MS": "never", "APP_VERSION": "3.0.0"],
                                             cwd: try #require(image.rootfs) + "/app")
        defer { if app.isRunning { app.terminate() }; app.waitUntilExit() }
        #expect(try ImageTestSupport.get(port: port, path: "/health", within: 10).status == 200)
        Thread.sleep(forTimeInterval: 0.5)
        #expect(try ImageTestSupport.get(port: port, path: "/ready", within: 5).status == 503)
        // The PM2 demonstrations' endpoints.
        let leak = try ImageTestSupport.get(port: port, path: "/leak?mb=8", within: 5)
        #expect(leak.status == 200)
        #expect(leak.body.contains(#""leakedMb":8"#))
        let burn = try ImageTestSupport.get(port: port, path: "/burn?ms=50", within: 5)
        #expect(burn.body.contains(#""burnedMs":50"#))
        // /crash exits 1.
        _ = try? ImageTestSupport.get(port: port, path: "/crash", within: 5)
        app.waitUntilExit()
        #expect(app.terminationStatus == 1)
    }
}
