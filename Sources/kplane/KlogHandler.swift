import Foundation
import Logging

/// Writes log lines to standard error as klog does:
/// `I1201 19:11:28.123456   12345 WatcherSet.swift:57] message key="value"`.
///
/// Metadata is kept as given and formatted only when a line is written: the HTTP server sets a
/// request id on every request's logger, and swift-log's StreamLogHandler formats its metadata on
/// every such set, a measurable share of a GET.
struct KlogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    let label: String
    /// The wall clock klog prints; injected so a test can fix it.
    let now: @Sendable () -> Date

    init(label: String, level: Logger.Level, now: @escaping @Sendable () -> Date = { Date() }) {
        self.label = label
        logLevel = level
        self.now = now
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        let line = Self.format(level: event.level, time: now(), pid: ProcessInfo.processInfo.processIdentifier,
                               file: event.file, line: event.line, label: label, message: "\(event.message)", metadata: merged)
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// One klog line: severity letter, month and day, time to the microsecond (UTC), pid, source
    /// file and line, then the message and its metadata sorted by key.
    static func format(level: Logger.Level, time: Date, pid: Int32, file: String, line: UInt, label: String,
                       message: String, metadata: Logger.Metadata) -> String {
        let severity: Character = switch level {
        case .trace, .debug, .info, .notice: "I"
        case .warning: "W"
        case .error: "E"
        case .critical: "F"
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let c = calendar.dateComponents([.month, .day, .hour, .minute, .second, .nanosecond], from: time)
        func two(_ v: Int?) -> String { let s = String(v ?? 0); return s.count < 2 ? "0" + s : s }
        let micros = String((c.nanosecond ?? 0) / 1000)
        let stamp = "\(two(c.month))\(two(c.day)) \(two(c.hour)):\(two(c.minute)):\(two(c.second))."
            + String(repeating: "0", count: max(0, 6 - micros.count)) + micros
        let paddedPID = String(repeating: " ", count: max(0, 7 - String(pid).count)) + String(pid)
        let source = file.split(separator: "/").last.map(String.init) ?? file
        var out = "\(severity)\(stamp) \(paddedPID) \(source):\(line)] \(message) component=\"\(label)\""
        for key in metadata.keys.sorted() {
            out += " \(key)=\"\(metadata[key].map { "\($0)" } ?? "")\""
        }
        return out + "\n"
    }
}
