import Foundation
import HTTPTypes
import Hummingbird
import KubeModel
import KubeYAML
import NIOCore

/// One request on a resource URL: picks the verb from the method and path, decodes the body,
/// and renders the answer as JSON, a Table, or a watch stream.
struct ResourceHandler {
    let api: APIService
    let request: Request
    let query: Query
    let accept: String
    /// The request came from `LocalAPIClient`: there is no connection to watch for closing.
    var inProcess = false
    /// The client's connection, which exec, attach and port-forward take over once upgraded
    /// (nil in process).
    var channel: (any Channel)? = nil

    var wantsTable: Bool { AcceptHeader.mentions(accept, "as=Table") }

    func handle(_ r: APIPath.ResourceRequest) async throws -> Response {
        let info = r.info
        if info.namespaced && r.namespace == nil && r.name != nil { throw APIError.resourceNotFound() }
        if info.group == "metrics.k8s.io" { return try await metrics(r) }
        if let sub = r.subresource {
            return try await subresource(r, sub)
        }
        switch (request.method, r.name) {
        case (.get, nil):
            var options = listOptions()
            let watching = query.bool("watch")
            try options.validate(watch: watching)
            if watching { return try await watch(info, r.namespace, &options) }
            if !wantsTable { return KubeResponder.raw(try api.listBytes(info, namespace: r.namespace, options: options), "application/json") }
            let list = try api.list(info, namespace: r.namespace, options: options)
            var table = converter.table(info, list["items"]?.arrayValue ?? [], rv: list[path: ["metadata", "resourceVersion"]]?.stringValue,
                                        includeObject: query["includeObject"] ?? "Metadata")
            table.set(["metadata", "continue"], list[path: ["metadata", "continue"]])
            return KubeResponder.raw(JSONSerializer.serialize(table), TableConverter.contentType)
        case (.get, let name?):
            if !wantsTable { return KubeResponder.raw(try api.getBytes(info, namespace: r.namespace, name: name), "application/json") }
            let obj = try api.get(info, namespace: r.namespace, name: name)
            return KubeResponder.raw(JSONSerializer.serialize(converter.table(info, [obj], rv: obj[path: ["metadata", "resourceVersion"]]?.stringValue, includeObject: query["includeObject"] ?? "Metadata")), TableConverter.contentType)
        case (.post, nil):
            let body = try await readObject()
            let result = try await api.create(info, namespace: r.namespace, body: body, options: writeOptions())
            return written(result, status: .created)
        case (.put, let name?):
            let body = try await readObject()
            return written(try await api.update(info, namespace: r.namespace, name: name, body: body, options: writeOptions()), status: .ok)
        case (.patch, let name?):
            let (type, patch) = try await readPatch()
            let result = try await api.patch(info, namespace: r.namespace, name: name, type: type, patch: patch, options: writeOptions())
            return written(result, status: result.created ? .created : .ok)
        case (.delete, let name?):
            let obj = try await api.delete(info, namespace: r.namespace, name: name, options: try await deleteOptions())
            return KubeResponder.json(obj)
        case (.delete, nil):
            let obj = try await api.deleteCollection(info, namespace: r.namespace, list: listOptions(), options: try await deleteOptions())
            return KubeResponder.json(obj)
        default:
            throw APIError.methodNotAllowed()
        }
    }

    private func subresource(_ r: APIPath.ResourceRequest, _ sub: String) async throws -> Response {
        guard let name = r.name else { throw APIError.resourceNotFound() }
        let info = r.info
        switch (sub, request.method) {
        case ("exec", .get), ("exec", .post), ("attach", .get), ("attach", .post), ("portforward", .get), ("portforward", .post):
            guard info.subresources.contains(sub) else { throw APIError.resourceNotFound() }
            return try await podStream(sub, namespace: r.namespace ?? "", name: name)
        case ("log", .get) where info.subresources.contains("log"):
            return try await podLog(namespace: r.namespace ?? "", name: name)
        case ("proxy", _) where info.subresources.contains("proxy"):
            return try await proxy(r, id: name)
        case ("eviction", .post) where info.subresources.contains("eviction"):
            return KubeResponder.json(try await api.evict(namespace: r.namespace ?? "", name: name, body: try await readObject()), status: .created)
        case ("binding", .post) where info.subresources.contains("binding"):
            return KubeResponder.json(try await api.bind(namespace: r.namespace ?? "", name: name, body: try await readObject()), status: .created)
        case ("status", .get) where info.hasStatus:
            return KubeResponder.json(try api.get(info, namespace: r.namespace, name: name))
        case ("scale", .get) where info.hasScale:
            return KubeResponder.json(try api.getScale(info, namespace: r.namespace, name: name))
        case ("finalize", .put) where info.subresources.contains("finalize"):
            // The namespace controller's finalize call: only spec.finalizers may change.
            let body = try await readObject()
            let finalizers = body[path: ["spec", "finalizers"]] ?? []
            let result = try await api.patch(info, namespace: nil, name: name, type: .merge, patch: ["spec": ["finalizers": finalizers]], options: writeOptions())
            return written(result, status: .ok)
        case ("status", .put), ("scale", .put):
            let body = try await readObject()
            let s = Subresource(rawValue: sub) ?? .none
            return written(try await api.update(info, namespace: r.namespace, name: name, body: body, subresource: s, options: writeOptions()), status: .ok)
        case ("status", .patch), ("scale", .patch):
            let (type, patch) = try await readPatch()
            let s = Subresource(rawValue: sub) ?? .none
            return written(try await api.patch(info, namespace: r.namespace, name: name, type: type, patch: patch, subresource: s, options: writeOptions()), status: .ok)
        case ("status", _), ("scale", _), ("binding", _), ("finalize", _), ("eviction", _):
            if !info.subresources.contains(sub) { throw APIError.resourceNotFound() }
            throw APIError.methodNotAllowed()
        default:
            throw APIError.resourceNotFound()
        }
    }

    /// Ages in tables count from the API server's clock, the one that stamps creationTimestamp.
    var converter: TableConverter { TableConverter(now: api.now()) }

    private func written(_ result: WriteResult, status: HTTPResponse.Status) -> Response {
        var headers = HTTPFields()
        for w in result.warnings {
            let escaped = w.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"")
            if let warning = HTTPField.Name("Warning") { headers.append(HTTPField(name: warning, value: "299 - \"\(escaped)\"")) }
        }
        if let bytes = result.bytes { return KubeResponder.raw(bytes, "application/json", status: status, headers: headers) }
        return KubeResponder.json(result.object, status: status, headers: headers)
    }

    func listOptions() -> ListOptions {
        var o = ListOptions()
        o.labelSelector = query["labelSelector"] ?? ""
        o.fieldSelector = query["fieldSelector"] ?? ""
        o.limit = query.int("limit") ?? 0
        o.continueToken = query["continue"] ?? ""
        o.resourceVersion = query["resourceVersion"] ?? ""
        o.allowWatchBookmarks = query.bool("allowWatchBookmarks")
        o.sendInitialEvents = query.optionalBool("sendInitialEvents")
        o.resourceVersionMatch = query["resourceVersionMatch"] ?? ""
        o.timeoutSeconds = query.int("timeoutSeconds")
        return o
    }

    func writeOptions() throws -> WriteOptions {
        var o = WriteOptions()
        if let dry = query["dryRun"] {
            guard dry == "All" else { throw APIError.badRequest("Invalid dryRun value: \(dry), only \"All\" is supported") }
            o.dryRun = true
        }
        if let v = query["fieldValidation"] {
            guard let fv = FieldValidation(rawValue: v) else {
                throw APIError.badRequest("fieldValidation parameter unsupported: \(v), accepted values: Ignore, Strict, Warn")
            }
            o.fieldValidation = fv
        }
        o.fieldManager = query["fieldManager"]
        // As apimachinery's Convert_Slice_string_To_Pointer_bool: only "0" and "false" are false.
        if let force = query["force"] { o.force = !(force == "0" || force.lowercased() == "false") }
        o.userAgent = request.headers[.userAgent]
        return o
    }

    func deleteOptions() async throws -> DeleteOptions {
        let bytes = try await readBody()
        var o = DeleteOptions()
        if !bytes.isEmpty {
            do {
                o = DeleteOptions(json: try JSONParser.parse(bytes))
            } catch {
                throw APIError.badRequest("couldn't get version/kind; json parse error: \(error.message)")
            }
        }
        if let g = query.int("gracePeriodSeconds") { o.gracePeriodSeconds = Int64(g) }
        if let p = query["propagationPolicy"] { o.propagationPolicy = p }
        if query["dryRun"] == "All" { o.dryRun = true }
        return o
    }

    func readBody() async throws -> [UInt8] {
        var out: [UInt8] = []
        do {
            for try await chunk in request.body {
                if out.count + chunk.readableBytes > KubeResponder.maxBody { throw APIError.tooLarge() }
                if out.isEmpty { out.reserveCapacity(chunk.readableBytes) }
                chunk.withUnsafeReadableBytes { out.append(contentsOf: $0) }
            }
        } catch let e as APIError {
            throw e
        } catch let e as RequestBodyError {
            // Bad chunking or a body cut short: the client's fault, not the server's.
            throw e.status
        } catch {
            throw APIError.badRequest("the request body could not be read: \(error)")
        }
        return out
    }

    /// The media type of the body, without parameters ("application/json; charset=utf-8").
    /// The media type without parameters or spaces, in lower case (one pass over the bytes).
    var contentType: String {
        guard let ct = request.headers[.contentType] else { return "application/json" }
        var media: [UInt8] = []
        media.reserveCapacity(ct.utf8.count)
        for b in ct.utf8 {
            if b == UInt8(ascii: ";") { break }
            if b == UInt8(ascii: " ") { continue }
            media.append(b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") ? b + 32 : b)
        }
        return String(decoding: media, as: UTF8.self)
    }

    /// The kind a body sent to this URL must hold, for decode errors.
    var bodyKind: String {
        guard case .resource(let r) = APIPath.parse(request.uri.path, catalog: api.catalog) else { return "" }
        switch r.subresource {
        case "scale": return "Scale"
        case "eviction": return "Eviction"
        case "binding": return "Binding"
        default: return r.info.kind
        }
    }

    /// A create/update body as JSON, from JSON, YAML or kubectl's protobuf.
    func readObject() async throws -> JSONValue {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > KubeResponder.maxBody { throw APIError.tooLarge() }
        let bytes = try await readBody()
        switch contentType {
        case "application/json", "*/*", "":
            return try parseJSON(bytes)
        case "application/yaml", "application/x-yaml", "text/yaml":
            return try parseYAML(bytes)
        case "application/vnd.kubernetes.protobuf":
            return try ProtobufDecoding.decode(bytes, expected: bodyKind, messages: api.protobuf, kinds: api.catalog.kinds)
        default:
            throw APIError(code: 415, reason: "UnsupportedMediaType", message: "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf")
        }
    }

    func readPatch() async throws -> (PatchType, JSONValue) {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > KubeResponder.maxBody { throw APIError.tooLarge() }
        guard let type = PatchType(rawValue: contentType) else { throw APIError.unsupportedMediaType(contentType) }
        let bytes = try await readBody()
        if type == .apply { return (type, try parseYAML(bytes)) }
        let patch = try parseJSON(bytes)
        if type == .json, let ops = patch.arrayValue, ops.count > JSONPatch.maxOperations {
            throw APIError(code: 413, reason: "RequestEntityTooLarge",
                           message: "Request entity too large: The allowed maximum operations in a JSON patch is \(JSONPatch.maxOperations), got \(ops.count)")
        }
        return (type, patch)
    }

    func parseJSON(_ bytes: [UInt8]) throws -> JSONValue {
        do {
            return try JSONParser.parse(bytes)
        } catch {
            if bytes.isEmpty { throw APIError.badRequest("the request body is empty") }
            throw APIError.badRequest("couldn't get version/kind; json parse error: \(error.message)")
        }
    }

    func parseYAML(_ bytes: [UInt8]) throws -> JSONValue {
        do {
            let docs = try YAMLDecoding.documents(bytes: bytes)
            guard docs.count == 1, let doc = docs.first else { throw APIError.badRequest("yaml: expected exactly one document, got \(docs.count)") }
            return doc
        } catch let e as YAMLDecoding.Failure {
            throw APIError.badRequest(e.message)
        }
    }
}
