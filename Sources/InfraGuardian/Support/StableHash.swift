/// FNV-1a 64-bit: a stable, dependency-free fingerprint (not for security).
public enum StableHash {
    public static func value(_ text: String) -> UInt64 {
        var text = text
        return text.withUTF8 { bytes in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            var index = 0
            while index < bytes.count {
                hash ^= UInt64(bytes[index])
                hash = hash &* 0x0000_0100_0000_01B3
                index += 1
            }
            return hash
        }
    }

    public static func hex(_ text: String) -> String {
        let raw = String(value(text), radix: 16)
        return String(repeating: "0", count: 16 - raw.count) + raw
    }
}
