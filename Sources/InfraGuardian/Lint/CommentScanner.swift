/// Finds comments the way PostgreSQL's lexer does: not inside '…', E'…', "…" or $tag$…$tag$,
/// and with nested /* */ blocks. Waivers and documentation comments are read from its output.
enum CommentScanner {
    static func comments(in bytes: [UInt8]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        let count = bytes.count
        var i = 0
        while i < count {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "-") where i + 1 < count && bytes[i + 1] == UInt8(ascii: "-"):
                var j = i + 2
                while j < count, bytes[j] != 0x0A { j += 1 }
                var end = j
                if end > i, bytes[end - 1] == 0x0D { end -= 1 }
                result.append(i..<end)
                i = j
            case UInt8(ascii: "/") where i + 1 < count && bytes[i + 1] == UInt8(ascii: "*"):
                var depth = 1
                var j = i + 2
                while j < count, depth > 0 {
                    if bytes[j] == UInt8(ascii: "/"), j + 1 < count, bytes[j + 1] == UInt8(ascii: "*") { depth += 1; j += 2 }
                    else if bytes[j] == UInt8(ascii: "*"), j + 1 < count, bytes[j + 1] == UInt8(ascii: "/") { depth -= 1; j += 2 }
                    else { j += 1 }
                }
                result.append(i..<min(j, count))
                i = j
            case UInt8(ascii: "'"):
                let backslashEscapes = i > 0 && (bytes[i - 1] == UInt8(ascii: "E") || bytes[i - 1] == UInt8(ascii: "e"))
                i = endOfQuoted(bytes, from: i + 1, quote: byte, backslashEscapes: backslashEscapes)
            case UInt8(ascii: "\""):
                i = endOfQuoted(bytes, from: i + 1, quote: byte, backslashEscapes: false)
            case UInt8(ascii: "$"):
                i = endOfDollarQuoted(bytes, from: i)
            default:
                i += 1
            }
        }
        return result
    }

    /// Past the closing quote; a doubled quote is an escaped quote.
    private static func endOfQuoted(_ bytes: [UInt8], from start: Int, quote: UInt8, backslashEscapes: Bool) -> Int {
        var j = start
        while j < bytes.count {
            if backslashEscapes, bytes[j] == UInt8(ascii: "\\") { j += 2; continue }
            if bytes[j] == quote {
                if j + 1 < bytes.count, bytes[j + 1] == quote { j += 2; continue }
                return j + 1
            }
            j += 1
        }
        return bytes.count
    }

    /// `$tag$ … $tag$` (tag may be empty); `$1` and identifiers containing `$` are not quotes.
    private static func endOfDollarQuoted(_ bytes: [UInt8], from start: Int) -> Int {
        if start > 0, isIdentifierByte(bytes[start - 1]) { return start + 1 }
        var j = start + 1
        while j < bytes.count, isIdentifierByte(bytes[j]) {
            if j == start + 1, bytes[j] >= UInt8(ascii: "0"), bytes[j] <= UInt8(ascii: "9") { return start + 1 }
            j += 1
        }
        guard j < bytes.count, bytes[j] == UInt8(ascii: "$") else { return start + 1 }
        let tag = bytes[start...j]
        var k = j + 1
        while k + tag.count <= bytes.count {
            if bytes[k] == UInt8(ascii: "$"), bytes[k..<(k + tag.count)].elementsEqual(tag) { return k + tag.count }
            k += 1
        }
        return bytes.count
    }

    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_") || byte >= 0x80
    }
}
