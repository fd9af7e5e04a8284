import ArgumentParser
import Foundation
import KubeModel
import Networking

/// `kplane load`: HTTP load for the autoscaling lesson, e.g. the seed's CPU burner through the
/// Ingress: `kplane load http://127.0.0.1/burn?ms=200 --host myapp.example.com -c 4 -d 2m`.
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load", abstract: "Send HTTP GETs to a URL from several clients for a while, printing each second.")

    @Argument(help: "The URL to GET (http only).") var url: String
    @Option(help: "The Host header to send (an Ingress rule's host).") var host: String?
    @Option(name: [.short, .long], help: "Clients sending one request after another.") var concurrency = 4
    @Option(name: [.short, .long], help: "How long to send (Go duration: 90s, 2m).") var duration = "1m"

    func validate() throws {
        guard url.hasPrefix("http://") else { throw ValidationError("the URL must start with http://") }
        guard (1...1000).contains(concurrency) else { throw ValidationError("--concurrency must be between 1 and 1000") }
        guard let d = GoDuration.seconds(duration), d > 0 else { throw ValidationError("invalid duration \"\(duration)\" for --duration") }
    }

    func run() async throws {
        let seconds = GoDuration.seconds(duration) ?? 60
        let load = LoadGenerator(url: url, host: host, concurrency: concurrency, duration: seconds)
        let format = DateFormatter()
        format.dateFormat = "HH:mm:ss"
        let task = Task {
            await load.run { at, s in
                let codes = s.codes.sorted { $0.key < $1.key }.map { "\($0.key == 0 ? "error" : String($0.key))=\($0.value)" }.joined(separator: " ")
                print("\(format.string(from: at))  requests=\(s.requests)  failed=\(s.failed)  p50=\(Int(s.median * 1000))ms  max=\(Int(s.slowest * 1000))ms  \(codes)")
                fflush(nil)
            }
        }
        let stop = Task { await Signals.waitForTermination(); task.cancel() }
        await task.value
        stop.cancel()
        let t = load.totals
        print("requests=\(t.requests) failed=\(t.failed)")
    }
}
