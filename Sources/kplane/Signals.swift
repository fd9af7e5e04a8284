import Foundation
import UnixSignals

/// SIGINT and SIGTERM as an awaitable event, for the roles that run no HTTP server.
enum Signals {
    static func waitForTermination() async {
        for await _ in await UnixSignalsSequence(trapping: .sigint, .sigterm) { return }
    }
}
