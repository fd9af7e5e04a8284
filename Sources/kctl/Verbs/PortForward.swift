import ArgumentParser
import Foundation
import KubeClient
import KubeModel

/// `kctl port-forward`: local ports forwarded to a pod's, over `pods/portforward` (SPDY in a
/// WebSocket, SPDY when that is refused), as kubectl's PortForwardOptions runs it. A Service's
/// ports become its pod's target ports; named ports are looked up.
struct PortForward: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "port-forward", abstract: "Forward one or more local ports to a pod.",
        usage: "kctl port-forward TYPE/NAME [options] [LOCAL_PORT:]REMOTE_PORT [...[LOCAL_PORT_N:]REMOTE_PORT_N]",
        discussion: """
            Use resource type/name such as deployment/mydeployment to select a pod. Resource type defaults to 'pod' if omitted.

            If there are multiple pods matching the criteria, a pod will be selected automatically. The forwarding session ends when the selected pod terminates, and a rerun of the command is needed to resume forwarding.

            Examples:
              # Listen on ports 5000 and 6000 locally, forwarding data to/from ports 5000 and 6000 in the pod
              kctl port-forward pod/mypod 5000 6000

              # Listen on ports 5000 and 6000 locally, forwarding data to/from ports 5000 and 6000 in a pod selected by the deployment
              kctl port-forward deployment/mydeployment 5000 6000

              # Listen on port 8443 locally, forwarding to the targetPort of the service's port named "https" in a pod selected by the service
              kctl port-forward service/myservice 8443:https

              # Listen on port 8888 locally, forwarding to 5000 in the pod
              kctl port-forward pod/mypod 8888:5000

              # Listen on port 8888 on all addresses, forwarding to 5000 in the pod
              kctl port-forward --address 0.0.0.0 pod/mypod 8888:5000

              # Listen on port 8888 on localhost and selected IP, forwarding to 5000 in the pod
              kctl port-forward --address localhost,10.19.21.23 pod/mypod 8888:5000

              # Listen on a random port locally, forwarding to 5000 in the pod
              kctl port-forward pod/mypod :5000
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "Addresses to listen on (comma separated). Only accepts IP addresses or localhost as a value. When localhost is supplied, kubectl will try to bind on both 127.0.0.1 and ::1 and will fail if neither of these addresses are available to bind.")
    var address: [String] = ["localhost"]
    @Option(name: .customLong("pod-running-timeout"), help: "The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running")
    var podRunningTimeout = "1m0s"
    @Argument(help: "TYPE/NAME, then [LOCAL_PORT:]REMOTE_PORT...") var args: [String] = []

    func run() async throws {
        try await Kctl.guarded {
            guard args.count >= 2 else {
                Terminal.err("error: TYPE/NAME and list of ports are required for port-forward")
                Terminal.err("See 'kctl port-forward -h' for help and examples")
                throw ExitCode(1)
            }
            let addresses = try PortForwarder.parseAddresses(address.flatMap { $0.split(separator: ",").map(String.init) })
            let timeout = try PodRunningTimeout.parse(podRunningTimeout)
            let session = try global.session()
            let found = try await AttachablePod.resolve(args[0], session, timeout: timeout)
            let words = Array(args.dropFirst())
            let translated = try found.owner.map { $0["kind"]?.stringValue == "Service" ? try ServicePorts.translate(words, service: $0, pod: found.pod) : words }
                ?? ServicePorts.namedToNumbers(words, pod: found.pod)
            let pod = Pod(found.pod)
            guard pod.status.phase == "Running" else {
                throw KctlError("unable to forward port because pod is not running. Current status=\(pod.status.phase ?? "")")
            }
            let ports = try PortForwarder.parsePorts(translated)
            let path = APIResource.pods.path(namespace: found.pod.metadata.namespace, name: found.pod.metadata.name, subresource: "portforward")
            let output = PortForwarder.Output(out: { Terminal.out($0) }, error: { Terminal.err(KLog.error($0, at: "portforward.go:424")) })
            // Ctrl-C ends the forwarding without an error, as kubectl's stop channel does.
            signal(SIGINT, SIG_IGN)
            let interrupt = DispatchSource.makeSignalSource(signal: SIGINT)
            interrupt.setEventHandler { Foundation.exit(0) }
            interrupt.resume()
            try await PortForwarder.run(session.rest, userAgent: UserAgent.kctl, path: path, ports: ports, addresses: addresses, output: output)
        }
    }
}

/// klog's text lines, as kubectl writes a handled runtime error:
/// `E1201 14:27:28.367840    4046 portforward.go:424] "Unhandled Error" err="…"`.
enum KLog {
    static func error(_ message: String, at location: String, now: Date = Date()) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone.current
        f.dateFormat = "MMdd HH:mm:ss.SSSSSS"
        let pid = String(getpid())
        return "E\(f.string(from: now)) \(String(repeating: " ", count: max(0, 7 - pid.count)))\(pid) \(location)] \"Unhandled Error\" err=\(goQuote(message))"
    }
}
