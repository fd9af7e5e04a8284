import CContainerShim
import Foundation
import Synchronization

/// One `portforward.k8s.io` session over SPDY, as the kubelet's port-forward handler serves it:
/// kubectl opens, per local connection, an `error` and a `data` stream with the same
/// `requestid` and the pod's `port`; once both exist the kubelet dials localhost:port inside the
/// pod's network namespace and copies bytes both ways on the data stream. When the pod side
/// ends, the data stream is finished and an empty error stream says all went well; a failure
/// to connect is written on the error stream (kubectl: `an error occurred forwarding …`).
final class PortForwardSession: Sendable {
    let spdy: SPDYConnection
    let target: PortForwardTarget
    /// Open pod connections by data stream id.
    private let sockets = Mutex<[UInt32: PodSocket]>([:])

    init(transport: any StreamTransport, target: PortForwardTarget) throws {
        spdy = try SPDYConnection(transport: transport)
        self.target = target
    }

    /// A pair of streams kubectl opened for one local connection.
    private struct Pair {
        var error: UInt32?
        var data: UInt32?
        var port = 0
    }

    func run() async {
        var pairs: [String: Pair] = [:]
        await spdy.serve { event in
            switch event {
            case .opened(let id, let headers):
                let requestID = headers["requestid"]?.first ?? ""
                var pair = pairs[requestID] ?? Pair()
                pair.port = Int(headers["port"]?.first ?? "") ?? 0
                switch headers["streamtype"]?.first {
                case "error": pair.error = id
                case "data": pair.data = id
                default: return true
                }
                pairs[requestID] = pair
                if let error = pair.error, let data = pair.data {
                    pairs[requestID] = nil
                    await forward(port: pair.port, error: error, data: data)
                }
            case .data(let id, let fin, let payload):
                guard let socket = sockets.withLock({ $0[id] }) else { return true }
                if !payload.isEmpty, !(await socket.send(payload)) { socket.shutdown() }
                if fin { socket.finishWriting() }
            case .reset(let id):
                sockets.withLock { $0[id] }?.shutdown()
            }
            return true
        }
        for socket in sockets.withLock({ Array($0.values) }) { socket.shutdown() }
        spdy.transport.close()
    }

    /// Go's text for an errno: strerror's, lower-cased ("connection refused").
    static func goErrno(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        return text.prefix(1).lowercased() + text.dropFirst()
    }

    /// Dials the pod's port and starts copying the pod's bytes to the data stream.
    private func forward(port: Int, error: UInt32, data: UInt32) async {
        let target = self.target
        let fd = (try? await Blocking.run { kp_connect_in_netns(target.netnsPath, target.host, Int32(port)) }) ?? -EIO
        guard fd >= 0 else {
            let message = "error forwarding port \(port) to pod \(target.podUID), uid : failed to connect to localhost:\(port) inside namespace "
                + "\(ContainerLogStatus.quote(target.netnsPath ?? target.host)), IPv4: dial tcp4 \(target.host):\(port): connect: \(Self.goErrno(-fd))"
            try? await spdy.send(error, Array(message.utf8))
            try? await spdy.send(error, fin: true, [])
            try? await spdy.send(data, fin: true, [])
            return
        }
        let socket = PodSocket(fd: fd)
        sockets.withLock { $0[data] = socket }
        let spdy = self.spdy
        Task {
            await Blocking.run {
                var buffer = [UInt8](repeating: 0, count: 32 * 1024)
                while true {
                    let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                    if n < 0 && errno == EINTR { continue }
                    guard n > 0 else { break }
                    do { try spdy.sendBlocking(data, buffer[0..<n]) } catch { break }
                }
                // The pod side is done: the data stream ends, and an empty error stream means success.
                try? spdy.sendBlocking(data, fin: true, [])
                try? spdy.sendBlocking(error, fin: true, [])
            }
            sockets.withLock { $0[data] = nil }
            socket.close()
        }
    }
}

/// A TCP connection to a pod's port: blocking writes (MSG_NOSIGNAL, so a closed peer is an
/// error, not a signal); its reader closes it once done, others only shut it down.
final class PodSocket: Sendable {
    let fd: Int32
    private let closed = Atomic<Bool>(false)

    init(fd: Int32) { self.fd = fd }

    func send(_ bytes: [UInt8]) async -> Bool {
        let fd = self.fd
        return (try? await Blocking.run { () -> Bool in
            var offset = 0
            while offset < bytes.count {
                let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return false }
                offset += n
            }
            return true
        }) ?? false
    }

    func finishWriting() { if !closed.load(ordering: .acquiring) { Glibc.shutdown(fd, Int32(SHUT_WR)) } }

    func shutdown() { if !closed.load(ordering: .acquiring) { Glibc.shutdown(fd, Int32(SHUT_RDWR)) } }

    func close() {
        if closed.exchange(true, ordering: .acquiringAndReleasing) == false { Glibc.close(fd) }
    }
}
