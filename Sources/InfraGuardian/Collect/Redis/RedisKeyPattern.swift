/// Redis glob patterns (`*`, `?`, `[abc]`, `[a-z]`, `[^a]`, `\x`) matched against key bytes, as
/// `SCAN MATCH` and `KEYS` read them; and the pattern a key is shown as in reports.
enum RedisKeyPattern {
    static func matches(_ pattern: [UInt8], _ key: [UInt8]) -> Bool {
        var p = 0, k = 0
        var starP = -1, starK = 0
        while k < key.count {
            if p < pattern.count, pattern[p] == UInt8(ascii: "*") {
                starP = p; starK = k; p += 1
                continue
            }
            if p < pattern.count, let next = single(pattern, p, key[k]) {
                p = next; k += 1
                continue
            }
            guard starP >= 0 else { return false }
            p = starP + 1; starK += 1; k = starK
        }
        while p < pattern.count, pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.count
    }

    /// When the pattern element at `p` matches `byte`: the index after the element.
    private static func single(_ pattern: [UInt8], _ p: Int, _ byte: UInt8) -> Int? {
        switch pattern[p] {
        case UInt8(ascii: "?"): return p + 1
        case UInt8(ascii: "\\") where p + 1 < pattern.count: return pattern[p + 1] == byte ? p + 2 : nil
        case UInt8(ascii: "["):
            var i = p + 1
            let negated = i < pattern.count && pattern[i] == UInt8(ascii: "^")
            if negated { i += 1 }
            var matched = false
            while i < pattern.count, pattern[i] != UInt8(ascii: "]") {
                if pattern[i] == UInt8(ascii: "\\"), i + 1 < pattern.count {
                    matched = matched || pattern[i + 1] == byte
                    i += 2
                } else if i + 2 < pattern.count, pattern[i + 1] == UInt8(ascii: "-"), pattern[i + 2] != UInt8(ascii: "]") {
                    let low = min(pattern[i], pattern[i + 2]), high = max(pattern[i], pattern[i + 2])
                    matched = matched || (low...high).contains(byte)
                    i += 3
                } else {
                    matched = matched || pattern[i] == byte
                    i += 1
                }
            }
            guard i < pattern.count else { return pattern[p] == byte ? p + 1 : nil } // no closing ]: a literal [
            return matched != negated ? i + 1 : nil
        default: return pattern[p] == byte ? p + 1 : nil
        }
    }

    /// The words a key's pattern may show: its first segment, and its second when the key has a
    /// third; nil for a segment that could be an identifier, an e-mail address or a phone number.
    /// `RedisKeySampler` shows the second only when few distinct ones follow the first (`bull:emails:*`
    /// for a handful of queues, never `cache:<user name>:*`).
    struct Segments: Hashable {
        var first: String?
        var second: String?
        var hasPrefix: Bool
    }

    static func segments(of key: [UInt8]) -> Segments {
        let parts = key.split(separator: UInt8(ascii: ":"), maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count > 1 else { return Segments(first: nil, second: nil, hasPrefix: false) }
        guard isWord(parts[0]) else { return Segments(first: nil, second: nil, hasPrefix: true) }
        let second = parts.count > 2 && isWord(parts[1]) && !parts[1].contains(where: isDigit)
            ? String(decoding: parts[1], as: UTF8.self) : nil
        return Segments(first: String(decoding: parts[0], as: UTF8.self), second: second, hasPrefix: true)
    }

    static func pattern(_ segments: Segments, showSecond: Bool) -> String {
        guard segments.hasPrefix else { return "(keys without a `:` prefix)" }
        guard let first = segments.first else { return "(keys with an unnamed prefix)" }
        if showSecond, let second = segments.second { return "\(first):\(second):*" }
        return "\(first):*"
    }

    /// Starts with a letter; letters, digits, `_` and `-` only; at most 32 bytes; no run of four
    /// digits (an id or a phone number).
    private static func isWord(_ segment: ArraySlice<UInt8>) -> Bool {
        guard let first = segment.first, segment.count <= 32, isLetter(first) else { return false }
        var digits = 0
        for byte in segment {
            guard isLetter(byte) || isDigit(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") else {
                return false
            }
            digits = isDigit(byte) ? digits + 1 : 0
            if digits >= 4 { return false }
        }
        return true
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
}
