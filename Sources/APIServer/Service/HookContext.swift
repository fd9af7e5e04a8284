import KubeModel
import Synchronization

/// What the server offers a kind's hooks during one request: its allocators, recording what
/// the request takes so that a dry run or a failed write gives it back (as the service
/// storage's BeginCreate returns a finish function that releases on failure), and reads of
/// other stored objects.
final class HookContext: KindHookContext {
    private let api: APIService
    private let taken = Mutex<[(allocator: any RangeAllocator, value: String)]>([])

    init(_ api: APIService) { self.api = api }

    func allocator(_ name: String) -> (any RangeAllocator)? {
        api.allocators[name].map { Recording(base: $0, context: self) }
    }

    func serves(group: String, plural: String) -> Bool { resource(group, plural) != nil }

    func object(group: String, plural: String, namespace: String, name: String) -> JSONValue? {
        guard let info = resource(group, plural) else { return nil }
        return api.store.get(api.key(info, namespace, name))?.value
    }

    private func resource(_ group: String, _ plural: String) -> ResourceInfo? {
        api.catalog.all.first { $0.group == group && $0.plural == plural && $0.definition.isStored }
    }

    /// Gives back everything taken through this context.
    func releaseTaken() {
        let values = taken.withLock { t in
            defer { t = [] }
            return t
        }
        for (allocator, value) in values { allocator.release(value) }
    }

    /// An allocator whose successful reservations and allocations the context remembers.
    private struct Recording: RangeAllocator {
        let base: any RangeAllocator
        let context: HookContext
        var first: String { base.first }
        func contains(_ value: String) -> Bool { base.contains(value) }
        func release(_ value: String) { base.release(value) }

        func reserve(_ value: String) -> Bool {
            guard base.reserve(value) else { return false }
            context.taken.withLock { $0.append((base, value)) }
            return true
        }

        func allocate() -> String? {
            guard let value = base.allocate() else { return nil }
            context.taken.withLock { $0.append((base, value)) }
            return value
        }
    }
}

extension KindHookError {
    /// The refusal as kube-apiserver's registry answers it for this object.
    func apiError(_ info: ResourceInfo, _ name: String) -> APIError {
        switch self {
        case .invalid(let errors): return APIError.invalid(info, name, errors)
        case .forbidden(let message): return APIError.forbidden(message, info, name)
        case .internalError(let message): return APIError.internalError(message)
        }
    }
}
