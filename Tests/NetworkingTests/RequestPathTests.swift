import Testing
@testable import Networking

/// The path requests are routed by, as nginx makes `$uri`: decoded, slashes merged, dot
/// segments resolved, so `/api/../static` is routed as `/static`.
@Suite struct RequestPathTests {
    @Test(arguments: [
        ("/", "/"),
        ("/api/v1?watch=1", "/api/v1"),
        ("//api///v1", "/api/v1"),
        ("/api/./v1/", "/api/v1/"),
        ("/api/v1/..", "/api/"),
        ("/public/../admin", "/admin"),
        ("/public/%2e%2e/admin", "/admin"),
        ("/a%20b", "/a b"),
        ("/%41PI", "/API"),
        ("relative", "/relative"),
        ("/a/b/../../c/.", "/c/"),
    ])
    func normalizes(_ target: String, _ path: String) {
        #expect(RequestPath.normalize(target) == path)
    }

    @Test(arguments: ["/..", "/../etc/passwd", "/a/../../b", "/%2e%2e/x", "/bad%zz", "/trunc%4", "/nul%00byte"])
    func rejects(_ target: String) {
        #expect(RequestPath.normalize(target) == nil)
    }

    /// Through the routing table: a dot segment cannot take a request to another location's
    /// backend than the one of the path the app will see.
    @Test func dotSegmentsRouteByThePathTheAppSees() throws {
        let router = IngressRouterTests.router
        let path = try #require(RequestPath.normalize("/api/../static/app.js"))
        #expect(router.route(host: "shop.example.com", path: path)?.service.name == "static")
        let exact = try #require(RequestPath.normalize("/health/../api/v2"))
        #expect(router.route(host: "shop.example.com", path: exact)?.service.name == "api-v2-exact")
    }
}
