import ArgumentParser
import Foundation
import KubeClient
import KubeModel

/// What exec and attach share once the pod and container are known (kubectl's StreamOptions):
/// the terminal set up (`-t` only with `-i` and a real terminal), the streams wired to this
/// process's, the session run, and its end turned into kubectl's exit: a command's non-zero
/// code is kctl's, with `command terminated with exit code N` on stderr.
struct RemoteSession {
    let subresource: String
    let stdin: Bool
    let tty: Bool
    let quiet: Bool

    /// Whether a TTY will really be used: kubectl drops it without stdin, or when stdin is not
    /// a terminal (saying so).
    func usesTerminal() -> Bool {
        guard stdin, tty else { return false }
        guard isatty(0) == 1 else {
            if !quiet { Terminal.err("Unable to use a TTY - input is not a terminal or the right kind of file") }
            return false
        }
        return true
    }

    func run(_ session: Session, pod: JSONValue, options: [(String, String)], terminal: Bool) async throws {
        let raw = terminal ? RawTerminal() : nil
        defer { raw?.restore() }
        let out: @Sendable ([UInt8]) -> Void = { FileHandle.standardOutput.write(Data($0)) }
        // With a terminal the command's stderr comes on stdout.
        var err: (@Sendable ([UInt8]) -> Void)?
        if !terminal { err = { bytes in FileHandle.standardError.write(Data(bytes)) } }
        let input: AsyncStream<[UInt8]>? = stdin ? StdinReader().chunks : nil
        let streams = RemoteCommand.Streams(stdin: input, stdout: out, stderr: err, resizes: terminal ? RawTerminal.sizes() : nil, tty: terminal)
        let path = APIResource.pods.path(namespace: pod.metadata.namespace, name: pod.metadata.name, subresource: subresource)
        do {
            try await RemoteCommand.run(session.rest, userAgent: UserAgent.kctl, path: path, options: options, streams: streams)
        } catch let e as RemoteCommand.ExitCode {
            raw?.restore()
            Terminal.err(e.description)
            throw ExitCode(Int32(e.code))
        }
    }
}
