/// Prometheus' label-set fingerprint, as Alertmanager puts it in `fingerprint`.
public enum LabelFingerprint {
    private static let offset: UInt64 = 14_695_981_039_346_656_037
    private static let prime: UInt64 = 1_099_511_628_211

    /// FNV-1a 64 over the labels sorted by name: name, 0xFF, value, 0xFF for each; printed as
    /// 16 lower-case hex digits.
    public static func compute(_ labels: [String: String]) -> String {
        var hash = offset
        for name in labels.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* prime }
            hash = (hash ^ 0xFF) &* prime
            for byte in labels[name]!.utf8 { hash = (hash ^ UInt64(byte)) &* prime }
            hash = (hash ^ 0xFF) &* prime
        }
        return Hex.fixed(hash)
    }
}

/// Lower-case hexadecimal text of numbers and bytes.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    static func fixed(_ value: UInt64) -> String {
        String(unsafeUninitializedCapacity: 16) { bytes in
            for i in 0..<16 {
                let nibble = UInt8(truncatingIfNeeded: (value >> (UInt64(i) * 4)) & 0xF)
                bytes[15 - i] = nibble < 10 ? 48 + nibble : 87 + nibble
            }
            return 16
        }
    }

    /// Two lower-case hex digits per byte, in order.
    public static func string(_ bytes: some Sequence<UInt8>) -> String {
        var out = [UInt8]()
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
