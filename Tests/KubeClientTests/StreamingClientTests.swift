import Foundation
import Testing
@testable import KubeClient

/// The client side of exec and port-forward without a server: WebSocket framing, the exec
/// Status as client-go decodes it, SPDY frames, and port-forward's port and address words.
@Suite struct StreamingClientTests {
    /// Unmasks a client frame as a server would (RFC 6455 5.3).
    static func unmask(_ frame: [UInt8]) -> (opcode: UInt8, payload: [UInt8]) {
        var length = Int(frame[1] & 0x7f), at = 2
        if length == 126 {
            length = Int(frame[2]) << 8 | Int(frame[3])
            at = 4
        }
        let mask = Array(frame[at..<(at + 4)])
        return (frame[0] & 0x0f, frame[(at + 4)...].enumerated().map { $0.element ^ mask[$0.offset & 3] })
    }

    @Test func clientFramesAreMaskedFinalAndCarryThePayload() {
        let short = WebSocketClient.frame(opcode: WebSocketClient.binary, [0, 104, 105])
        #expect(short[0] == 0x82 && short[1] == 0x80 | 3)
        #expect(Self.unmask(short).payload == [0, 104, 105])
        let long = [UInt8](repeating: 7, count: 300)
        let frame = WebSocketClient.frame(opcode: WebSocketClient.binary, long)
        #expect(frame[1] == 0x80 | 126 && Int(frame[2]) << 8 | Int(frame[3]) == 300)
        #expect(Self.unmask(frame).payload == long)
        #expect(Self.unmask(WebSocketClient.normalClose) == (8, [0x03, 0xe8]))
    }

    /// The server's frames as kubectl's recordings show them (`v1.33-exec.txt`), cut anywhere,
    /// with a ping between the fragments of a message.
    @Test func serverFramesAreReassembledWhateverTheReads() throws {
        let bytes: [UInt8] = [0x82, 0x04, 0x01, 0x68, 0x69, 0x0a]   // "\x01hi\n"
            + [0x02, 0x02, 0x03, 0x7b] + [0x89, 0x00] + [0x80, 0x01, 0x7d]   // "\x03{" ping "}"
            + [0x88, 0x02, 0x03, 0xe8]
        for cut in 1..<bytes.count {
            var reader = WebSocketClient()
            let events = try reader.feed(Array(bytes[..<cut])) + reader.feed(Array(bytes[cut...]))
            #expect(events == [.message([1, 104, 105, 10]), .ping([]), .message([3, 123, 125]), .close], "cut at \(cut)")
        }
        var reader = WebSocketClient(maxMessage: 10)
        #expect(throws: WebSocketClient.Failure.self) { try reader.feed([0x82, 0x7e, 0x01, 0x00]) }
    }

    @Test func theSubprotocolMustBeOneOffered() throws {
        #expect(try WebSocketClient.chosen(["sec-websocket-protocol": "v5.channel.k8s.io"], offered: RemoteCommand.protocols) == "v5.channel.k8s.io")
        let e = #expect(throws: WebSocketClient.Failure.self) { try WebSocketClient.chosen([:], offered: ["v5.channel.k8s.io"]) }
        #expect(e?.description == "invalid protocol, expected one of [\"v5.channel.k8s.io\"], got \"\"")
    }

    /// errorDecoderV4: Success and no Status end cleanly; the exit code comes from its cause.
    @Test func theStatusDecidesHowTheCommandEnded() throws {
        try RemoteCommand.decode([])
        try RemoteCommand.decode(Array(#"{"metadata":{},"status":"Success"}"#.utf8))
        let exit3 = #"{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: …","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}"#
        let code = #expect(throws: RemoteCommand.ExitCode.self) { try RemoteCommand.decode(Array(exit3.utf8)) }
        #expect(code?.code == 3 && code?.description == "command terminated with exit code 3")
        let bad = exit3.replacingOccurrences(of: #""message":"3""#, with: #""message":"300""#)
        let e = #expect(throws: RemoteCommand.Failure.self) { try RemoteCommand.decode(Array(bad.utf8)) }
        #expect(e?.description == "error stream protocol error: invalid exit code value \"300\"")
        let other = #"{"metadata":{},"status":"Failure","message":"container not running","reason":"InternalError"}"#
        let f = #expect(throws: RemoteCommand.Failure.self) { try RemoteCommand.decode(Array(other.utf8)) }
        #expect(f?.description == "container not running")
    }

    @Test func spdyFramesAreReadFromAByteStream() throws {
        let data = SPDYClientFrames.data(id: 3, Array("hello".utf8))
        #expect(data == [0, 0, 0, 3, 0, 0, 0, 5] + Array("hello".utf8))
        let ping: [UInt8] = [0x80, 0x03, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04, 0, 0, 0, 1]
        let stream = data + ping + SPDYClientFrames.data(id: 1, fin: true, []) + [0x80, 0x03, 0x00, 0x03, 0, 0, 0, 8, 0, 0, 0, 3, 0, 0, 0, 5]
        var reader = SPDYClientFrames()
        var frames: [SPDYClientFrames.Frame] = []
        for byte in stream { frames += try reader.feed([byte]) }
        #expect(frames == [.data(id: 3, fin: false, payload: Array("hello".utf8)), .ping(ping), .data(id: 1, fin: true, payload: []), .rstStream(id: 3)])
        let syn = SPDYClientFrames.synStream(id: 1, headerBlock: try SPDYHeaderWriter().block([("streamtype", "error")]))
        #expect(Array(syn[0..<4]) == [0x80, 0x03, 0x00, 0x01] && Array(syn[8..<12]) == [0, 0, 0, 1])
    }

    @Test func portWordsParseAsClientGoParsesThem() throws {
        #expect(try PortForwarder.parsePorts(["8080:3000", "5000", ":6000"]) == [
            ForwardedPort(local: 8080, remote: 3000), ForwardedPort(local: 5000, remote: 5000), ForwardedPort(local: 0, remote: 6000),
        ])
        let cases = [
            ("a:b:c", "invalid port format 'a:b:c'"),
            ("x:80", "error parsing local port 'x': strconv.ParseUint: parsing \"x\": invalid syntax"),
            ("80:70000", "error parsing remote port '70000': strconv.ParseUint: parsing \"70000\": value out of range"),
            ("80:0", "remote port must be > 0"),
        ]
        for (word, message) in cases {
            let e = #expect(throws: PortForwarder.Failure.self) { try PortForwarder.parsePorts([word]) }
            #expect(e?.description == message)
        }
        #expect(try PortForwarder.parseAddresses(["localhost", "10.0.0.1"]).map(\.address) == ["10.0.0.1", "127.0.0.1", "::1"])
        #expect(try PortForwarder.parseAddresses(["localhost"]).allSatisfy { !$0.mustBind })
        let e = #expect(throws: PortForwarder.Failure.self) { try PortForwarder.parseAddresses(["example.com"]) }
        #expect(e?.description == "example.com is not a valid IP")
    }
}
