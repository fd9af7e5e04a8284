import Logging
import Synchronization

/// A swift-log handler that keeps every line, for tests that check what a component said.
/// Each logger made from one `LogLines` writes to it, labelled by component.
final class LogLines: Sendable {
    struct Line: Sendable {
        let component: String
        let level: Logger.Level
        let message: String
        let metadata: [String: String]
    }
    private let lines = Mutex<[Line]>([])

    var all: [Line] { lines.withLock { $0 } }

    func append(_ line: Line) { lines.withLock { $0.append(line) } }

    /// A logger for `component` at `level` that writes here.
    func logger(_ component: String, level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: component) { label in Handler(label: label, sink: self) }
        logger.logLevel = level
        return logger
    }

    struct Handler: LogHandler {
        let label: String
        let sink: LogLines
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
            sink.append(Line(component: label, level: event.level, message: "\(event.message)",
                             metadata: merged.mapValues { "\($0)" }))
        }
    }
}
