import ArgumentParser
import Logging

/// klog's `-v`: how much each component says, on standard error. 0–3 print informational
/// messages (a watch closed for falling behind, say), 4–5 add debug ones (group-commit sizes),
/// 6 and above trace everything.
struct Verbosity: ParsableArguments {
    @Option(name: [.customShort("v"), .customLong("v")], help: "Log verbosity, as klog's -v: 0-3 info, 4-5 debug, 6+ trace.")
    var level = 0

    var logLevel: Logger.Level {
        switch level {
        case ..<4: .info
        case 4...5: .debug
        default: .trace
        }
    }

    /// Sets up swift-log once, before any component makes a logger.
    func bootstrap() {
        let level = logLevel
        LoggingSystem.bootstrap { label in KlogHandler(label: label, level: level) }
    }
}
