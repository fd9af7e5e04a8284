import KubeModel

/// The recent committed changes, oldest first: what a watch resumes from. It keeps at most
/// `limit` entries; older revisions are compacted, and a watch from one of them gets 410 Expired
/// (as etcd's compaction does), so its client lists again.
struct ChangeHistory {
    /// A committed change, kept as bytes only to keep memory small; a replay parses it again.
    struct Entry: Sendable {
        let type: WatchEvent.EventType
        let rv: Int64
        let key: ObjectKey
        let bytes: [UInt8]
        /// The key's state just before this change, so a list can read an older revision by
        /// undoing the changes after it. Its bytes are the ones the previous state was stored
        /// with (shared, not copied) while that state is in the history or the store.
        let previous: Previous

        var event: WatchEvent? {
            guard let value = try? JSONParser.parse(bytes) else { return nil }
            return WatchEvent(type: type, rv: rv, key: key, object: value, bytes: bytes, old: nil)
        }
    }

    /// Links changes loaded from disk (oldest first) to the states before them.
    static func linked(_ loaded: [(type: WatchEvent.EventType, rv: Int64, key: ObjectKey, bytes: [UInt8])]) -> [Entry] {
        var last: [ObjectKey: Entry] = [:]
        return loaded.map { c in
            let previous: Previous
            if let before = last[c.key] {
                previous = before.type == .deleted ? .absent : .object(rv: before.rv, bytes: before.bytes)
            } else {
                previous = c.type == .added ? .absent : .unknown
            }
            let entry = Entry(type: c.type, rv: c.rv, key: c.key, bytes: c.bytes, previous: previous)
            last[c.key] = entry
            return entry
        }
    }

    let limit: Int
    private var entries: [Entry] = []
    /// Entries before this index are compacted (dropped in bulk, not one at a time).
    private var start = 0
    /// A watch may resume from any revision >= this.
    private(set) var compactedRV: Int64

    init(limit: Int, loaded: [Entry], currentRV: Int64) {
        self.limit = limit
        entries = loaded
        // A history that reaches back to the first revision has lost nothing; otherwise only
        // what follows its oldest entry can be replayed exactly.
        if loaded.isEmpty {
            compactedRV = currentRV
        } else if loaded.count < limit && loaded.first?.rv == 1 {
            compactedRV = 0
        } else {
            compactedRV = (loaded.first?.rv ?? currentRV) - 1
        }
    }

    /// What a key held before a change.
    enum Previous: Sendable {
        case absent
        case object(rv: Int64, bytes: [UInt8])
        /// Loaded from disk with no earlier change of the key: the state before it is compacted.
        case unknown
    }

    mutating func append(_ e: WatchEvent, previous: Previous) {
        entries.append(Entry(type: e.type, rv: e.rv, key: e.key, bytes: e.bytes, previous: previous))
        let live = entries.count - start
        guard live > limit else { return }
        start += live - limit
        compactedRV = entries[start].rv - 1
        if start > limit {
            entries.removeFirst(start)
            start = 0
        }
    }

    /// Drops every entry at or below `rv`: watches from those revisions get 410 Expired.
    mutating func compact(through rv: Int64) {
        guard rv > compactedRV else { return }
        while start < entries.count && entries[start].rv <= rv { start += 1 }
        compactedRV = rv
    }

    /// The entries of `resource` (and `namespace`, if given) with a revision above `rv`.
    func entries(of resource: String, namespace: String?, after rv: Int64) -> [Entry] {
        var out: [Entry] = []
        // Entries are in revision order: skip straight to the first one after `rv`.
        var lo = start, hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if entries[mid].rv <= rv { lo = mid + 1 } else { hi = mid }
        }
        for e in entries[lo...] where e.key.resource == resource && (namespace == nil || e.key.namespace == namespace) {
            out.append(e)
        }
        return out
    }
}
