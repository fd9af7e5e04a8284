import KubeModel

extension ListOptions {
    /// apimachinery's ValidateListOptions for a list: how `resourceVersionMatch` and
    /// `sendInitialEvents` may be combined. Failures are a 422 on kind ListOptions.meta.k8s.io.
    /// (The watch rules belong to the watch path.)
    func validate(watch: Bool) throws(APIError) {
        guard !watch else { return }
        var errs: [FieldError] = []
        let match = resourceVersionMatch
        if !match.isEmpty {
            if resourceVersion.isEmpty {
                errs.append(.forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden unless resourceVersion is provided"))
            }
            if !continueToken.isEmpty {
                errs.append(.forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"))
            }
            if match != "Exact" && match != "NotOlderThan" {
                errs.append(.notSupported("resourceVersionMatch", .string(match), ["Exact", "NotOlderThan", ""]))
            }
            if match == "Exact" && resourceVersion == "0" {
                errs.append(.forbidden("resourceVersionMatch", "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""))
            }
        }
        if sendInitialEvents != nil {
            errs.append(.forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"))
        }
        if !errs.isEmpty { throw APIError.invalid(kind: "ListOptions", group: "meta.k8s.io", name: "", errs) }
    }
}

extension APIService {
    /// A list at an exact revision needs that revision's state: once compaction has given it up,
    /// the answer is 410 Expired, as etcd's ErrCompacted becomes in kube-apiserver.
    func checkListRevision(_ options: ListOptions) throws(APIError) {
        guard options.resourceVersionMatch == "Exact", let rv = Int64(options.resourceVersion) else { return }
        if rv < store.compactedRV { throw APIError.expired("The resourceVersion for the provided list is too old.") }
    }
}
