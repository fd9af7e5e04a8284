import Foundation
import KubeModel

/// Builds describe text the way kubectl's PrefixWriter does: a level is two spaces of indent,
/// cells are tab-separated, and the whole text is aligned by a Go tabwriter at the end.
struct DescribeWriter {
    private(set) var text = ""

    mutating func write(_ level: Int, _ line: String) {
        text += String(repeating: "  ", count: level) + line + "\n"
    }

    var rendered: String { GoTabWriter().format(text) }

    static func date(_ ts: String?) -> String { date(ts.flatMap(Timestamp.parse)) }

    static func date(_ d: Date?) -> String {
        guard let d else { return "<unknown>" }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return f.string(from: d)
    }

    /// Labels and annotations: `k=v` one per line (annotations `k: v`), `<none>` when empty.
    mutating func map(_ level: Int, _ title: String, _ m: [String: JSONValue]?, separator: String = "=", skip: Set<String> = []) {
        // kubectl never shows the last-applied annotation, whichever object it describes.
        let hidden = title == "Annotations" ? skip.union(["kubectl.kubernetes.io/last-applied-configuration"]) : skip
        let keys = (m ?? [:]).keys.filter { !hidden.contains($0) }.sorted()
        guard let first = keys.first else {
            write(level, "\(title):\t<none>")
            return
        }
        write(level, "\(title):\t\(first)\(separator)\(m?[first]?.stringValue ?? "")")
        // kubectl writes continuation lines without the indent (it only shows in unaligned output).
        for k in keys.dropFirst() { write(0, "\t\(k)\(separator)\(m?[k]?.stringValue ?? "")") }
    }

    /// Labels and annotations read through a typed view.
    mutating func map(_ level: Int, _ title: String, _ m: [String: String], separator: String = "=", skip: Set<String> = []) {
        map(level, title, m.mapValues(JSONValue.string), separator: separator, skip: skip)
    }

    mutating func meta(_ o: JSONValue, namespace: Bool = true, created: Bool = false) {
        let meta = o.metadata
        write(0, "Name:\t\(meta.name)")
        if namespace { write(0, "Namespace:\t\(meta.namespace)") }
        if created { write(0, "CreationTimestamp:\t\(Self.date(meta.creationTimestamp))") }
        map(0, "Labels", meta.labels)
        map(0, "Annotations", meta.annotations, separator: ": ", skip: ["kubectl.kubernetes.io/last-applied-configuration"])
    }

    mutating func events(_ events: [Event]?, level: Int = 0) {
        guard let events else { return }
        if events.isEmpty {
            write(level, "Events:\t<none>")
            return
        }
        write(level, "Events:")
        write(level + 1, "Type\tReason\tAge\tFrom\tMessage")
        write(level + 1, "----\t------\t----\t----\t-------")
        let now = Date()
        func age(_ d: Date?) -> String {
            guard let d else { return "<unknown>" }
            return HumanDuration.format(seconds: now.timeIntervalSince(d))
        }
        for e in events {
            var when = age(e.lastTimestamp ?? e.eventTime)
            if let count = e.count, count > 1 { when = "\(when) (x\(count) over \(age(e.firstTimestamp ?? e.eventTime)))" }
            var from = e.source.component ?? e.reportingComponent ?? ""
            if let host = e.source.host, !host.isEmpty { from += ", \(host)" }
            write(level + 1, "\(e.type ?? "")\t\(e.reason ?? "")\t\(when)\t\(from)\t\(e.message ?? "")")
        }
    }
}
