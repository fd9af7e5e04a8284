import Foundation
import KubeModel

/// A pod's `/etc/resolv.conf` as the kubelet's DNS configurer (`pkg/kubelet/network/dns`) makes
/// it and the runtime writes it: `ClusterFirst` (the default) asks the cluster DNS first and
/// searches the pod's namespace, `svc` and the cluster domain before the host's domains, with
/// `ndots:5`; `Default` is the host's file; `None` only what `dnsConfig` says, which the other
/// policies take in too.
struct ResolvConf: Equatable {
    var nameservers: [String] = []
    var searches: [String] = []
    var options: [String] = []

    static let clusterDomain = "cluster.local"

    /// nil: the pod keeps the host's file (`Default`, or host network under `ClusterFirst`).
    static func forPod(_ pod: JSONValue, clusterDNS: String, host: ResolvConf) -> ResolvConf? {
        let spec = Pod(pod).spec
        var conf: ResolvConf
        switch spec.dnsPolicy {
        case "None":
            conf = ResolvConf()
        case "Default":
            guard spec.json["dnsConfig"] != nil else { return nil }
            conf = host
        case "ClusterFirst" where spec.hostNetwork:
            guard spec.json["dnsConfig"] != nil else { return nil }
            conf = host
        default:
            let ns = pod.metaNamespace
            conf = ResolvConf(nameservers: [clusterDNS],
                              searches: ["\(ns).svc.\(clusterDomain)", "svc.\(clusterDomain)", clusterDomain] + host.searches,
                              options: ["ndots:5"])
        }
        // `dnsConfig` adds nameservers and searches and overrides options by name.
        let config = spec.json["dnsConfig"] ?? .emptyObject
        conf.nameservers += (config["nameservers"]?.arrayValue ?? []).compactMap(\.stringValue)
        conf.searches += (config["searches"]?.arrayValue ?? []).compactMap(\.stringValue)
        for o in config["options"]?.arrayValue ?? [] {
            guard let name = o["name"]?.stringValue else { continue }
            conf.options.removeAll { $0 == name || $0.hasPrefix(name + ":") }
            conf.options.append(o["value"]?.stringValue.map { "\(name):\($0)" } ?? name)
        }
        // glibc reads 3 nameservers and 32 search domains at most, as the kubelet trims them.
        conf.nameservers = Array(conf.nameservers.prefix(3))
        var seen = Set<String>()
        conf.searches = Array(conf.searches.filter { seen.insert($0).inserted }.prefix(32))
        return conf
    }

    /// The host's file, read as the kubelet reads `--resolv-conf`.
    static func parse(_ text: String) -> ResolvConf {
        var conf = ResolvConf()
        for line in text.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let key = fields.first, !key.hasPrefix("#"), !key.hasPrefix(";") else { continue }
            switch key {
            case "nameserver": conf.nameservers += fields.dropFirst().prefix(1)
            case "search", "domain": conf.searches = Array(fields.dropFirst())
            case "options": conf.options += fields.dropFirst()
            default: continue
            }
        }
        return conf
    }

    /// The file as containerd writes it.
    var text: String {
        var lines: [String] = []
        if !searches.isEmpty { lines.append("search " + searches.joined(separator: " ")) }
        lines += nameservers.map { "nameserver " + $0 }
        if !options.isEmpty { lines.append("options " + options.joined(separator: " ")) }
        return lines.joined(separator: "\n") + "\n"
    }
}
