/// Replaces some ASCII characters of a text by strings, in one pass over its UTF-8 bytes: what a
/// chain of `replacingOccurrences(of:with:)` does for ASCII needles, without Foundation's NSString
/// bridge (which was 70 % of `lint --format github` on 33,000 findings).
struct ASCIIReplacements: Sendable {
    /// The replacement of each ASCII byte, nil to keep it.
    private var table = [[UInt8]?](repeating: nil, count: 128)

    init(_ replacements: KeyValuePairs<Unicode.Scalar, String>) {
        for (character, replacement) in replacements { table[Int(UInt8(ascii: character))] = Array(replacement.utf8) }
    }

    func apply(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 128 && table[Int($0)] != nil }) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            if byte < 128, let replacement = table[Int(byte)] { out += replacement } else { out.append(byte) }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
