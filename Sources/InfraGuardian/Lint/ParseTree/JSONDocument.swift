/// libpg_query's parse tree as JSON, indexed in one pass into a flat "tape" of entries.
///
/// Why not JSONSerialization/JSONDecoder: a 4 MB migration corpus becomes tens of MB of JSON, and
/// building NSDictionary/Codable trees from it costs more than PostgreSQL's parser itself. The tape
/// keeps the bytes and records, for each value, its kind, its byte range and where its subtree ends;
/// strings and numbers are decoded only when a rule asks for them.
public final class JSONDocument: Sendable {
    enum Kind: UInt8 { case object, array, string, number, trueValue, falseValue, null }

    /// 8 bytes: the kind and the escape flag live in the top bits of `packedStart` (a document
    /// is at most 256 MB; a larger one is left unindexed and reads as empty), and `link` is the end
    /// of a container's subtree or the end of a string's or number's bytes (a leaf's subtree
    /// always ends at the next index, so it needs no field of its own).
    struct Entry: Sendable {
        var packedStart: UInt32
        var link: UInt32

        init(kind: Kind, escaped: Bool, start: Int, end: Int, next: Int) {
            packedStart = UInt32(start) | UInt32(kind.rawValue) << 29 | (escaped ? 1 << 28 : 0)
            link = UInt32(kind == .object || kind == .array ? next : end)
        }

        var kind: Kind { Kind(rawValue: UInt8(packedStart >> 29)) ?? .null }
        /// The string has backslash escapes and must be unescaped when decoded.
        var escaped: Bool { packedStart & (1 << 28) != 0 }
        /// Strings: first content byte; numbers: first byte; containers: the opening brace.
        var start: Int { Int(packedStart & (1 << 28 - 1)) }
        /// Strings and numbers: one past the last content byte.
        var end: UInt32 { link }
        /// Tape index just after the subtree of this entry, which sits at `index`.
        func next(at index: Int) -> Int {
            packedStart >> 29 <= Kind.array.rawValue ? Int(link) : index + 1
        }
    }

    static let maximumSize = 1 << 28

    /// The JSON text (a copy of libpg_query's buffer) and its index: both owned, never changed.
    let bytes: [UInt8]
    let tape: [Entry]

    /// Indexes `bytes`; malformed input yields a shorter tape (missing values read as null), never a trap.
    public init(bytes: [UInt8]) {
        self.bytes = bytes
        tape = bytes.count < Self.maximumSize ? Self.index(bytes) : []
    }

    public var root: JSONValue { JSONValue(document: tape.isEmpty ? nil : self, index: 0) }

    /// One pass over the bytes: this runs over every byte libpg_query writes (tens of MB for a
    /// large corpus), so it builds only the flat tape.
    private static func index(_ bytes: [UInt8]) -> [Entry] {
        let count = bytes.count
        guard count > 0 else { return [] }
        var tape: [Entry] = []
        tape.reserveCapacity(count / 6 + 16)
        var open: [Int] = []
        open.reserveCapacity(64)
        var i = 0
        while i < count {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "\""):
                var j = i + 1
                var escaped = false
                while j < count {
                    let c = bytes[j]
                    if c == UInt8(ascii: "\"") { break }
                    if c == UInt8(ascii: "\\") { escaped = true; j += 2 } else { j += 1 }
                }
                let end = min(j, count)
                // `"location":123` (a token's offset, on nearly every node; one key in seven) is
                // left out of the tape: no rule reads it, and member lookups skip fewer keys.
                if end - i - 1 == 8, end + 2 < count, bytes[end + 1] == UInt8(ascii: ":"),
                   bytes[(i + 1)..<end].elementsEqual(locationKey), isNumberStart(bytes[end + 2]) {
                    var k = end + 3
                    while k < count, isNumberByte(bytes[k]) { k += 1 }
                    i = k
                    continue
                }
                tape.append(Entry(kind: .string, escaped: escaped, start: i + 1, end: end, next: tape.count + 1))
                i = end + 1
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                open.append(tape.count)
                tape.append(Entry(kind: byte == UInt8(ascii: "{") ? .object : .array, escaped: false, start: i, end: 0, next: 0))
                i += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if let index = open.popLast() { tape[index].link = UInt32(tape.count) }
                i += 1
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                let kind: Kind = byte == UInt8(ascii: "t") ? .trueValue : byte == UInt8(ascii: "f") ? .falseValue : .null
                tape.append(Entry(kind: kind, escaped: false, start: i, end: i, next: tape.count + 1))
                i += kind == .falseValue ? 5 : 4
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                var j = i + 1
                while j < count, isNumberByte(bytes[j]) { j += 1 }
                tape.append(Entry(kind: .number, escaped: false, start: i, end: j, next: tape.count + 1))
                i = j
            default:
                i += 1 // whitespace, ':' and ','
            }
        }
        for index in open { tape[index].link = UInt32(tape.count) }
        return tape
    }

    private static let locationKey = Array("location".utf8)

    private static func isNumberStart(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "-") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
    }
}
