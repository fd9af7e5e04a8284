import KplaneTestSupport
import Testing
@testable import Nodes

struct HostCommandTests {
    @Test(.offPool) func returnsOutputAndStatus() throws {
        let sh = try #require(HostCommand.find("sh"))
        let out = try sh.output(["-c", "cat; echo oops >&2; exit 3"], input: "batch\n")
        #expect(out.status == 3 && out.stdout == "batch\n" && out.stderr == "oops\n")
        #expect(throws: HostCommand.Failure.self) { try sh.run(["-c", "exit 1"]) }
    }

    /// A tool that exits without reading its input (a failed batch) must not kill the agent with
    /// SIGPIPE when the input is larger than the channel's buffer.
    @Test(.offPool) func aToolThatStopsReadingIsNoSignal() throws {
        let tool = try #require(HostCommand.find("true"))
        let out = try tool.output([], input: String(repeating: "link show lo\n", count: 100_000))
        #expect(out.status == 0)
    }
}
