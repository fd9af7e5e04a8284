import Testing
@testable import Networking

struct NetworkingTests {
    @Test func theComponentHasAName() {
        #expect(Networking.component == "kplane-networking")
    }
}
