/// The path a request is routed by, as nginx makes `$uri` from the request target before it
/// matches locations (ngx_http_parse_complex_uri): the query cut off, `%XX` decoded, runs of
/// `/` merged (`merge_slashes on`), `.` segments dropped and `..` taking the one before it.
/// Routing by the raw target would let `/public/../admin` reach the backend of `/public`
/// while the app sees `/admin`. A target that climbs above `/`, or decodes to a NUL, is a bad
/// request (nginx's 400). The request itself is passed on unchanged, as ingress-nginx's
/// `proxy_pass` without a URI passes it.
enum RequestPath {
    static func normalize(_ target: String) -> String? {
        let bytes = Array(target.utf8)
        var path = Array(bytes[..<(bytes.firstIndex(of: UInt8(ascii: "?")) ?? bytes.count)])
        if path.first != UInt8(ascii: "/") { path.insert(UInt8(ascii: "/"), at: 0) }
        guard let decoded = percentDecoded(path) else { return nil }
        var segments: [ArraySlice<UInt8>] = []
        let parts = decoded.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true)
        for part in parts {
            switch Array(part) {
            case [UInt8(ascii: ".")]:
                continue
            case [UInt8(ascii: "."), UInt8(ascii: ".")]:
                guard !segments.isEmpty else { return nil }
                segments.removeLast()
            default:
                segments.append(part)
            }
        }
        // A trailing `/`, `/.` or `/..` leaves the path ending in `/`, as nginx keeps it.
        let last = parts.last.map(Array.init)
        let endsInSlash = decoded.last == UInt8(ascii: "/") || last == [UInt8(ascii: ".")] || last == [UInt8(ascii: "."), UInt8(ascii: ".")]
        var out: [UInt8] = []
        for s in segments { out += [UInt8(ascii: "/")] + s }
        if out.isEmpty || endsInSlash { out.append(UInt8(ascii: "/")) }
        return String(decoding: out, as: UTF8.self)
    }

    /// `%XX` decoded; nil for a `%` not followed by two hex digits or a decoded NUL.
    static func percentDecoded(_ bytes: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "%") else {
                out.append(bytes[i])
                i += 1
                continue
            }
            guard i + 2 < bytes.count, let hi = hex(bytes[i + 1]), let lo = hex(bytes[i + 2]) else { return nil }
            let byte = hi << 4 | lo
            guard byte != 0 else { return nil }
            out.append(byte)
            i += 3
        }
        return out
    }

    static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
