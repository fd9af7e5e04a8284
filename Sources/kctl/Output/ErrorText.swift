import KubeClient
import KubeModel

/// kubectl's wording of failures.
enum ErrorText {
    static func describe(_ error: any Error) -> String {
        if let e = error as? APIStatusError { return server(e) }
        if let e = error as? KctlError { return e.message }
        if let e = error as? Kubeconfig.Failure { return e.message }
        return "\(error)"
    }

    /// `Error from server (NotFound): deployments.apps "x" not found`, or for 422 the
    /// `The Deployment "x" is invalid: ...` form.
    static func server(_ e: APIStatusError, action: String? = nil) -> String {
        if e.code == 0 { return e.message }
        if e.code == 422, let details = e.details, case let causes = details.causes, !causes.isEmpty {
            let qualified = details.group.isEmpty ? details.kind : "\(details.kind).\(details.group)"
            let lines = causes.map { $0.field.isEmpty ? $0.message : "\($0.field): \($0.message)" }
            if lines.count == 1 { return "The \(qualified) \"\(details.name)\" is invalid: \(lines[0])" }
            return "The \(qualified) \"\(details.name)\" is invalid: \n" + lines.map { "* " + $0 }.joined(separator: "\n")
        }
        let reason = e.reason.isEmpty ? "" : " (\(e.reason))"
        let message = action.map { "\($0): \(e.message)" } ?? e.message
        return "Error from server\(reason): \(message)"
    }
}

extension APIStatusError {
    /// The `details` of the server's Status, if it sent one.
    var details: StatusDetails? { status?["details"].map(StatusDetails.init) }
}

/// A client-side failure with kubectl's message.
struct KctlError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
