import KubeModel

/// What a list-and-watch delivers: a full listing (at the start, and again after the server
/// said the revision was too old), then changes.
public enum ListWatchEvent: Sendable {
    case listed([JSONValue], resourceVersion: String)
    case added(JSONValue)
    case modified(JSONValue)
    case deleted(JSONValue)
}

/// List then watch, as client-go's reflector does: the watch resumes from the last revision
/// seen (bookmarks included) whenever the server ends it, and a 410 Expired answer leads to a
/// fresh list. It reads only as fast as its consumer asks (no task copies events ahead into a
/// buffer of its own), so a slow consumer is held back by the bounded watch stream beneath it.
/// Runs until the consuming task is cancelled.
public struct ListWatch: AsyncSequence, Sendable {
    public typealias Element = ListWatchEvent

    let client: APIClient
    let path: String
    let query: [(String, String)]
    let timeoutSeconds: Int

    /// `path` is a collection URL (`APIResource.path(namespace:)`); `query` may carry selectors.
    public init(client: APIClient, path: String, labelSelector: String? = nil, fieldSelector: String? = nil, timeoutSeconds: Int = 300) {
        self.client = client
        self.path = path
        var q: [(String, String)] = []
        if let labelSelector { q.append(("labelSelector", labelSelector)) }
        if let fieldSelector { q.append(("fieldSelector", fieldSelector)) }
        self.query = q
        self.timeoutSeconds = timeoutSeconds
    }

    public func makeAsyncIterator() -> Iterator { Iterator(list: self) }

    public struct Iterator: AsyncIteratorProtocol {
        let list: ListWatch
        /// The revision to watch from; nil: list first.
        var rv: String?
        var watch: AsyncThrowingStream<WatchEventLine, any Error>.AsyncIterator?

        public mutating func next() async throws -> ListWatchEvent? {
            while !Task.isCancelled {
                guard let from = rv else {
                    let listed = try await list.client.call("GET", list.path, query: list.query)
                    let at = listed[path: ["metadata", "resourceVersion"]]?.stringValue ?? "0"
                    rv = at
                    watch = nil
                    return .listed(listed["items"]?.arrayValue ?? [], resourceVersion: at)
                }
                var events = watch ?? list.client.watch(
                    path: list.path,
                    query: list.query + [("watch", "true"), ("resourceVersion", from), ("allowWatchBookmarks", "true"),
                                         ("timeoutSeconds", String(list.timeoutSeconds))],
                    accept: "application/json"
                ).makeAsyncIterator()
                let next: WatchEventLine?
                do {
                    next = try await events.next()
                } catch let e as APIStatusError where e.code == 410 {
                    rv = nil
                    continue
                }
                guard let e = next else {
                    // The server (or a full buffer) ended the watch: watch again from `rv`.
                    watch = nil
                    continue
                }
                watch = events
                if e.type == "ERROR" {
                    if e.object["code"]?.intValue == 410 {
                        rv = nil
                        continue
                    }
                    throw APIStatusError(code: Int(e.object["code"]?.intValue ?? 500), reason: e.object["reason"]?.stringValue ?? "",
                                         message: e.object["message"]?.stringValue ?? "watch error", status: e.object)
                }
                if let next = e.object[path: ["metadata", "resourceVersion"]]?.stringValue { rv = next }
                switch e.type {
                case "ADDED": return .added(e.object)
                case "MODIFIED": return .modified(e.object)
                case "DELETED": return .deleted(e.object)
                default: continue
                }
            }
            return nil
        }
    }
}

/// Untyped verbs on a resource, with the server's Status as the error.
extension APIClient {
    public func get(_ r: APIResource, namespace: String?, name: String) async throws -> JSONValue {
        try await call("GET", r.path(namespace: namespace, name: name))
    }

    public func list(_ r: APIResource, namespace: String?, labelSelector: String? = nil, fieldSelector: String? = nil) async throws -> JSONValue {
        var q: [(String, String)] = []
        if let labelSelector { q.append(("labelSelector", labelSelector)) }
        if let fieldSelector { q.append(("fieldSelector", fieldSelector)) }
        return try await call("GET", r.path(namespace: namespace), query: q)
    }

    public func create(_ r: APIResource, namespace: String?, _ object: JSONValue) async throws -> JSONValue {
        try await call("POST", r.path(namespace: namespace), body: object)
    }

    public func update(_ r: APIResource, namespace: String?, _ object: JSONValue, subresource: String? = nil) async throws -> JSONValue {
        try await call("PUT", r.path(namespace: namespace, name: object[path: ["metadata", "name"]]?.stringValue ?? "", subresource: subresource), body: object)
    }

    public func patch(_ r: APIResource, namespace: String?, name: String, _ patch: JSONValue,
                      type: String = "application/strategic-merge-patch+json", subresource: String? = nil) async throws -> JSONValue {
        try await call("PATCH", r.path(namespace: namespace, name: name, subresource: subresource), body: patch, contentType: type)
    }

    public func delete(_ r: APIResource, namespace: String?, name: String, propagationPolicy: String = "Background") async throws -> JSONValue {
        try await call("DELETE", r.path(namespace: namespace, name: name), body: ["propagationPolicy": .string(propagationPolicy)])
    }
}
