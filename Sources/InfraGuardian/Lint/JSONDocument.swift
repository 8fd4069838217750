/// libpg_query's parse tree as JSON, indexed in one pass into a flat "tape" of entries.
///
/// Why not JSONSerialization/JSONDecoder: a 4 MB migration corpus becomes tens of MB of JSON, and
/// building NSDictionary/Codable trees from it costs more than PostgreSQL's parser itself. The tape
/// keeps the bytes and records, for each value, its kind, its byte range and where its subtree ends;
/// strings and numbers are decoded only when a rule asks for them.
public final class JSONDocument: Sendable {
    enum Kind: UInt8 { case object, array, string, number, trueValue, falseValue, null }

    struct Entry {
        var kind: Kind
        /// The string has backslash escapes and must be unescaped when decoded.
        var escaped: Bool
        /// Strings: first content byte; numbers: first byte; containers: the opening brace.
        var start: UInt32
        /// Strings and numbers: one past the last content byte.
        var end: UInt32
        /// Tape index just after this value's subtree (siblings are reached by jumping here).
        var next: UInt32
    }

    let bytes: [UInt8]
    let tape: [Entry]

    /// Indexes `bytes`; malformed input yields a shorter tape (missing values read as null), never a trap.
    public init(bytes: [UInt8]) {
        self.bytes = bytes
        self.tape = Self.index(bytes)
    }

    public var root: JSONValue { JSONValue(document: tape.isEmpty ? nil : self, index: 0) }

    private static func index(_ bytes: [UInt8]) -> [Entry] {
        var tape: [Entry] = []
        tape.reserveCapacity(bytes.count / 6)
        var open: [Int] = []
        let count = bytes.count
        var i = 0
        while i < count {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                open.append(tape.count)
                tape.append(Entry(kind: byte == UInt8(ascii: "{") ? .object : .array, escaped: false,
                                  start: UInt32(i), end: 0, next: 0))
                i += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if let index = open.popLast() { tape[index].next = UInt32(tape.count) }
                i += 1
            case UInt8(ascii: "\""):
                var j = i + 1
                var escaped = false
                while j < count, bytes[j] != UInt8(ascii: "\"") {
                    if bytes[j] == UInt8(ascii: "\\") { escaped = true; j += 2 } else { j += 1 }
                }
                let end = min(j, count)
                tape.append(Entry(kind: .string, escaped: escaped, start: UInt32(i + 1), end: UInt32(end),
                                  next: UInt32(tape.count + 1)))
                i = end + 1
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                let kind: Kind = byte == UInt8(ascii: "t") ? .trueValue : byte == UInt8(ascii: "f") ? .falseValue : .null
                tape.append(Entry(kind: kind, escaped: false, start: UInt32(i), end: UInt32(i), next: UInt32(tape.count + 1)))
                i += kind == .falseValue ? 5 : 4
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                var j = i + 1
                while j < count, Self.isNumberByte(bytes[j]) { j += 1 }
                tape.append(Entry(kind: .number, escaped: false, start: UInt32(i), end: UInt32(j), next: UInt32(tape.count + 1)))
                i = j
            default:
                i += 1 // whitespace, ':' and ','
            }
        }
        for index in open { tape[index].next = UInt32(tape.count) }
        return tape
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
    }
}
