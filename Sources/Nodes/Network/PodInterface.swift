import CContainerShim
import Foundation

/// The pod's end of its veth, configured from inside its network namespace: `lo` up, `eth0`
/// up with the pod's address, a default route via the bridge (`kp_configure_pod_interface`).
enum PodInterface {
    struct Failure: Error, CustomStringConvertible {
        let step: Int32
        let errno: Int32

        var description: String {
            let what = switch step {
            case Int32(KP_IFACE_NETNS): "enter the network namespace"
            case Int32(KP_IFACE_LOOPBACK): "bring lo up"
            case Int32(KP_IFACE_ADDRESS): "set the address of \(PodNetworkNames.podInterface)"
            case Int32(KP_IFACE_UP): "bring \(PodNetworkNames.podInterface) up"
            default: "add the default route"
            }
            return "\(what): \(String(cString: strerror(errno)))"
        }
    }

    static func configure(netnsPath: String, address: String, prefixLength: Int, gateway: String) throws {
        let step = kp_configure_pod_interface(netnsPath, PodNetworkNames.podInterface, address, Int32(prefixLength), gateway)
        if step != 0 { throw Failure(step: step, errno: errno) }
    }
}
