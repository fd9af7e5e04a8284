import Foundation
import KubeModel

extension APIService {
    public func create(_ info: ResourceInfo, namespace: String?, body: JSONValue, options: WriteOptions = .init()) async throws -> WriteResult {
        try validateOwnershipOptions(options, kind: "CreateOptions")
        return try await create(info, namespace: namespace, body: body, options: options, ownership: .update(manager: Self.manager(options)))
    }

    func create(_ info: ResourceInfo, namespace: String?, body: JSONValue, options: WriteOptions, ownership: Ownership) async throws -> WriteResult {
        // Like kube-apiserver (1.30+), a generated name that collides is retried with a new suffix.
        let generated = (body[path: ["metadata", "name"]]?.stringValue ?? "").isEmpty && body[path: ["metadata", "generateName"]] != nil
        for _ in 0..<(generated ? 7 : 0) {
            do {
                return try await createOnce(info, namespace: namespace, body: body, options: options, ownership: ownership)
            } catch let e as APIError where e.reason == "AlreadyExists" {
                continue
            }
        }
        return try await createOnce(info, namespace: namespace, body: body, options: options, ownership: ownership)
    }

    private func createOnce(_ info: ResourceInfo, namespace: String?, body: JSONValue, options: WriteOptions, ownership: Ownership) async throws -> WriteResult {
        var body = body.droppingNulls()
        try checkTypeMeta(&body, info)
        let ns = info.namespaced ? (namespace ?? "") : ""
        if info.namespaced {
            if let bodyNS = body[path: ["metadata", "namespace"]]?.stringValue, !bodyNS.isEmpty, bodyNS != ns {
                throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
            }
            body.set(["metadata", "namespace"], .string(ns))
        } else {
            body.set(["metadata", "namespace"], nil)
        }
        if (body[path: ["metadata", "name"]]?.stringValue ?? "").isEmpty, let prefix = body[path: ["metadata", "generateName"]]?.stringValue, !prefix.isEmpty {
            body.set(["metadata", "name"], .string(prefix + Self.randomSuffix()))
        }
        if Self.resetsStatus(info) { body["status"] = nil }
        var admitted = try admit(body, info: info, old: nil, options: options)
        var obj = admitted.object
        recordOwnership(&obj, current: nil, ownership, info, .none)
        let name = obj[path: ["metadata", "name"]]?.stringValue ?? ""
        if info.namespaced {
            guard let nsObj = store.get(ObjectKey(resource: "namespaces", namespace: "", name: ns)) else {
                throw APIError.namespaceNotFound(ns)
            }
            if nsObj.value[path: ["metadata", "deletionTimestamp"]] != nil {
                throw APIError.forbidden("\(info.kind.lowercased())s \"\(name)\" is forbidden: unable to create new content in namespace \(ns) because it is being terminated", info, name)
            }
        }
        let context = HookContext(self)
        if let prepare = info.definition.hooks.prepareForCreate {
            do {
                try await prepare(&obj, context)
            } catch let e as KindHookError {
                context.releaseTaken()
                throw e.apiError(info, name)
            } catch {
                context.releaseTaken()
                throw error
            }
        }
        obj.set(["metadata", "uid"], .string(FastRandom.uuid()))
        obj.set(["metadata", "creationTimestamp"], timestamp())
        obj.set(["metadata", "resourceVersion"], nil)
        obj.set(["metadata", "deletionTimestamp"], nil)
        obj.set(["metadata", "selfLink"], nil)
        if Self.hasGeneration(info) { obj.set(["metadata", "generation"], 1) } else { obj.set(["metadata", "generation"], nil) }
        if options.dryRun {
            context.releaseTaken()
            return WriteResult(object: Conversion.toVersion(obj, info), warnings: admitted.warnings, created: true)
        }
        let k = key(info, ns, name)
        var bytes: [UInt8]?
        do {
            switch try await store.create(k, obj) {
            case .created(let event):
                obj = event.object
                if Conversion.isIdentity(info) { bytes = event.bytes }
            case .alreadyExists:
                throw APIError.alreadyExists(info, name)
            }
        } catch {
            context.releaseTaken()
            throw error
        }
        admitted.object = obj
        return WriteResult(object: Conversion.toVersion(obj, info), warnings: admitted.warnings, created: true, bytes: bytes)
    }

    static func randomSuffix() -> String {
        // The alphabet of apimachinery's rand.String: no vowels, no confusable characters.
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789".utf8)
        var r = FastRandom.next()
        var out: [UInt8] = []
        for _ in 0..<5 {
            out.append(alphabet[Int(r % UInt64(alphabet.count))])
            r /= UInt64(alphabet.count)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
