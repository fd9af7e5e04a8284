import ArgumentParser
import Logging

/// klog's `-v`: how much each component says, on standard error. 0 and 1 print what a person
/// wants to see (a controller started, a Deployment scaled a ReplicaSet, a pod bound to a node
/// or unschedulable, a node NotReady, every error); 2–4 add the reconcile detail (each sync and
/// its outcome, events, group-commit sizes), as klog's V(2)–V(4); 5 and above trace everything.
struct Verbosity: ParsableArguments {
    @Option(name: [.customShort("v"), .customLong("v")], help: "Log verbosity, as klog's -v: 0-1 summary, 2-4 reconcile detail, 5+ trace.")
    var level = 0

    var logLevel: Logger.Level {
        switch level {
        case ..<2: .info
        case 2...4: .debug
        default: .trace
        }
    }

    /// Sets up swift-log once, before any component makes a logger.
    func bootstrap() {
        let level = logLevel
        LoggingSystem.bootstrap { label in KlogHandler(label: label, level: level) }
    }
}
