import Foundation

/// Where a simulated pod answers.
///
/// Simulated pods get addresses in the pod range (`10.244.0.0/14`) that no interface has, so
/// nothing could connect to them. Instead of routing that range to this machine (root, and
/// thousands of node routes), each simulated pod's container port is answered on the loopback
/// address with the pod address's last three octets, `10.A.B.C` → `127.A.B.C` (the simulated
/// range is `127.244.0.0/14` then: clear of nodes' `127.0.x.x`, loopback pods' `127.1.x.x` and
/// the loopback Service range `127.96.0.0/16`); any process may bind a 127/8 address, and every
/// client on the host (the Service proxy, the Ingress) reaches it. The pod's status keeps its
/// real `10.x` address; only the place bytes go differs, which the endpoint tracker hides
/// (`EndpointTracker` resolves endpoints on nodes labelled `type: kplane-simulated`). A port
/// below 1024 that this process may not bind answers at the port plus 8000, as Services' do.
/// It lives here, beside the objects, because the API server's `services/proxy` and
/// `pods/proxy` dial simulated pods too.
public enum SimulatedPodAddress {
    /// Where a port below 1024 answers when this process may not bind it: the port plus this.
    public static let privilegedPortOffset = 8000

    /// The label value of simulated nodes (`type`).
    public static let nodeType = "kplane-simulated"

    /// The address and port where the simulated pod `ip`'s `port` answers; nil for an address
    /// that is not IPv4.
    public static func answering(ip: String, port: Int) -> (ip: String, port: Int)? {
        let octets = ip.split(separator: ".")
        guard octets.count == 4, octets.allSatisfy({ UInt8($0) != nil }) else { return nil }
        return ("127." + octets.dropFirst().joined(separator: "."), port < 1024 && !privileged ? port + privilegedPortOffset : port)
    }

    /// Whether this process may bind ports below 1024 (root, as far as kplane checks).
    public static let privileged: Bool = {
        #if os(Linux)
        geteuid() == 0
        #else
        false
        #endif
    }()
}
