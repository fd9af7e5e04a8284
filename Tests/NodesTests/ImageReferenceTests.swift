import Testing
@testable import Nodes

/// References normalize as containerd reports them and fail with the kubelet's InvalidImageName message.
@Suite struct ImageReferenceTests {
    @Test(arguments: [
        ("myapp:1.0.0", "docker.io/library/myapp:1.0.0"),
        ("myapp", "docker.io/library/myapp:latest"),
        ("busybox:1.36", "docker.io/library/busybox:1.36"),
        ("bitnami/redis:7.2", "docker.io/bitnami/redis:7.2"),
        ("index.docker.io/library/nginx", "docker.io/library/nginx:latest"),
        ("registry.example.com:5000/team/app:v2", "registry.example.com:5000/team/app:v2"),
        ("localhost:5000/app", "localhost:5000/app:latest"),
        ("localhost/app:1", "localhost/app:1"),
        ("ghcr.io/owner/app", "ghcr.io/owner/app:latest"),
        ("nginx@sha256:" + String(repeating: "a", count: 64), "docker.io/library/nginx@sha256:" + String(repeating: "a", count: 64)),
        ("nginx:1.27@sha256:" + String(repeating: "b", count: 64), "docker.io/library/nginx:1.27@sha256:" + String(repeating: "b", count: 64)),
        ("my_app__x-y.z:TAG_1.0-rc", "docker.io/library/my_app__x-y.z:TAG_1.0-rc"),
    ])
    func normalizes(_ input: String, _ expected: String) throws {
        #expect(try ImageReference.parse(input).normalized == expected)
    }

    @Test(arguments: [
        ("BUSYBOX", #"Failed to apply default image tag "BUSYBOX": couldn't parse image name "BUSYBOX": invalid reference format: repository name (library/BUSYBOX) must be lowercase"#),
        ("myapp:1.0.0:extra", #"Failed to apply default image tag "myapp:1.0.0:extra": couldn't parse image name "myapp:1.0.0:extra": invalid reference format"#),
        ("my app", #"Failed to apply default image tag "my app": couldn't parse image name "my app": invalid reference format"#),
        ("registry.example.com//nginx", #"Failed to apply default image tag "registry.example.com//nginx": couldn't parse image name "registry.example.com//nginx": invalid reference format"#),
        ("nginx@sha256:abc", #"Failed to apply default image tag "nginx@sha256:abc": couldn't parse image name "nginx@sha256:abc": invalid reference format"#),
        ("nginx@sha256:" + String(repeating: "a", count: 40), #"Failed to apply default image tag "nginx@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": couldn't parse image name "nginx@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": invalid checksum digest length"#),
        (String(repeating: "f", count: 64), #"Failed to apply default image tag "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff": couldn't parse image name "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff": invalid repository name (ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff), cannot specify 64-byte hexadecimal strings"#),
        ("app:-bad", #"Failed to apply default image tag "app:-bad": couldn't parse image name "app:-bad": invalid reference format"#),
    ])
    func rejects(_ input: String, _ message: String) {
        #expect(throws: ImagePullError.invalidReference(message)) { try ImageReference.parse(input) }
    }

    @Test func repositoryOfARegistryWithAPort() throws {
        let ref = try ImageReference.parse("registry.example.com:5000/team/app:v2")
        #expect(ref.domain == "registry.example.com:5000")
        #expect(ref.path == "team/app")
        #expect(ref.tag == "v2")
        #expect(ref.repository == "registry.example.com:5000/team/app")
    }
}
