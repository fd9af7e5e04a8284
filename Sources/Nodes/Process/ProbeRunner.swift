import AsyncHTTPClient
import Foundation
import KubeModel
import NIOCore
import NIOPosix
import NIOSSL

/// One probe's outcome, with the kubelet's failure message.
struct ProbeResult: Sendable, Equatable {
    let success: Bool
    let message: String
}

/// Runs probes and lifecycle handlers as the kubelet's prober does (`pkg/probe/{http,tcp,exec}`):
/// HTTP succeeds on 200-399, TCP on a connection, exec on exit 0; each within `timeoutSeconds`.
struct ProbeRunner: Sendable {
    /// Probes never reuse connections (the kubelet disables keep-alive) and follow no redirect
    /// to another host.
    static let http: HTTPClient = {
        var config = HTTPClient.Configuration()
        config.redirectConfiguration = .follow(max: 10, allowCycles: false)
        config.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        config.connectionPool.idleTimeout = .milliseconds(1)
        // pkg/probe/http: `InsecureSkipVerify: true`, since a pod's certificate names no address
        // the kubelet dials.
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        config.tlsConfiguration = tls
        return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: config)
    }()

    let kubeletVersion: String

    func run(_ probe: Probe, podIP: String, container: Container, exec: (@Sendable ([String], TimeInterval) async -> ProbeResult)?) async -> ProbeResult {
        // An int32 in Kubernetes' API; bounded so the milliseconds below cannot overflow.
        let timeout = TimeInterval(min(max(1, probe.timeoutSeconds ?? 1), Int64(Int32.max)))
        if let get = probe.httpGet {
            guard let port = Self.port(get.port, container) else { return ProbeResult(success: false, message: "invalid port") }
            let host = get.host.isEmpty ? podIP : get.host
            return await httpGet(scheme: get.scheme.lowercased(), host: host, port: port, path: get.path, headers: get.httpHeaders, timeout: timeout)
        }
        if let tcp = probe.tcpSocket {
            guard let port = Self.port(tcp.port, container) else { return ProbeResult(success: false, message: "invalid port") }
            return await tcpConnect(host: tcp.host.isEmpty ? podIP : tcp.host, port: port, timeout: timeout)
        }
        if let command = probe.execCommand, let exec {
            return await exec(command, timeout)
        }
        return ProbeResult(success: false, message: "unsupported probe handler")
    }

    /// A port by number, or by the name of one of the container's ports.
    static func port(_ p: IntOrString?, _ container: Container) -> Int? {
        switch p {
        case .int(let n): return Int(n)
        case .string(let name): return container.ports.first { $0.name == name }.map { Int($0.containerPort) } ?? Int(name)
        case nil: return nil
        }
    }

    func httpGet(scheme: String, host: String, port: Int, path: String, headers: [(name: String, value: String)], timeout: TimeInterval) async -> ProbeResult {
        let hostPort = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        let url = "\(scheme)://\(hostPort)\(path.hasPrefix("/") ? path : "/" + path)"
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "User-Agent", value: "kube-probe/\(kubeletVersion)")
        request.headers.add(name: "Accept", value: "*/*")
        request.headers.add(name: "Connection", value: "close")
        for h in headers { request.headers.replaceOrAdd(name: h.name, value: h.value) }
        do {
            let response = try await Self.http.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
            // Read (a little of) the body so the connection finishes cleanly.
            _ = try? await response.body.collect(upTo: 10 * 1024)
            let code = Int(response.status.code)
            if (200..<400).contains(code) { return ProbeResult(success: true, message: "") }
            return ProbeResult(success: false, message: "HTTP probe failed with statuscode: \(code)")
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return ProbeResult(success: false, message: "Get \"\(url)\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)")
        } catch {
            return ProbeResult(success: false, message: "Get \"\(url)\": dial tcp \(hostPort): \(Self.dialError(error))")
        }
    }

    func tcpConnect(host: String, port: Int, timeout: TimeInterval) async -> ProbeResult {
        let hostPort = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.milliseconds(Int64(timeout * 1000)))
                .connect(host: host, port: port).get()
            try? await channel.close()
            return ProbeResult(success: true, message: "")
        } catch {
            return ProbeResult(success: false, message: "dial tcp \(hostPort): \(Self.dialError(error))")
        }
    }

    /// Go's wording of a failed dial.
    static func dialError(_ error: any Error) -> String {
        let text = "\(error)"
        if text.contains("refused") { return "connect: connection refused" }
        if text.contains("imeout") || text.contains("imedOut") { return "i/o timeout" }
        if text.contains("unreachable") { return "connect: no route to host" }
        return "connect: \(text)"
    }
}
