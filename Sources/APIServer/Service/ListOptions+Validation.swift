import KubeModel

extension ListOptions {
    /// apimachinery's ValidateListOptions: how `resourceVersionMatch` and `sendInitialEvents`
    /// may be combined in a list or a watch. Failures are a 422 on kind ListOptions.meta.k8s.io.
    func validate(watch: Bool) throws(APIError) {
        var errs: [FieldError] = []
        if watch {
            validateWatch(&errs)
            if !errs.isEmpty { throw APIError.invalid(kind: "ListOptions", group: "meta.k8s.io", name: "", errs) }
            return
        }
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

extension ListOptions {
    /// validateWatchOptions, with the WatchList feature on (kplane serves sendInitialEvents).
    private func validateWatch(_ errs: inout [FieldError]) {
        let match = resourceVersionMatch
        if sendInitialEvents != nil && match != "NotOlderThan" {
            errs.append(.forbidden("resourceVersionMatch", "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"))
        }
        guard !match.isEmpty else { return }
        if sendInitialEvents == nil {
            errs.append(.forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"))
        }
        if match != "NotOlderThan" {
            errs.append(.notSupported("resourceVersionMatch", .string(match), ["NotOlderThan"]))
        }
        if !continueToken.isEmpty {
            errs.append(.forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"))
        }
    }
}
