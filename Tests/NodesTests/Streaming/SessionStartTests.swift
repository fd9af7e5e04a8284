import Foundation
import KubeModel
import Synchronization
import Testing

@testable import Nodes

/// When an exec's command starts: a terminal's command with the client's first size (or
/// without, after a wait or at the first input), never once the client has left; anything
/// else at once.
@Suite struct SessionStartTests {
    /// A target that records what was done to it.
    final class Recorder: RemoteCommandTarget {
        let events = Mutex<[String]>([])
        /// The sizes the target was started with ("none" without).
        let starts = Mutex<[String]>([])
        func stream(stdout: @escaping OutputAttachment.Sink, stderr: @escaping OutputAttachment.Sink) -> Task<JSONValue, Never> {
            Task { ["status": "Success"] }
        }
        func writeInput(_ bytes: [UInt8]) -> Bool { true }
        func closeInput() { events.withLock { $0.append("close") } }
        func resize(width: Int, height: Int) { events.withLock { $0.append("resize \(width)x\(height)") } }
        func abandon() { events.withLock { $0.append("abandon") } }
    }

    /// A SessionStart whose starts are recorded (with the size given), failing if `failing`.
    static func make(waitsForSize: Bool, failing: Bool = false) -> (SessionStart, Recorder) {
        let recorder = Recorder()
        let start = SessionStart(waitsForSize: waitsForSize) { size in
            recorder.starts.withLock { $0.append(size.map { "\($0.width)x\($0.height)" } ?? "none") }
            if failing { throw RemoteCommandHandler.StartFailure(message: "failed to exec in container: no such file") }
            return SessionStart.Started(target: recorder, output: recorder.stream(stdout: { _ in }, stderr: { _ in }))
        }
        return (start, recorder)
    }

    @Test func aTerminalsCommandStartsWithTheClientsFirstSizeAndLaterOnesResizeIt() async throws {
        let (start, recorder) = Self.make(waitsForSize: true)
        start.begin()
        try await Task.sleep(for: .milliseconds(100))
        #expect(recorder.starts.withLock { $0 } == [], "waits for the size")
        await start.resize(TerminalSize(width: 120, height: 40))
        await start.resize(TerminalSize(width: 80, height: 24))
        #expect(recorder.starts.withLock { $0 } == ["120x40"])
        #expect(recorder.events.withLock { $0 } == ["resize 80x24"])
        // The wait ending later starts nothing more.
        try await Task.sleep(for: SessionStart.sizeWait + .milliseconds(200))
        #expect(recorder.starts.withLock { $0 } == ["120x40"])
    }

    @Test func withoutASizeItStartsAfterTheWaitOrAtTheFirstInput() async throws {
        let (waited, waitedRecorder) = Self.make(waitsForSize: true)
        let begun = ContinuousClock.now
        waited.begin()
        #expect(await waited.target() != nil)
        #expect(ContinuousClock.now - begun >= SessionStart.sizeWait)
        #expect(waitedRecorder.starts.withLock { $0 } == ["none"])

        let (typed, typedRecorder) = Self.make(waitsForSize: true)
        typed.begin()
        #expect(await typed.input() != nil)
        #expect(typedRecorder.starts.withLock { $0 } == ["none"])
    }

    @Test func aClientThatLeavesFirstNeverStartsIt() async throws {
        let (start, recorder) = Self.make(waitsForSize: true)
        start.begin()
        #expect(await start.clientLeft() == nil)
        try await Task.sleep(for: SessionStart.sizeWait + .milliseconds(200))
        #expect(recorder.starts.withLock { $0 } == [])
        guard case .failure = await start.started() else { Issue.record("a session whose client left started"); return }
    }

    @Test func aClientLeavingAfterTheStartAbandonsTheTarget() async throws {
        let (start, recorder) = Self.make(waitsForSize: false)
        start.begin()
        await start.clientLeft()?.abandon()
        #expect(recorder.events.withLock { $0 } == ["abandon"])
    }

    @Test func withoutATerminalItStartsAtOnceAndAFailureIsAnInternalErrorStatus() async throws {
        let (start, recorder) = Self.make(waitsForSize: false, failing: true)
        start.begin()
        #expect(recorder.starts.withLock { $0 } == ["none"])
        guard case .failure(let error) = await start.started() else { Issue.record("a failed start succeeded"); return }
        let status = SessionStart.failureStatus(error)
        #expect(status["reason"]?.stringValue == "InternalError")
        #expect(status["message"]?.stringValue == "failed to exec in container: no such file")
    }
}
