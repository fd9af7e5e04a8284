import CZlib
import Foundation

/// SPDY/3 header blocks: `count:4` then `len:4 name len:4 value` pairs (lowercase names; a
/// value may hold several NUL-separated ones), compressed with zlib seeded by the SPDY/3
/// dictionary, one compression context per direction for the whole connection, each block ended
/// by a sync flush (draft-mbelshe-httpbis-spdy-00 2.6.10). One instance per direction; not
/// shared between tasks.
final class SPDYHeaderCompression {
    enum Failure: Error { case zlib(Int32), tooLarge, malformed }

    private let stream: UnsafeMutablePointer<z_stream>
    private let inflating: Bool
    /// The most a decompressed block may take (kubectl's are well under 1 KiB).
    static let maxBlock = 64 * 1024

    /// `inflating`: reads the peer's blocks; otherwise writes ours.
    init(inflating: Bool) throws(Failure) {
        self.inflating = inflating
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let rc = inflating ? kp_inflate_init(stream) : kp_deflate_init(stream, Z_DEFAULT_COMPRESSION)
        guard rc == Z_OK else {
            stream.deallocate()
            throw .zlib(rc)
        }
        if !inflating {
            let rc = Self.dictionary.withUnsafeBufferPointer { deflateSetDictionary(stream, $0.baseAddress, UInt32($0.count)) }
            guard rc == Z_OK else { throw .zlib(rc) }
        }
    }

    deinit {
        if inflating { inflateEnd(stream) } else { deflateEnd(stream) }
        stream.deallocate()
    }

    /// Decompresses one block into its headers (names lowercase, values split at NUL).
    func decode(_ block: [UInt8]) throws(Failure) -> [String: [String]] {
        try Self.parse(inflate(block))
    }

    /// Compresses headers into one block.
    func encode(_ headers: [(String, String)]) throws(Failure) -> [UInt8] {
        var plain: [UInt8] = []
        func u32(_ n: Int) { plain += [UInt8(n >> 24 & 0xff), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)] }
        u32(headers.count)
        for (name, value) in headers {
            u32(name.utf8.count); plain += Array(name.lowercased().utf8)
            u32(value.utf8.count); plain += Array(value.utf8)
        }
        return try run(plain, flush: Z_SYNC_FLUSH)
    }

    private func inflate(_ block: [UInt8]) throws(Failure) -> [UInt8] { try run(block, flush: Z_SYNC_FLUSH) }

    private func run(_ input: [UInt8], flush: Int32) throws(Failure) -> [UInt8] {
        var input = input
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        let result: Failure? = input.withUnsafeMutableBufferPointer { inBuf -> Failure? in
            stream.pointee.next_in = inBuf.baseAddress
            stream.pointee.avail_in = UInt32(inBuf.count)
            while true {
                let (rc, produced) = chunk.withUnsafeMutableBufferPointer { outBuf -> (Int32, Int) in
                    stream.pointee.next_out = outBuf.baseAddress
                    stream.pointee.avail_out = UInt32(outBuf.count)
                    var rc = inflating ? CZlib.inflate(stream, flush) : deflate(stream, flush)
                    if rc == Z_NEED_DICT && inflating {
                        rc = Self.dictionary.withUnsafeBufferPointer { inflateSetDictionary(stream, $0.baseAddress, UInt32($0.count)) }
                        if rc == Z_OK { rc = CZlib.inflate(stream, flush) }
                    }
                    return (rc, outBuf.count - Int(stream.pointee.avail_out))
                }
                out += chunk[0..<produced]
                if out.count > Self.maxBlock { return .tooLarge }
                if rc == Z_BUF_ERROR && produced == 0 { return nil }
                guard rc == Z_OK || rc == Z_STREAM_END else { return .zlib(rc) }
                if stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0 { return nil }
            }
        }
        stream.pointee.next_in = nil
        if let result { throw result }
        return out
    }

    static func parse(_ plain: [UInt8]) throws(Failure) -> [String: [String]] {
        var at = 0
        func u32() throws(Failure) -> Int {
            guard plain.count - at >= 4 else { throw .malformed }
            defer { at += 4 }
            return Int(plain[at]) << 24 | Int(plain[at + 1]) << 16 | Int(plain[at + 2]) << 8 | Int(plain[at + 3])
        }
        func string() throws(Failure) -> String {
            let n = try u32()
            guard n >= 0, plain.count - at >= n else { throw .malformed }
            defer { at += n }
            return String(decoding: plain[at..<at + n], as: UTF8.self)
        }
        var headers: [String: [String]] = [:]
        let count = try u32()
        for _ in 0..<count {
            let name = try string().lowercased()
            let value = try string()
            headers[name, default: []] += value.split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
        }
        return headers
    }

    /// The SPDY/3 dictionary (1423 bytes, adler32 0xe3c6a7c2): length-prefixed words, then text.
    static let dictionary: [UInt8] = {
        let words = [
            "options", "head", "post", "put", "delete", "trace", "accept", "accept-charset", "accept-encoding", "accept-language",
            "accept-ranges", "age", "allow", "authorization", "cache-control", "connection", "content-base", "content-encoding",
            "content-language", "content-length", "content-location", "content-md5", "content-range", "content-type", "date", "etag",
            "expect", "expires", "from", "host", "if-match", "if-modified-since", "if-none-match", "if-range", "if-unmodified-since",
            "last-modified", "location", "max-forwards", "pragma", "proxy-authenticate", "proxy-authorization", "range", "referer",
            "retry-after", "server", "te", "trailer", "transfer-encoding", "upgrade", "user-agent", "vary", "via", "warning",
            "www-authenticate", "method", "get", "status", "200 OK", "version", "HTTP/1.1", "url", "public", "set-cookie",
            "keep-alive", "origin",
        ]
        let text = "100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505"
            + "203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized"
            + "403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented503 Service Unavailable"
            + "Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT"
            + "chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,"
            + "text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0."
        var bytes: [UInt8] = []
        for w in words {
            let n = w.utf8.count
            bytes += [UInt8(n >> 24 & 0xff), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)] + Array(w.utf8)
        }
        return bytes + Array(text.utf8)
    }()
}
