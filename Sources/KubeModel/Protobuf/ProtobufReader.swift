/// Reads protobuf wire format from an untrusted body. Every varint, length and field is checked
/// against the bytes that are really there; a failure carries the text of the Go code generated
/// for k8s.io/api (`generated.pb.go`), so clients see what kube-apiserver would have said.
public struct ProtobufReader: Sendable {
    public struct Failure: Error, Equatable {
        public let message: String
        /// The path of a field the schema has no protobuf form for (an `any` field): the body is
        /// well formed, but this server cannot read it.
        public var unsupportedField: String? = nil
        public init(message: String, unsupportedField: String? = nil) {
            self.message = message
            self.unsupportedField = unsupportedField
        }
    }

    public static let unexpectedEOF = Failure(message: "unexpected EOF")
    public static let integerOverflow = Failure(message: "proto: integer overflow")
    public static let negativeLength = Failure(message: "proto: negative length found during unmarshaling")

    let data: [UInt8]
    private(set) var pos: Int
    let end: Int

    public init(_ data: [UInt8], from pos: Int = 0) {
        self.data = data
        self.pos = min(max(pos, 0), data.count)
        end = data.count
    }

    private init(data: [UInt8], pos: Int, end: Int) {
        self.data = data
        self.pos = pos
        self.end = end
    }

    public var atEnd: Bool { pos >= end }

    /// A base-128 varint of at most 64 bits (ten bytes), as `generated.pb.go` reads them.
    public mutating func varint() throws(Failure) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard shift < 64 else { throw Self.integerOverflow }
            guard pos < end else { throw Self.unexpectedEOF }
            let b = data[pos]
            pos += 1
            value |= UInt64(b & 0x7f) << shift
            if b < 0x80 { return value }
            shift += 7
        }
    }

    /// The next field's number and wire type; `message` names the message in errors.
    public mutating func tag(in message: String) throws(Failure) -> (field: Int, wire: Int)? {
        guard pos < end else { return nil }
        let key = try varint()
        // Go keeps the field number in an int32: larger numbers wrap and are no valid field.
        let field = Int(Int32(truncatingIfNeeded: key >> 3))
        let wire = Int(key & 7)
        if wire == 4 { throw Failure(message: "proto: \(message): wiretype end group for non-group") }
        if field <= 0 { throw Failure(message: "proto: \(message): illegal tag \(field) (wire type \(wire))") }
        return (field, wire)
    }

    /// A length prefix, checked against the bytes left (Go reads it as an int: the top bit makes
    /// it negative).
    private mutating func length() throws(Failure) -> Int {
        let raw = try varint()
        guard raw <= UInt64(Int.max) else { throw Self.negativeLength }
        let n = Int(raw)
        guard n <= end - pos else { throw Self.unexpectedEOF }
        return n
    }

    public mutating func bytes() throws(Failure) -> [UInt8] {
        let n = try length()
        defer { pos += n }
        return Array(data[pos..<(pos + n)])
    }

    public mutating func string() throws(Failure) -> String { String(decoding: try bytes(), as: UTF8.self) }

    /// A length-delimited embedded message, read by a reader of its own bounds.
    public mutating func message() throws(Failure) -> ProtobufReader {
        let n = try length()
        defer { pos += n }
        return ProtobufReader(data: data, pos: pos, end: pos + n)
    }

    /// Skips a field of an unknown number, groups included, without recursion.
    public mutating func skip(_ wire: Int) throws(Failure) {
        var groups = 0
        var wire = wire
        while true {
            switch wire {
            case 0: _ = try varint()
            case 1: try advance(8)
            case 2: try advance(try length())
            case 3: groups += 1
            case 4:
                groups -= 1
                if groups < 0 { throw Failure(message: "proto: unexpected end of group") }
            case 5: try advance(4)
            default: throw Failure(message: "proto: illegal wireType \(wire)")
            }
            if groups == 0 { return }
            wire = Int(try varint() & 7)
        }
    }

    private mutating func advance(_ n: Int) throws(Failure) {
        guard n <= end - pos else { throw Self.unexpectedEOF }
        pos += n
    }
}
