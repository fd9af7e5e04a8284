import AsyncHTTPClient
import Foundation
import KubeModel
import NIOCore
import NIOPosix

/// How the activator finds out that a pod woken from zero can take the held request, as
/// Knative's activator probes a new revision's pods itself: the container's readiness probe
/// action (an HTTP GET, or a TCP connect; none: a TCP connect to the port), tried every few
/// milliseconds from the moment the pod has an address, without the probe's
/// `initialDelaySeconds` and `periodSeconds` (the kubelet keeps those for the pod's Ready
/// condition). An `exec` probe cannot be run from here: such a pod is waited for until Ready.
enum ColdStartProbe {
    /// A probe that takes longer counts as failed; the next try comes right after.
    static let timeout: TimeAmount = .milliseconds(250)

    /// The endpoint (`podIP:port`) the Service's `targetPort` names in `pod`, if it can be
    /// probed from here and answers now.
    static func ready(_ pod: JSONValue, targetPort: IntOrString?) async -> ServiceEndpoint? {
        let p = Pod(pod)
        guard p.status.phase == "Running", !p.metadata.isDeleting, let ip = p.status.podIP, !ip.isEmpty else { return nil }
        let containers = p.spec.containers
        guard let port = resolve(targetPort, in: containers) else { return nil }
        let owner = containers.first { $0.ports.contains { $0.containerPort == Int64(port) } } ?? containers.first
        let probe = owner?.readinessProbe
        if probe?.execCommand != nil { return nil }
        let answered: Bool
        if let http = probe?.httpGet {
            guard let probePort = resolve(http.port, in: containers) else { return nil }
            let path = http.path.hasPrefix("/") ? http.path : "/" + http.path
            answered = await get("\(http.scheme.lowercased())://\(ip):\(probePort)\(path)", headers: http.httpHeaders)
        } else if let tcp = probe?.tcpSocket {
            guard let probePort = resolve(tcp.port, in: containers) else { return nil }
            answered = await connects(ip, probePort)
        } else {
            answered = await connects(ip, port)
        }
        return answered ? ServiceEndpoint(ip: ip, port: port) : nil
    }

    /// A port by number, or by the name of a container port.
    static func resolve(_ port: IntOrString?, in containers: [Container]) -> Int? {
        switch port {
        case .int(let n)?: return n > 0 && n < 65536 ? Int(n) : nil
        case .string(let name)?:
            return containers.lazy.flatMap(\.ports).first { $0.name == name }.map { Int($0.containerPort) }
        case nil: return nil
        }
    }

    /// Whether a GET answers 200–399, as the kubelet's HTTP probe counts success.
    static func get(_ url: String, headers: [(name: String, value: String)]) async -> Bool {
        var request = HTTPClientRequest(url: url)
        for h in headers { request.headers.add(name: h.name, value: h.value) }
        guard let response = try? await HTTPClient.shared.execute(request, timeout: timeout) else { return false }
        _ = try? await response.body.collect(upTo: 64 << 10)
        return (200..<400).contains(Int(response.status.code))
    }

    static func connects(_ ip: String, _ port: Int) async -> Bool {
        guard let channel = try? await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(timeout).connect(host: ip, port: port).get() else { return false }
        try? await channel.close()
        return true
    }
}
