import Foundation
import Testing
@testable import Nodes

/// The kubelet's WebSocket framing against the bytes real kubectl 1.33 sent and accepted
/// (`kubectl-wire/streaming/v1.33-exec-i.txt`, `v1.33-exec-it.txt`).
@Suite struct WebSocketFramesTests {
    /// A client frame as kubectl wrote it: its header bytes (with the mask key) and the payload masked.
    static func clientFrame(_ header: [UInt8], _ payload: [UInt8]) -> [UInt8] {
        let mask = Array(header.suffix(4))
        return header + payload.enumerated().map { $0.element ^ mask[$0.offset & 3] }
    }

    static let stdin = clientFrame([0x82, 0x87, 0xe5, 0x66, 0xba, 0x1b], [0x00] + Array("hello\n".utf8))
    static let stdinClose = clientFrame([0x82, 0x82, 0x8c, 0x5d, 0xc3, 0xbb], [0xff, 0x00])
    static let resize = clientFrame([0x82, 0x9b, 0x00, 0xdf, 0x26, 0x02], [0x04] + Array("{\"Width\":100,\"Height\":30}\n".utf8))
    static let close = clientFrame([0x88, 0x82, 0xe0, 0xac, 0x1c, 0xba], [0x03, 0xe8])

    struct Case: Sendable, CustomStringConvertible {
        let description: String
        let bytes: [UInt8]
        let events: [WebSocketFrameReader.Event]
    }

    static let cases: [Case] = [
        Case(description: "stdin", bytes: stdin, events: [.message(opcode: 2, payload: [0] + Array("hello\n".utf8))]),
        Case(description: "stdin then its end (v5 close signal)", bytes: stdin + stdinClose,
             events: [.message(opcode: 2, payload: [0] + Array("hello\n".utf8)), .message(opcode: 2, payload: [0xff, 0x00])]),
        Case(description: "resize", bytes: resize, events: [.message(opcode: 2, payload: [4] + Array("{\"Width\":100,\"Height\":30}\n".utf8))]),
        Case(description: "close 1000", bytes: close, events: [.close(code: 1000)]),
        Case(description: "empty ping", bytes: clientFrame([0x89, 0x80, 1, 2, 3, 4], []), events: [.ping([])]),
        Case(description: "fragmented message with a ping between", bytes:
                clientFrame([0x02, 0x82, 9, 9, 9, 9], [0, 0x61]) + clientFrame([0x89, 0x80, 1, 2, 3, 4], []) + clientFrame([0x80, 0x81, 7, 7, 7, 7], [0x62]),
             events: [.ping([]), .message(opcode: 2, payload: [0, 0x61, 0x62])]),
    ]

    @Test(arguments: cases) func readsKubectlFrames(_ c: Case) throws {
        var whole = WebSocketFrameReader()
        #expect(try whole.feed(c.bytes) == c.events)
        // Byte by byte, as TCP may deliver them: the same events, none early.
        var split = WebSocketFrameReader()
        var events: [WebSocketFrameReader.Event] = []
        for b in c.bytes { events += try split.feed([b]) }
        #expect(events == c.events)
    }

    @Test func rejectsUnmaskedAndOversizedFrames() {
        var reader = WebSocketFrameReader(maxMessage: 16)
        #expect(throws: WebSocketFrameReader.Failure.unmasked) { try reader.feed([0x82, 0x02, 0x01, 0x02]) }
        var small = WebSocketFrameReader(maxMessage: 16)
        #expect(throws: WebSocketFrameReader.Failure.tooLarge) { try small.feed([0x82, 0xfe, 0x01, 0x00]) }
    }

    @Test func writesFramesKubectlAccepted() {
        #expect(WebSocketFrame.encode(opcode: 2, [0x01] + Array("hi\n".utf8)) == [0x82, 0x04, 0x01, 0x68, 0x69, 0x0a])
        let status = Array(#"{"metadata":{},"status":"Success"}"#.utf8)
        #expect(WebSocketFrame.encode(opcode: 2, [0x03] + status) == [0x82, 0x23, 0x03] + status)
        #expect(WebSocketFrame.closeFrame(1000) == [0x88, 0x02, 0x03, 0xe8])
        #expect(WebSocketFrame.encode(opcode: 2, [UInt8](repeating: 7, count: 300)).prefix(4) == [0x82, 126, 0x01, 0x2c])
    }

    @Test func acceptKeyMatchesWhatKubectlChecked() {
        #expect(WebSocketFrame.accept(key: "VdPNzdksvZSHQ6ZkzB7Xwg==") == "ODj8wesXajloL73bRmGguQ5O1U8=")
        #expect(WebSocketFrame.accept(key: "W2fur6SwNocvW9H0w7ENUw==") == "fkSf8rCSGmGpxDQPHeQYSuWaCZk=")
        // RFC 6455's own example.
        #expect(WebSocketFrame.accept(key: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test func exitStatusIsWhatKubectlReads() throws {
        let failure = ExecCommand.status(exitCode: 3, argv: ["sh", "-c", "exit 3"])
        #expect(failure["reason"]?.stringValue == "NonZeroExitCode")
        #expect(failure[path: ["details", "causes"]]?.arrayValue?.first?["message"]?.stringValue == "3")
        #expect(failure[path: ["details", "causes"]]?.arrayValue?.first?["reason"]?.stringValue == "ExitCode")
        #expect(ExecCommand.status(exitCode: 0, argv: ["true"])["status"]?.stringValue == "Success")
        let size = try #require(TerminalSize(message: Array("{\"Width\":100,\"Height\":30}\n".utf8)))
        #expect(size.width == 100 && size.height == 30)
    }
}
