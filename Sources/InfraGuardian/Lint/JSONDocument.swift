/// libpg_query's parse tree as JSON, indexed in one pass into a flat "tape" of entries.
///
/// Why not JSONSerialization/JSONDecoder: a 4 MB migration corpus becomes tens of MB of JSON, and
/// building NSDictionary/Codable trees from it costs more than PostgreSQL's parser itself. The tape
/// keeps the bytes and records, for each value, its kind, its byte range and where its subtree ends;
/// strings and numbers are decoded only when a rule asks for them.
public final class JSONDocument: @unchecked Sendable {
    enum Kind: UInt8 { case object, array, string, number, trueValue, falseValue, null }

    /// 8 bytes: the kind and the escape flag live in the top bits of `packedStart` (a document
    /// is at most 256 MB; a larger one is left unindexed and reads as empty), and `link` is the end
    /// of a container's subtree or the end of a string's or number's bytes (a leaf's subtree
    /// always ends at the next index, so it needs no field of its own).
    struct Entry {
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

    /// The JSON text: either libpg_query's own buffer (freed with the document, no copy) or a copy.
    let bytes: UnsafeBufferPointer<UInt8>
    let tape: UnsafeBufferPointer<Entry>
    /// What `JSONValue`s point at: both buffers, in memory of the document's own.
    private let tree: UnsafeMutablePointer<JSONTree>
    private let release: () -> Void

    /// Indexes `bytes`; malformed input yields a shorter tape (missing values read as null), never a trap.
    public convenience init(bytes: [UInt8]) {
        let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        _ = copy.initialize(from: bytes)
        self.init(UnsafeBufferPointer(rebasing: copy[0..<bytes.count]), release: { copy.deallocate() })
    }

    /// Takes `bytes` as they are; `release` frees them when the document goes away.
    init(_ bytes: UnsafeBufferPointer<UInt8>, release: @escaping () -> Void) {
        self.bytes = bytes
        self.release = release
        self.tape = bytes.count < Self.maximumSize ? Self.index(bytes) : UnsafeBufferPointer(start: nil, count: 0)
        tree = UnsafeMutablePointer<JSONTree>.allocate(capacity: 1)
        tree.initialize(to: JSONTree(bytes: bytes, tape: tape))
    }

    deinit {
        tree.deinitialize(count: 1)
        tree.deallocate()
        tape.deallocate()
        release()
    }

    public var root: JSONValue { JSONValue(tree: tape.isEmpty ? nil : UnsafePointer(tree), index: 0) }

    /// One pass over the bytes with raw pointers: this runs over every byte libpg_query writes
    /// (tens of MB for a large corpus), so it avoids bounds checks and growth checks per value.
    private static func index(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<Entry> {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return UnsafeBufferPointer(start: nil, count: 0) }
        let count = bytes.count
        // Every value starts with at least one byte plus a separator, so count / 2 + 1 entries is
        // an upper bound; the array is sized by a first cheap estimate and grown when needed.
        var capacity = count / 6 + 16
        var tape = UnsafeMutablePointer<Entry>.allocate(capacity: capacity)
        var used = 0
        var open: [Int] = []
        open.reserveCapacity(64)
        @inline(__always) func push(_ entry: Entry) {
            if used == capacity {
                let larger = UnsafeMutablePointer<Entry>.allocate(capacity: capacity * 2)
                larger.moveInitialize(from: tape, count: used)
                tape.deallocate()
                tape = larger
                capacity *= 2
            }
            (tape + used).initialize(to: entry)
            used += 1
        }
        var i = 0
        while i < count {
            let byte = base[i]
            switch byte {
            case UInt8(ascii: "\""):
                var j = i + 1
                var escaped = false
                while j < count {
                    // Eight bytes at a time up to the first quote or backslash (most strings
                    // are keys of a few bytes: one or two steps).
                    if j + 8 <= count {
                        let word = UInt64(littleEndian: UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self))
                        let found = Self.zeroBytes(word ^ Self.quotes) | Self.zeroBytes(word ^ Self.backslashes)
                        if found == 0 { j += 8; continue }
                        j += found.trailingZeroBitCount / 8
                    }
                    let c = base[j]
                    if c == UInt8(ascii: "\"") { break }
                    if c == UInt8(ascii: "\\") { escaped = true; j += 2 } else { j += 1 }
                }
                let end = min(j, count)
                // `"location":123` (a token's offset, on nearly every node; one key in seven) is
                // left out of the tape: no rule reads it, and member lookups skip fewer keys.
                if end - i - 1 == 8, end + 2 < count, base[end + 1] == UInt8(ascii: ":"),
                   UInt64(littleEndian: UnsafeRawPointer(base + i + 1).loadUnaligned(as: UInt64.self)) == Self.locationWord,
                   Self.isNumberStart(base[end + 2]) {
                    var k = end + 3
                    while k < count, Self.isNumberByte(base[k]) { k += 1 }
                    i = k
                    continue
                }
                push(Entry(kind: .string, escaped: escaped, start: i + 1, end: end, next: used + 1))
                i = end + 1
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                open.append(used)
                push(Entry(kind: byte == UInt8(ascii: "{") ? .object : .array, escaped: false, start: i, end: 0, next: 0))
                i += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if let index = open.popLast() { tape[index].link = UInt32(used) }
                i += 1
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                let kind: Kind = byte == UInt8(ascii: "t") ? .trueValue : byte == UInt8(ascii: "f") ? .falseValue : .null
                push(Entry(kind: kind, escaped: false, start: i, end: i, next: used + 1))
                i += kind == .falseValue ? 5 : 4
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                var j = i + 1
                while j < count, Self.isNumberByte(base[j]) { j += 1 }
                push(Entry(kind: .number, escaped: false, start: i, end: j, next: used + 1))
                i = j
            default:
                i += 1 // whitespace, ':' and ','
            }
        }
        for index in open { tape[index].link = UInt32(used) }
        return UnsafeBufferPointer(start: tape, count: used)
    }

    /// `location` as a little-endian word (its first byte lowest), eight quotes and eight
    /// backslashes: compared a word at a time.
    private static let locationWord: UInt64 = 0x6E6F_6974_6163_6F6C
    private static let quotes: UInt64 = 0x2222_2222_2222_2222
    private static let backslashes: UInt64 = 0x5C5C_5C5C_5C5C_5C5C

    /// The high bit of each zero byte of `word`, and possibly of bytes above the first zero byte
    /// (a borrow): the lowest set bit always marks the first zero byte exactly.
    @inline(__always) private static func zeroBytes(_ word: UInt64) -> UInt64 {
        (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
    }

    private static func isNumberStart(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "-") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
    }
}

/// A document's bytes and tape, as `JSONValue` reads them (plain pointers: no reference counting).
struct JSONTree {
    typealias Entry = JSONDocument.Entry
    let bytes: UnsafeBufferPointer<UInt8>
    let tape: UnsafeBufferPointer<JSONDocument.Entry>
}
