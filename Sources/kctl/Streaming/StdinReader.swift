import Foundation
import Synchronization

/// Standard input as an async sequence of chunks. A read blocks, so it happens on a thread of
/// its own, one chunk per request: nothing is read ahead of the consumer, so at most one chunk
/// is held. A cancelled consumer gets the end at once (the thread's read may still be pending;
/// the process is ending by then).
final class StdinReader: Sendable {
    private let requests = DispatchSemaphore(value: 0)
    private let waiter = Mutex<CheckedContinuation<[UInt8]?, Never>?>(nil)
    private let fd: Int32

    init(fd: Int32 = 0) {
        self.fd = fd
        let thread = Thread { [self] in loop() }
        thread.name = "kctl-stdin"
        thread.start()
    }

    var chunks: AsyncStream<[UInt8]> {
        AsyncStream(unfolding: { await self.next() })
    }

    private func next() async -> [UInt8]? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<[UInt8]?, Never>) in
                waiter.withLock { $0 = c }
                // Cancelled before the handler could see the waiter: end it here.
                if Task.isCancelled {
                    take()?.resume(returning: nil)
                    return
                }
                requests.signal()
            }
        } onCancel: {
            take()?.resume(returning: nil)
        }
    }

    private func take() -> CheckedContinuation<[UInt8]?, Never>? {
        waiter.withLock { w in defer { w = nil }; return w }
    }

    private func loop() {
        var buffer = [UInt8](repeating: 0, count: 32 * 1024)
        while true {
            requests.wait()
            var n: Int
            repeat {
                n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            } while n < 0 && errno == EINTR
            let chunk: [UInt8]? = n > 0 ? Array(buffer[0..<n]) : nil
            take()?.resume(returning: chunk)
            if chunk == nil { return }
        }
    }
}
