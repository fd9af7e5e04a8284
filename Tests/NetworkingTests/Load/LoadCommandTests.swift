import Foundation
import KplaneTestSupport
import Testing

/// `kplane load`: requests from several clients for a while, a line each second and the totals;
/// bad arguments refused with one line.
@Suite(.serialized, .timeLimit(.minutes(2)), .offPool) struct LoadCommandTests {
    @Test func itCountsAnswersAndFailuresEachSecond() throws {
        let server = try ServerProcess()
        let r = try ServerProcess.run(ServerProcess.binary, ["load", server.baseURL + "/healthz", "-c", "2", "-d", "2s"])
        #expect(r.code == 0, "\(r.err)")
        let lines = r.out.split(separator: "\n").map(String.init)
        let seconds = lines.filter { $0.contains("requests=") && $0.contains("p50=") }
        #expect(seconds.count >= 1, "\(r.out)")
        #expect(seconds.allSatisfy { $0.contains("failed=0") && $0.contains(" 200=") }, "\(r.out)")
        let total = try #require(lines.last)
        let requests = Int(total.split(separator: " ").first?.split(separator: "=").last ?? "") ?? 0
        #expect(total.hasPrefix("requests=") && total.hasSuffix(" failed=0") && requests > 10, "\(total)")

        // Nothing listening: the requests fail (the HTTP client retries a refused connection
        // until the request's 10 s timeout), and the totals say so.
        let closed = try ServerProcess.run(ServerProcess.binary, ["load", "http://127.0.0.1:1/", "-c", "1", "-d", "1500ms"])
        #expect(closed.code == 0)
        let last = String(closed.out.split(separator: "\n").last ?? "")
        #expect(last.hasPrefix("requests=") && !last.hasSuffix(" failed=0"), "\(closed.out)")
    }

    @Test(arguments: [
        (["ftp://127.0.0.1/"], "the URL must start with http://"),
        (["http://127.0.0.1/", "-c", "0"], "--concurrency must be between 1 and 1000"),
        (["http://127.0.0.1/", "-d", "forever"], "invalid duration \"forever\" for --duration"),
    ])
    func badArgumentsAreRefused(args: [String], message: String) throws {
        let r = try ServerProcess.run(ServerProcess.binary, ["load"] + args)
        #expect(r.code != 0)
        #expect(r.err.contains(message), "\(r.err)")
    }
}
