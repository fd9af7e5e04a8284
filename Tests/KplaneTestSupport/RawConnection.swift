import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One TCP connection to a loopback port over plain sockets, for what no HTTP client library
/// does: put malformed request lines, bad chunking or cut bodies on the wire, read part of a
/// response, then reset the connection.
public final class RawConnection: Sendable {
    public let fd: Int32

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    public init(port: Int) throws {
        #if os(Linux)
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        fd = socket(AF_INET, SOCK_STREAM, 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            close(fd)
            throw Failure(description: "connect: errno \(errno)")
        }
    }

    deinit { close(fd) }

    /// `count` connections, opened on a thread of their own: connect(2) blocks once the server's
    /// accept queue is full, and a server in the test process accepts on the same few
    /// cooperative threads a blocking connect would hold, so the two could wait on each other.
    public static func open(port: Int, count: Int) async throws -> [RawConnection] {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try (0..<count).map { _ in try RawConnection(port: port) } })
            }
        }
    }

    /// One connection, opened on a thread of its own (see `open(port:count:)`).
    public static func open(port: Int) async throws -> RawConnection {
        try await open(port: port, count: 1)[0]
    }

    /// Sends all of `bytes`; false once the server has closed the connection.
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        #if os(Linux)
        let flags = Int32(MSG_NOSIGNAL)
        #else
        let flags: Int32 = 0
        #endif
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { sendBytes(fd, $0.baseAddress, $0.count, flags) }
            if n <= 0 { return false }
            sent += n
        }
        return true
    }

    @discardableResult
    public func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Ends the request stream, as a client that has nothing more to send does.
    public func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    /// Everything the server sends until it closes the connection; `closed` is false when
    /// `timeout` passed first.
    public func readUntilClosed(timeout: TimeInterval) -> (bytes: [UInt8], closed: Bool) {
        var out: [UInt8] = []
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { return (out, false) }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&p, 1, Int32(left * 1000) + 1)
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 { return (out, false) }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return (out, true) }
            out += buffer[0..<n]
        }
    }

    /// Whether the server has closed the connection within `timeout` (data it sends is ignored).
    public func isClosed(within timeout: TimeInterval) -> Bool { readUntilClosed(timeout: timeout).closed }

    /// Reads until `atMost` bytes arrived, the peer closed, or `timeout` seconds passed.
    public func receive(atMost: Int, timeout: Double) -> [UInt8] {
        setReceiveTimeout(timeout)
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        let end = Date().addingTimeInterval(timeout)
        while out.count < atMost && Date() < end {
            let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, min($0.count, atMost - out.count), 0) }
            if n <= 0 { break }
            out += buf[..<n]
        }
        return out
    }

    /// Whatever arrives first (up to 64 KiB), or nothing after `timeout` seconds.
    public func receiveSome(timeout: Double) -> [UInt8] {
        setReceiveTimeout(timeout)
        var buf = [UInt8](repeating: 0, count: 65536)
        let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return n > 0 ? Array(buf[..<n]) : []
    }

    private func setReceiveTimeout(_ timeout: Double) {
        var tv = timeval(tv_sec: Int(timeout), tv_usec: .init((timeout - Double(Int(timeout))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    /// One HTTP/1.1 request on this (keep-alive) connection; nil when the connection fails or
    /// no whole response arrives within `timeout` seconds.
    public func roundTrip(_ method: String, _ path: String, body: String? = nil, timeout: Double = 30) -> (status: Int, body: String)? {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: x\r\n"
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n" }
        send(head + "\r\n" + (body ?? ""))
        var data: [UInt8] = []
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            data += receiveSome(timeout: max(0.01, end.timeIntervalSinceNow))
            let text = String(decoding: data, as: UTF8.self)
            guard let split = text.range(of: "\r\n\r\n") else { continue }
            let headers = text[..<split.lowerBound]
            let status = Int(headers.split(separator: " ").dropFirst().first ?? "") ?? 0
            let length = headers.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
            let bodyText = String(text[split.upperBound...])
            if bodyText.utf8.count >= length { return (status, bodyText) }
        }
        return nil
    }

    /// Makes the close a TCP reset (SO_LINGER 0), as a killed client's kernel does.
    public func reset() {
        var l = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
    }
}

/// The C `send`, which the method of the same name hides.
private func sendBytes(_ fd: Int32, _ buf: UnsafeRawPointer?, _ count: Int, _ flags: Int32) -> Int {
    #if os(Linux)
    Glibc.send(fd, buf, count, flags)
    #else
    Darwin.send(fd, buf, count, flags)
    #endif
}

/// An HTTP/1.1 response as read off the wire.
public struct RawResponse {
    public let status: Int
    public let headers: [String: String]
    public let body: [UInt8]

    public var text: String { String(decoding: body.prefix(300), as: UTF8.self) }
    public var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }

    /// Whether the body is a `kind: Status` carrying this response's code.
    public var isStatus: Bool {
        guard let j = json else { return false }
        return j["kind"] as? String == "Status" && j["apiVersion"] as? String == "v1" && j["code"] as? Int == status
    }

    /// Every response in `bytes`, in order (a body runs for its Content-Length, or to the end).
    public static func all(_ bytes: [UInt8]) -> [RawResponse] {
        var out: [RawResponse] = []
        var rest = bytes[...]
        while let (r, used) = parse(rest) {
            out.append(r)
            rest = rest.dropFirst(used)
        }
        return out
    }

    private static func parse(_ bytes: ArraySlice<UInt8>) -> (RawResponse, Int)? {
        let crlf2: [UInt8] = [13, 10, 13, 10]
        guard let end = bytes.indices.first(where: { bytes[$0...].starts(with: crlf2) }) else { return nil }
        let head = String(decoding: bytes[bytes.startIndex..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusLine = head[0].split(separator: " ")
        guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/1."), let code = Int(statusLine[1]) else { return nil }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let rest = bytes[(end + 4)...]
        var length = rest.count
        if let declared = headers["content-length"].flatMap({ Int($0) }) {
            guard rest.count >= declared else { return nil }
            length = declared
        }
        let response = RawResponse(status: code, headers: headers, body: Array(rest.prefix(length)))
        return (response, end + 4 - bytes.startIndex + length)
    }
}
