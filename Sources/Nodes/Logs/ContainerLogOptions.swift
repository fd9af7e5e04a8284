import Foundation

/// v1.PodLogOptions as the kubelet's containerLogs endpoint decodes it from a query.
public struct ContainerLogOptions: Equatable, Sendable {
    public var follow = false
    public var previous = false
    public var timestamps = false
    public var tailLines: Int?
    public var limitBytes: Int?
    public var sinceSeconds: Int?
    public var sinceTime: Date?

    public init(follow: Bool = false, previous: Bool = false, timestamps: Bool = false, tailLines: Int? = nil,
                limitBytes: Int? = nil, sinceSeconds: Int? = nil, sinceTime: Date? = nil) {
        self.follow = follow
        self.previous = previous
        self.timestamps = timestamps
        self.tailLines = tailLines
        self.limitBytes = limitBytes
        self.sinceSeconds = sinceSeconds
        self.sinceTime = sinceTime
    }

    public enum Problem: Error, Equatable, Sendable {
        /// A value that does not decode (the kubelet: 400 `{"message": "Unable to decode query."}`).
        case undecodable
        /// A value ValidatePodLogOptions refuses (422 `{"message": "Invalid request."}`).
        case invalid
    }

    /// Decodes a query as the kubelet does: the legacy `tail` (`all` for every line) stands for
    /// `tailLines`; booleans as apimachinery reads them (absent, "0" or "false" are false);
    /// `sinceTime` RFC 3339. Then validates as ValidatePodLogOptions.
    public init(query: [String: String]) throws(Problem) {
        func bool(_ key: String) -> Bool {
            guard let v = query[key] else { return false }
            return !(v == "0" || v.lowercased() == "false")
        }
        func int(_ key: String) throws(Problem) -> Int? {
            guard let v = query[key] else { return nil }
            guard let n = Int(v) else { throw .undecodable }
            return n
        }
        follow = bool("follow")
        previous = bool("previous")
        timestamps = bool("timestamps")
        if let tail = query["tail"], !tail.isEmpty {
            if tail != "all" {
                guard let n = Int(tail) else { throw .undecodable }
                tailLines = n
            }
        } else {
            tailLines = try int("tailLines")
        }
        limitBytes = try int("limitBytes")
        sinceSeconds = try int("sinceSeconds")
        if let t = query["sinceTime"] {
            guard let stamp = CRITimestamp.parse(Array(t.utf8)[...]) else { throw .undecodable }
            sinceTime = stamp.date
        }
        if let n = tailLines, n < 0 { throw .invalid }
        if let n = limitBytes, n < 1 { throw .invalid }
        if sinceSeconds != nil && sinceTime != nil { throw .invalid }
        if let n = sinceSeconds, n < 1 { throw .invalid }
    }

    /// The instant before which lines are left out (NewLogOptions: sinceSeconds back from now,
    /// or sinceTime if later).
    func since(now: Date) -> CRITimestamp? {
        var since: Date?
        if let s = sinceSeconds { since = now.addingTimeInterval(-Double(s)) }
        if let t = sinceTime, since.map({ t > $0 }) ?? true { since = t }
        return since.map(CRITimestamp.init)
    }
}
