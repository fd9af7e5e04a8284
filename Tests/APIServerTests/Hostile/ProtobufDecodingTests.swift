@testable import APIServer
import KubeModel
import Testing

/// The protobuf decoder on every kind of broken varint, length and field, with the messages
/// kube-apiserver gives (`generated.pb.go` wrapped by `transformDecodeError`), and on random
/// damage to a real kubectl body.
@Suite struct ProtobufDecodingTests {
    typealias P = HostileCorpus

    /// kubectl 1.32 `create configmap cm1 --from-literal=k1=v1` (KUBECTL-WIRE §9.14).
    static let kubectlBody: [UInt8] = hex("6b3873000a0f0a0276311209436f6e6669674d6170121f0a130a03636d3112001a0022002a0032003800420012080a026b31120276311a002200")

    static func hex(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        var i = s.startIndex
        while i < s.endIndex {
            let j = s.index(i, offsetBy: 2)
            out.append(UInt8(s[i..<j], radix: 16) ?? 0)
            i = j
        }
        return out
    }

    static func message(_ body: [UInt8]) -> String? {
        do {
            _ = try ProtobufDecoding.decode(body, expected: "ConfigMap")
            return nil
        } catch {
            return "\(error.code) \(error.message)"
        }
    }

    @Test func decodesKubectlsBody() throws {
        let cm = try ProtobufDecoding.decode(Self.kubectlBody, expected: "ConfigMap")
        #expect(cm["data"] == ["k1": "v1"])
        #expect(cm[path: ["metadata", "name"]] == "cm1")
    }

    static let prefix: [UInt8] = [0x6b, 0x38, 0x73, 0x00]
    static let unrecognized = "400 the object provided is unrecognized (must be of type ConfigMap): "
    static let cannot = "400 ConfigMap in version \"v1\" cannot be handled as a ConfigMap: "

    @Test(arguments: [
        // The envelope (runtime.Unknown).
        ([], unrecognized + "empty data (<empty>)"),
        (Array("{}".utf8), unrecognized + "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0] ({})"),
        (prefix, unrecognized + "empty body (6b387300)"),
        (prefix + [0x12, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], unrecognized + "proto: negative length found during unmarshaling (6b38730012ffffffffffffffffff01)"),
        (prefix + [0x12] + Array(repeating: 0xff, count: 10) + [0x01], unrecognized + "proto: integer overflow (6b38730012ffffffffffffffffffff01)"),
        (prefix + [0x12, 0xff], unrecognized + "unexpected EOF (6b38730012ff)"),
        (prefix + [0xff], unrecognized + "unexpected EOF (6b387300ff)"),
        (prefix + [0x12, 0x7f, 0x01], unrecognized + "unexpected EOF (6b387300127f01)"),
        (prefix + [0x12] + P.varint(1 << 62), unrecognized + "unexpected EOF (6b38730012808080808080808040)"),
        (prefix + [0x02, 0x00], unrecognized + "proto: Unknown: illegal tag 0 (wire type 2)"
            + " (6b3873000200)"),
        (prefix + [0x2f], unrecognized + "proto: illegal wireType 7 (6b3873002f)"),
        (prefix + [0x1f], unrecognized + "proto: wrong wireType = 7 for field ContentEncoding (6b3873001f)"),
        (prefix + [0x1c], unrecognized + "proto: Unknown: wiretype end group for non-group (6b3873001c)"),
        (prefix + [0x2b, 0x08, 0x01], unrecognized + "unexpected EOF (6b3873002b0801)"),
        (prefix + [0x29, 0x01, 0x02], unrecognized + "unexpected EOF (6b387300290102)"),
        (prefix + [0x2d, 0x01], unrecognized + "unexpected EOF (6b3873002d01)"),
        (prefix + [0x08, 0x01], unrecognized + "proto: wrong wireType = 0 for field TypeMeta (6b3873000801)"),
        (prefix + [0x0a, 0x02, 0x08, 0x01], unrecognized + "proto: wrong wireType = 0 for field APIVersion (6b3873000a020801)"),
        // The message inside.
        (P.envelope(P.field(1, [0x0a, 0x50, 0x41])), cannot + "unexpected EOF"),
        (P.envelope(P.field(1, [0x08, 0x01])), cannot + "proto: wrong wireType = 0 for field Name"),
        (P.envelope(P.field(1, [0x00])), cannot + "proto: ObjectMeta: illegal tag 0 (wire type 0)"),
        (P.envelope([0x12, 0x05, 0x0a, 0x09, 0x61]), cannot + "unexpected EOF"),
        (P.envelope([0x12, 0x02, 0x08, 0x01]), cannot + "unexpected EOF"),
        (P.envelope(P.field(1, [0x38, 0xff])), cannot + "unexpected EOF"),
        (P.envelope(P.field(1, [0x38] + Array(repeating: 0x80, count: 10) + [0x01])), cannot + "proto: integer overflow"),
        (P.envelope(P.field(1, P.field(13, [0xff, 0xff]))), cannot + "unexpected EOF"),
        (P.envelope([0x22, 0x01]), cannot + "proto: wrong wireType = 2 for field Immutable"),
        (P.envelope(P.field(1, [0x0f])), cannot + "proto: wrong wireType = 7 for field Name"),
        (P.envelope(P.field(1, P.varint(99 << 3 | 7))), cannot + "proto: illegal wireType 7"),
        (P.envelope([], kind: "Eviction"), "415 no protobuf decoding for kind Eviction; send application/json"),
    ] as [([UInt8], String)])
    func rejects(_ body: [UInt8], _ expected: String) {
        #expect(Self.message(body) == expected)
    }

    @Test func outOfRangeNumbersDoNotTrap() throws {
        let meta = P.field(1, Array("x".utf8)) + [0x38] + P.varint(UInt64.max)
        for seconds in [Int64.max, Int64.min, 253_402_300_800, -62_135_596_801] {
            let body = P.envelope(P.field(1, meta + P.field(8, [0x08] + P.varint(UInt64(bitPattern: seconds)))))
            let cm = try ProtobufDecoding.decode(body, expected: "ConfigMap")
            #expect(cm[path: ["metadata", "creationTimestamp"]] == nil)
            #expect(cm[path: ["metadata", "generation"]] == .int(-1))
        }
    }

    @Test func longRepeatedFieldsTakeLinearTime() throws {
        let finalizers = Array((0..<200_000).map { _ in P.field(14, [0x78]) }.joined())
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            let cm = try ProtobufDecoding.decode(P.envelope(P.field(1, finalizers)), expected: "ConfigMap")
            #expect(cm[path: ["metadata", "finalizers"]]?.arrayValue?.count == 200_000)
        }
        #expect(elapsed < .seconds(5))
    }

    /// Property: whatever is done to a valid body (bytes flipped, cut, inserted, lengths bumped),
    /// the decoder returns an object or a 400/415 `APIError`, never traps.
    @Test func damagedBodiesNeverTrap() {
        var rng = SplitMix(seed: 1)
        let valid = Self.kubectlBody
        var outcomes: [Int: Int] = [:]
        for _ in 0..<30_000 {
            var body = valid
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let at = Int(rng.next() % UInt64(body.count + 1))
                switch rng.next() % 5 {
                case 0 where at < body.count: body[at] = UInt8(truncatingIfNeeded: rng.next())
                case 1: body = Array(body.prefix(at))
                case 2: body.insert(UInt8(truncatingIfNeeded: rng.next()), at: at)
                case 3 where at < body.count: body[at] = 0xff
                default: body.insert(contentsOf: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], at: at)
                }
            }
            do {
                _ = try ProtobufDecoding.decode(body, expected: "ConfigMap")
                outcomes[200, default: 0] += 1
            } catch {
                outcomes[error.code, default: 0] += 1
            }
        }
        #expect(Set(outcomes.keys).isSubset(of: [200, 400, 415]))
        #expect(outcomes[400, default: 0] > 1000)
    }
}
