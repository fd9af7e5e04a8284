import Foundation

/// Scale to zero, in the manner of Knative's: a Deployment annotated
/// `kplane.dev/scale-to-zero-after: 60s` goes to zero replicas once no request has reached it
/// through a Service or an Ingress for that long, and the next request is held by the proxy
/// while the Deployment is scaled back to one and its pod turns Ready (the proxies' activator).
/// The proxies write when they last passed it a request into `kplane.dev/last-request-time`,
/// which the scale-to-zero controller reads.
public enum ScaleToZero {
    public static let afterAnnotation = "kplane.dev/scale-to-zero-after"
    public static let lastRequestAnnotation = "kplane.dev/last-request-time"

    /// The idle period a Deployment opted in with; nil when it did not (or wrote no duration).
    public static func idlePeriod(of deployment: JSONValue) -> TimeInterval? {
        guard let text = deployment.metadata.annotations[afterAnnotation], let s = GoDuration.seconds(text), s > 0 else { return nil }
        return s
    }

    /// When the proxies last passed the Deployment a request, as they reported it.
    public static func lastRequest(of deployment: JSONValue) -> Date? {
        deployment.metadata.annotations[lastRequestAnnotation].flatMap(Timestamp.parse)
    }

    /// What is wrong with the annotation, refused when written as the usage rule is.
    static func problems(in annotations: [String: JSONValue]) -> [FieldError] {
        guard let v = annotations[afterAnnotation] else { return [] }
        guard let s = GoDuration.seconds(v.stringValue ?? ""), s > 0 else {
            return [.invalid("metadata.annotations[\(afterAnnotation)]", v, "must be a duration greater than 0, such as 90s or 5m")]
        }
        return []
    }
}
