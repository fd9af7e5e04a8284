import Foundation
import Hummingbird
import KubeModel
import NIOCore
import Synchronization

/// Routes every request the way kube-apiserver does: discovery, OpenAPI, health, then the
/// resource verbs. All failures become `kind: Status` bodies.
public struct KubeResponder: HTTPResponder {
    public typealias Context = APIRequestContext

    let api: APIService
    let token: String?
    let documents: StaticDocuments
    static let maxBody = 3 * 1024 * 1024

    public init(api: APIService, token: String?, serverAddress: String) {
        self.api = api
        self.token = token
        self.documents = StaticDocuments(serverAddress: serverAddress, catalog: api.catalog, schemas: api.schemas, builtin: api.servesBuiltinKinds)
    }

    public func respond(to request: Request, context: Context) async throws -> Response {
        await handle(request, inProcess: false, channel: context.channel)
    }

    /// Every request, from the network or from the in-process client, goes through here.
    func handle(_ request: Request, inProcess: Bool, channel: (any Channel)? = nil) async -> Response {
        do {
            return try await route(request, inProcess: inProcess, channel: channel)
        } catch let e as APIError {
            return Self.status(e)
        } catch {
            return Self.status(.internalError("\(error)"))
        }
    }

    private func authorized(_ request: Request, _ path: APIPath) -> Bool {
        guard let token else { return true }
        if case .health = path { return true }
        if case .version = path { return true }
        return BearerToken.parse(request.headers[.authorization]) == token
    }

    private func route(_ request: Request, inProcess: Bool, channel: (any Channel)?) async throws -> Response {
        let uri = request.uri.string
        let path = APIPath.parse(request.uri.path, catalog: api.catalog)
        guard authorized(request, path) else { throw APIError.unauthorized() }
        let accept = request.headers[.accept] ?? ""
        switch path {
        case .resource(let r):
            return try await ResourceHandler(api: api, request: request, query: Query(uri), accept: accept, inProcess: inProcess, channel: channel).handle(r)
        case .unknown:
            // Nothing is served here, whatever the method (kube-apiserver's NotFound handler).
            throw APIError.resourceNotFound()
        default:
            guard request.method == .get || request.method == .head else { throw APIError.methodNotAllowed() }
        }
        switch path {
        case .version: return Self.json(Discovery.version)
        case .health: return Self.raw(Array("ok".utf8), "text/plain; charset=utf-8")
        case .api:
            if Self.wantsAggregated(accept) { return Self.raw(documents.aggregatedCore, Discovery.aggregatedContentType) }
            return Self.raw(documents.apiVersions.withLock { $0 }, "application/json")
        case .apis:
            if Self.wantsAggregated(accept) { return Self.raw(documents.aggregatedGroups, Discovery.aggregatedContentType) }
            return Self.raw(documents.groupList, "application/json")
        case .group(let g):
            guard let doc = Discovery.apiGroup(g, in: api.catalog) else { throw APIError.resourceNotFound() }
            return Self.json(doc)
        case .groupVersion(let g, let v):
            guard let doc = documents.resourceLists["\(g)/\(v)"] else { throw APIError.resourceNotFound() }
            return Self.raw(doc, "application/json")
        case .openAPIV3Root: return Self.raw(documents.openAPIRoot, "application/json")
        case .openAPIV3(let gv):
            guard let doc = documents.openAPI(gv) else { throw APIError.resourceNotFound() }
            return Self.raw(doc, "application/json")
        case .openAPIV2:
            if OpenAPIV2.wantsProtobuf(accept) { return Self.raw(documents.openAPIV2Protobuf, OpenAPIV2.protobufContentType) }
            return Self.raw(documents.openAPIV2JSON, "application/json")
        case .customResourceDefinitions:
            return Self.json(CustomResourceDefinitions.list(resourceVersion: api.currentRevision))
        case .unknown, .resource:
            throw APIError.resourceNotFound()
        }
    }

    static func wantsAggregated(_ accept: String) -> Bool {
        AcceptHeader.mentions(accept, "g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        let bytes = StatusEncoding.isStatus(value) ? StatusEncoding.serialize(value) : JSONSerializer.serialize(value)
        return raw(bytes, "application/json", status: status, headers: headers)
    }

    static func raw(_ bytes: [UInt8], _ contentType: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var h = headers
        h[.contentType] = contentType
        h[.contentLength] = String(bytes.count)
        return Response(status: status, headers: h, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func status(_ e: APIError) -> Response {
        json(e.status, status: HTTPResponse.Status(code: e.code))
    }
}

/// Hummingbird's request context, plus the connection, which exec, attach and port-forward
/// take over once upgraded.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// Discovery and OpenAPI documents serialized once at start-up (they never change at run time,
/// but for the address `/api` advertises, known once the listener is bound).
final class StaticDocuments: Sendable {
    let apiVersions: Mutex<[UInt8]>
    let groupList: [UInt8]
    let aggregatedCore: [UInt8]
    let aggregatedGroups: [UInt8]
    let resourceLists: [String: [UInt8]]
    let openAPIRoot: [UInt8]
    private let openAPIDocs: [String: [UInt8]]
    /// The v2 document of the built-in kinds in both encodings: built on first use, once per
    /// process, since only kubectl 1.27/1.28 and validating clients ask for it.
    private static let builtinOpenAPIV2 = openAPIV2(.builtin, .shared)
    /// A server with kinds of its own builds its v2 document at start-up instead.
    private let customOpenAPIV2: (json: [UInt8], protobuf: [UInt8])?
    var openAPIV2JSON: [UInt8] { (customOpenAPIV2 ?? Self.builtinOpenAPIV2).json }
    var openAPIV2Protobuf: [UInt8] { (customOpenAPIV2 ?? Self.builtinOpenAPIV2).protobuf }

    private static func openAPIV2(_ catalog: ResourceCatalog, _ schemas: SchemaRegistry) -> (json: [UInt8], protobuf: [UInt8]) {
        let swagger = OpenAPIV2.document(catalog, schemas)
        return (JSONSerializer.serialize(swagger), OpenAPIV2.protobuf(swagger))
    }

    /// The address `/api` gives clients (`serverAddressByClientCIDRs`): the bound one, with `--port 0`.
    func advertise(serverAddress: String) {
        let document = JSONSerializer.serialize(Discovery.apiVersions(serverAddress: serverAddress))
        apiVersions.withLock { $0 = document }
    }

    init(serverAddress: String, catalog: ResourceCatalog, schemas: SchemaRegistry, builtin: Bool) {
        apiVersions = Mutex(JSONSerializer.serialize(Discovery.apiVersions(serverAddress: serverAddress)))
        groupList = JSONSerializer.serialize(Discovery.apiGroupList(catalog))
        aggregatedCore = JSONSerializer.serialize(Discovery.aggregated(core: true, catalog))
        aggregatedGroups = JSONSerializer.serialize(Discovery.aggregated(core: false, catalog))
        var lists: [String: [UInt8]] = [:]
        var docs: [String: [UInt8]] = [:]
        for (g, versions) in catalog.groupVersions {
            for v in versions {
                if let doc = Discovery.resourceList(group: g, version: v, in: catalog) { lists["\(g)/\(v)"] = JSONSerializer.serialize(doc) }
                let gvPath = g.isEmpty ? "api/\(v)" : "apis/\(g)/\(v)"
                if let doc = OpenAPI.document(gvPath, catalog, schemas) { docs[gvPath] = JSONSerializer.serialize(doc) }
            }
        }
        resourceLists = lists
        openAPIDocs = docs
        openAPIRoot = JSONSerializer.serialize(OpenAPI.root(catalog))
        customOpenAPIV2 = builtin ? nil : Self.openAPIV2(catalog, schemas)
    }

    func openAPI(_ gv: String) -> [UInt8]? { openAPIDocs[gv] }
}
