import Foundation
import KubeModel

/// What an exec or attach session connects its client to: a command started for it (exec) or
/// a container's own process (attach). The sessions carry the bytes over WebSocket or SPDY;
/// this says where they go and how the session ends.
protocol RemoteCommandTarget: Sendable {
    /// Starts handing output to the sinks (before any of the client's input is passed on, so
    /// no answer to it is missed) until it ends; the task's value is the Status the error
    /// channel carries. The sinks may block: they are called off the concurrency pool.
    func stream(stdout: @escaping OutputAttachment.Sink, stderr: @escaping OutputAttachment.Sink) -> Task<JSONValue, Never>
    /// Writes the client's input (blocking: call it off the concurrency pool).
    func writeInput(_ bytes: [UInt8]) -> Bool
    /// The client's input ended.
    func closeInput()
    func resize(width: Int, height: Int)
    /// The client went away before the end.
    func abandon()
}

/// A command run for `exec`: its outputs until they end, then its exit code as the kubelet
/// reports it; a client that leaves first takes the command with it.
struct ExecCommand: RemoteCommandTarget {
    let command: ContainerCommand
    let argv: [String]

    func stream(stdout: @escaping OutputAttachment.Sink, stderr: @escaping OutputAttachment.Sink) -> Task<JSONValue, Never> {
        let (command, argv) = (self.command, self.argv)
        return Task {
            async let out: Void = ContainerCommand.copyOutput(command.stdout, to: stdout)
            async let err: Void = ContainerCommand.copyOutput(command.stderr, to: stderr)
            let code = await command.wait()
            _ = await (out, err)
            return Self.status(exitCode: code, argv: argv)
        }
    }

    func writeInput(_ bytes: [UInt8]) -> Bool { command.writeInput(bytes) }
    func closeInput() { command.closeInput() }
    func resize(width: Int, height: Int) { command.resize(width: width, height: height) }
    func abandon() { command.kill() }

    /// The Status the error channel carries: kubelet's (remotecommand) for an exit code.
    static func status(exitCode: Int32, argv: [String]) -> JSONValue {
        guard exitCode != 0 else { return ["metadata": [:], "status": "Success"] }
        return [
            "metadata": [:], "status": "Failure",
            "message": .string("command terminated with non-zero exit code: error executing command [\(argv.joined(separator: " "))], exit code \(exitCode)"),
            "reason": "NonZeroExitCode",
            "details": ["causes": [["reason": "ExitCode", "message": .string(String(exitCode))]]],
        ]
    }
}
