import Synchronization

/// A fast non-cryptographic generator (SplitMix64) for generated names and UIDs: one system
/// random seed, then no system call per draw. UIDs need uniqueness, not secrecy.
public enum FastRandom {
    private static let state = Mutex<UInt64>(UInt64.random(in: .min ... .max))

    public static func next() -> UInt64 {
        state.withLock { s in
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// A random (version 4) UUID in Kubernetes' lowercase text form.
    public static func uuid() -> String {
        let hex = Array("0123456789abcdef".utf8)
        var a = next()
        var b = next()
        a = (a & ~0xF000) | 0x4000  // version 4 in the third group
        b = (b & ~(0xC000 << 48)) | (0x8000 << 48)  // RFC 4122 variant
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (i, word) in [a, b].enumerated() {
            for n in 0..<16 {
                if (i == 0 && (n == 8 || n == 12)) || (i == 1 && n == 0) || (i == 1 && n == 4) { out.append(UInt8(ascii: "-")) }
                out.append(hex[Int((word >> UInt64(60 - 4 * n)) & 0xf)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
