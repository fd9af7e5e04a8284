import Foundation
import KubeModel

/// Typed verbs: any Codable model (a Deployment view, a ConfigMap struct) in and out, decoded
/// from the same JSON the untyped verbs return. Fields the model lacks are kept by the server.
/// Writes take `object:` so a dictionary literal never picks the typed overload by accident.
extension APIClient {
    public func get<T: Decodable>(_ type: T.Type, _ r: APIResource, namespace: String?, name: String) async throws -> T {
        try Self.decode(type, try await get(r, namespace: namespace, name: name))
    }

    public func list<T: Decodable>(_ type: T.Type, _ r: APIResource, namespace: String?, labelSelector: String? = nil) async throws -> [T] {
        let list = try await list(r, namespace: namespace, labelSelector: labelSelector)
        return try (list["items"]?.arrayValue ?? []).map { try Self.decode(type, $0) }
    }

    public func create<T: Codable>(_ r: APIResource, namespace: String?, object: T) async throws -> T {
        try Self.decode(T.self, try await create(r, namespace: namespace, try Self.encode(object)))
    }

    public func update<T: Codable>(_ r: APIResource, namespace: String?, object: T) async throws -> T {
        try Self.decode(T.self, try await update(r, namespace: namespace, try Self.encode(object)))
    }

    static func decode<T: Decodable>(_ type: T.Type, _ value: JSONValue) throws -> T {
        try JSONDecoder().decode(type, from: Data(JSONSerializer.serialize(value)))
    }

    static func encode<T: Encodable>(_ object: T) throws -> JSONValue {
        try JSONParser.parse(Array(JSONEncoder().encode(object)))
    }
}
