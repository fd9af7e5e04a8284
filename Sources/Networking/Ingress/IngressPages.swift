/// The answers ingress-nginx gives itself, byte for byte: nginx's error pages (with
/// `server_tokens off`, so no version), `text/html`.
public enum IngressPages {
    /// No rule and no default backend matched the request.
    public static let notFound = page(404, "Not Found")
    /// The backend Service has no ready endpoint (or does not exist).
    public static let serviceUnavailable = page(503, "Service Temporarily Unavailable")
    /// Every endpoint tried refused or dropped the connection.
    public static let badGateway = page(502, "Bad Gateway")
    /// An endpoint did not answer in time (proxy-read-timeout).
    public static let gatewayTimeout = page(504, "Gateway Time-out")
    /// The request body is over proxy-body-size (1m by default).
    public static let tooLarge = page(413, "Request Entity Too Large")
    /// Plain HTTP to a host with TLS (ssl-redirect).
    public static let permanentRedirect = page(308, "Permanent Redirect")
    /// A request nginx cannot parse.
    public static let badRequest = page(400, "Bad Request")

    public static let contentType = "text/html"

    /// One of nginx's own answers: the status line's code and reason, and the page.
    public struct Page: Sendable, Equatable {
        public let code: Int
        public let reason: String
        public var body: String {
            "<html>\r\n<head><title>\(code) \(reason)</title></head>\r\n<body>\r\n<center><h1>\(code) \(reason)</h1></center>\r\n"
                + "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
        }
    }

    /// ngx_http_special_response.c's page for `code`: its head and body, then the tail; the
    /// reason as nginx words it in the status line too.
    static func page(_ code: Int, _ reason: String) -> Page { Page(code: code, reason: reason) }
}
