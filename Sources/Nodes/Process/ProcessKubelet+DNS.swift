import Foundation
import KubeModel

extension ProcessKubelet {
    /// Writes the pod's resolv.conf (once) where it has a network namespace of its own and the
    /// node a cluster DNS address; nil: the pod keeps the host's file, as in loopback mode.
    func writeResolvConf(_ pod: JSONValue, _ record: PodRecord) throws -> String? {
        if let existing = record.resolvConfFile { return existing }
        guard record.netnsPath != nil, let dns = network.clusterDNS else { return nil }
        let host = ResolvConf.parse((try? String(contentsOfFile: "/etc/resolv.conf", encoding: .utf8)) ?? "")
        guard let conf = ResolvConf.forPod(pod, clusterDNS: dns, host: host) else { return nil }
        let path = podDir(pod.uid) + "/resolv.conf"
        try FileManager.default.createDirectory(atPath: podDir(pod.uid), withIntermediateDirectories: true)
        try conf.text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
