import Foundation
import KubeModel
import Testing
@testable import Nodes

/// How a container's command line and environment are put together from its spec and image,
/// as the kubelet and containerd do.
@Suite struct ContainerLaunchTests {
    let image = ContainerImage(reference: "docker.io/library/myapp:1.0.0", imageID: "docker.io/library/myapp@sha256:00", rootfs: nil,
                               config: ImageConfig(entrypoint: ["node"], cmd: ["server.js"], env: ["NODE_ENV=production", "PATH=/usr/bin:/bin"],
                                                   workingDir: "/app", user: "", exposedPorts: ["3000/tcp"]))

    func container(_ json: JSONValue) -> Container { Container(json) }

    @Test func commandAndArgsOverTheImage() throws {
        let env = [("GREETING", "hi")]
        func argv(_ c: JSONValue) throws -> [String] { try ContainerLaunch(container: container(c), image: image, env: env, extra: []).argv }
        #expect(try argv(["name": "a"]) == ["node", "server.js"])
        #expect(try argv(["name": "a", "args": ["other.js"]]) == ["node", "other.js"])
        #expect(try argv(["name": "a", "command": ["sh", "-c"]]) == ["sh", "-c"])
        #expect(try argv(["name": "a", "command": ["echo"], "args": ["$(GREETING)", "$$(GREETING)", "$(MISSING)"]])
            == ["echo", "hi", "$(GREETING)", "$(MISSING)"])
        // Only the container's environment expands, not the image's ENV; the image's own
        // ENTRYPOINT and CMD stay as written.
        #expect(try argv(["name": "a", "args": ["$(NODE_ENV)", "$(GREETING)"]]) == ["node", "$(NODE_ENV)", "hi"])
        let literal = ContainerImage(reference: image.reference, imageID: image.imageID, rootfs: nil,
                                     config: ImageConfig(entrypoint: ["echo"], cmd: ["$(GREETING)"], env: [], workingDir: "", user: "", exposedPorts: []))
        #expect(try ContainerLaunch(container: container(["name": "a"]), image: literal, env: env, extra: []).argv == ["echo", "$(GREETING)"])
    }

    @Test func theContainersEnvOverridesTheImages() throws {
        let launch = try ContainerLaunch(container: container(["name": "a", "workingDir": "/srv"]), image: image,
                                         env: [("NODE_ENV", "development")], extra: [("HOSTNAME", "p")])
        #expect(launch.env.contains("NODE_ENV=development") && !launch.env.contains("NODE_ENV=production"))
        #expect(launch.env.contains("PATH=/usr/bin:/bin") && launch.env.contains("HOSTNAME=p"))
        #expect(launch.workingDir == "/srv")
    }

    @Test func aMissingExecutableIsRuncsError() throws {
        let launch = try ContainerLaunch(container: container(["name": "a", "command": ["no-such-binary"]]), image: image, env: [], extra: [])
        #expect(throws: ContainerStartError.self) { try launch.executable(rootfs: nil) }
        do { _ = try launch.executable(rootfs: nil) } catch let e as ContainerStartError {
            #expect(e.message.hasSuffix("exec: \"no-such-binary\": executable file not found in $PATH: unknown"))
        }
        let sh = try ContainerLaunch(container: container(["name": "a", "command": ["sh"]]), image: image, env: [], extra: [])
        #expect(try sh.executable(rootfs: nil) == "/usr/bin/sh" || (try sh.executable(rootfs: nil)) == "/bin/sh")
    }

    @Test func envExpansionFollowsTheKubelet() {
        #expect(ContainerEnvironment.expand("a-$(X)-$$(X)-$(Y)", ["X": "1"]) == "a-1-$(X)-$(Y)")
        #expect(ContainerEnvironment.expand("$", ["X": "1"]) == "$")
        #expect(ContainerEnvironment.mapKey("metadata.labels['app']", "metadata.labels") == "app")
    }
}
