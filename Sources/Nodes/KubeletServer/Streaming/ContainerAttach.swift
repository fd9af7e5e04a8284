import Foundation
import KubeModel
import Synchronization

/// What `attach` reaches of a running container instance: its live output and its input.
public struct AttachTarget: Sendable {
    let log: ContainerLog
    let input: ContainerInput

    /// The container runs with a terminal (`tty: true`), which decides the attach's TTY
    /// whatever the client asked, as the kubelet takes it from the container's spec.
    var tty: Bool { input.tty }
}

/// One client attached to a container's process, as containerd's ContainerIO.Attach serves
/// it: the output the container writes from now on goes to the client; its input goes to the
/// container's standard input when the container has one (`stdin: true`) and the client sends
/// it (else it is dropped). When the client's input ends, a `stdinOnce` container without a
/// terminal reads end-of-file and the client stays attached until the output ends; otherwise the
/// client is detached. The session ends with Success: the container's exit code is not the
/// attach's (`kubectl run` reads it from the pod's status).
final class ContainerAttach: RemoteCommandTarget {
    let target: AttachTarget
    let options: RemoteCommandHandler.Options
    private let attachment = Mutex<(current: OutputAttachment?, detached: Bool)>((nil, false))

    init(_ target: AttachTarget, options: RemoteCommandHandler.Options) {
        self.target = target
        self.options = options
    }

    /// The client's input reaches the container (containerd copies it only then).
    private var inputAttached: Bool { options.stdin && target.input.stdin }

    func stream(stdout: @escaping OutputAttachment.Sink, stderr: @escaping OutputAttachment.Sink) -> Task<JSONValue, Never> {
        let current = target.log.attach(stdout: options.stdout ? stdout : nil, stderr: options.stderr && !target.tty ? stderr : nil)
        let detachedEarly = attachment.withLock { a -> Bool in
            a.current = current
            return a.detached
        }
        if detachedEarly { current.detach() }
        return Task {
            await current.finished()
            return ["metadata": [:], "status": "Success"]
        }
    }

    func writeInput(_ bytes: [UInt8]) -> Bool {
        guard inputAttached else { return true }
        return target.input.write(bytes)
    }

    func closeInput() {
        guard inputAttached else { return }
        if target.input.stdinOnce && !target.tty {
            target.input.closeStdin()
            // Nothing else keeps a client of no output attached.
            if !options.stdout && !options.stderr { detach() }
        } else {
            detach()
        }
    }

    func resize(width: Int, height: Int) { target.input.resize(width: width, height: height) }

    func abandon() {
        // Its input ends with it (a `stdinOnce` container reads end-of-file), and its output
        // has nowhere to go.
        if inputAttached && target.input.stdinOnce && !target.tty { target.input.closeStdin() }
        detach()
    }

    private func detach() {
        let current = attachment.withLock { a -> OutputAttachment? in
            a.detached = true
            return a.current
        }
        current?.detach()
    }
}
