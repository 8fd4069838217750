/// A position in a `JSONDocument`. Missing keys and indexes give `.missing`, so lookups chain
/// without optionals: `node[.relation][.relname].string` (names typed in ParseTreeAccess.swift).
///
/// A value keeps its document alive: it can be stored and passed anywhere.
public struct JSONValue: Sendable {
    let document: JSONDocument?
    let index: Int

    public static let missing = JSONValue(document: nil, index: 0)

    private var entry: JSONDocument.Entry? {
        guard let document, index < document.tape.count else { return nil }
        return document.tape[index]
    }

    public var exists: Bool { entry != nil && entry?.kind != .null }
    public var isObject: Bool { entry?.kind == .object }
    public var isArray: Bool { entry?.kind == .array }

    /// The member named `key` of an object (rules use the typed `[PG.Field]` and `node(_:)`).
    subscript(member key: String) -> JSONValue {
        guard let document, let member = document.member(of: index, named: key) else { return .missing }
        return JSONValue(document: document, index: member)
    }

    /// True when this is a string equal to `literal`, compared without decoding the string
    /// (rules use the typed `equals(_:)`; option names and identifiers are compared with this).
    func isString(_ literal: String) -> Bool {
        guard let document else { return false }
        return document.stringEquals(at: index, literal)
    }

    /// The element at `position` of an array.
    public subscript(position: Int) -> JSONValue { array[position] }

    /// Elements of an array (none for anything else: libpg_query omits empty lists), read from the
    /// tape as they are iterated: no array is built (rules walk tens of thousands of lists).
    public var array: JSONElements {
        guard let entry, entry.kind == .array else { return JSONElements(document: nil, start: 0, end: 0) }
        return JSONElements(document: document, start: index + 1, end: entry.next(at: index))
    }

    /// Members of an object, in document order.
    public var members: [(key: String, value: JSONValue)] {
        guard let document, let entry, entry.kind == .object else { return [] }
        var result: [(key: String, value: JSONValue)] = []
        var child = index + 1
        let end = entry.next(at: index)
        while child + 1 < end {
            result.append((document.string(at: child), JSONValue(document: document, index: child + 1)))
            child = document.tape[child + 1].next(at: child + 1)
        }
        return result
    }

    /// A parse-tree node is an object with one member, `{"ColumnDef": {...}}`: its name.
    var nodeKindName: String? {
        guard let document, let entry, entry.kind == .object, index + 1 < entry.next(at: index) else { return nil }
        return document.string(at: index + 1)
    }

    /// The body of a one-member node object (`{"ColumnDef": {...}}` → `{...}`).
    public var nodeBody: JSONValue {
        guard let entry, entry.kind == .object, index + 2 < entry.next(at: index) else { return .missing }
        return JSONValue(document: document, index: index + 2)
    }

    public var string: String? {
        guard let document, let entry, entry.kind == .string else { return nil }
        return document.string(at: index)
    }

    public var int: Int? {
        guard let document, let entry, entry.kind == .number else { return nil }
        var value = 0
        var sign = 1
        for offset in entry.start..<max(entry.start, Int(entry.end)) {
            let byte = document.bytes[offset]
            if byte == UInt8(ascii: "-") { sign = -1; continue }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value &* 10 &+ Int(byte - UInt8(ascii: "0"))
        }
        return sign * value
    }

    /// libpg_query leaves out false booleans, so a missing member reads as false.
    public var bool: Bool { entry?.kind == .trueValue }
}

extension JSONDocument {
    /// Tape index of the value of the member named `key` of the object at `index`.
    func member(of index: Int, named key: String) -> Int? {
        guard index < tape.count, tape[index].kind == .object else { return nil }
        // Native strings are contiguous; a bridged one is copied once.
        return key.utf8.withContiguousStorageIfAvailable { member(of: index, named: $0) }
            ?? Array(key.utf8).withUnsafeBufferPointer { member(of: index, named: $0) }
    }

    private func member(of index: Int, named key: UnsafeBufferPointer<UInt8>) -> Int? {
        // Keys are compared by length first (an escaped key's raw length may differ: those are
        // compared in full): most members are rejected without reading their bytes.
        let length = UInt32(key.count)
        guard let first = key.first else { return nil }
        var child = index + 1
        let end = min(tape[index].next(at: index), tape.count)
        while child + 1 < end {
            let entry = tape[child]
            // Same length and same first byte before the full comparison: keys of one node mostly differ there.
            if entry.escaped || (entry.end &- UInt32(entry.start) == length && entry.start < bytes.count && bytes[entry.start] == first),
               equals(entry, key) {
                return child + 1
            }
            child = tape[child + 1].next(at: child + 1)
        }
        return nil
    }

    func stringEquals(at index: Int, _ key: String) -> Bool {
        guard index < tape.count else { return false }
        return key.utf8.withContiguousStorageIfAvailable { equals(tape[index], $0) }
            ?? Array(key.utf8).withUnsafeBufferPointer { equals(tape[index], $0) }
    }

    private func equals(_ entry: Entry, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        guard entry.kind == .string else { return false }
        let start = entry.start, end = Int(entry.end)
        if entry.escaped {
            return Self.unescape(bytes[start..<end]) == String(decoding: key, as: UTF8.self)
        }
        guard end - start == key.count else { return false }
        for offset in key.indices where bytes[start + offset] != key[offset] { return false }
        return true
    }

    func string(at index: Int) -> String {
        let entry = tape[index]
        let start = entry.start, end = Int(entry.end)
        let raw = bytes[start..<max(start, end)]
        return entry.escaped ? Self.unescape(raw) : String(decoding: raw, as: UTF8.self)
    }

    private static func unescape(_ raw: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = raw.startIndex
        while i < raw.endIndex {
            let byte = raw[i]
            guard byte == UInt8(ascii: "\\"), i + 1 < raw.endIndex else { out.append(byte); i += 1; continue }
            let code = raw[i + 1]
            i += 2
            switch code {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                let end = min(i + 4, raw.endIndex)
                var scalar: UInt32 = 0
                for digit in raw[i..<end] { scalar = scalar << 4 | UInt32(hexValue(digit)) }
                i = end
                // Surrogate pairs only appear for characters outside the BMP; the replacement
                // character is fine for identifiers and messages.
                let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(Character(character)).utf8))
            default: out.append(code) // \" \\ \/
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8 {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return 0
        }
    }
}

/// The elements of a JSON array, in order (`JSONValue.array`).
public struct JSONElements: Sequence, Sendable {
    let document: JSONDocument?
    let start: Int
    let end: Int

    public struct Iterator: IteratorProtocol {
        let document: JSONDocument?
        var position: Int
        let end: Int

        public mutating func next() -> JSONValue? {
            guard let document, position < end, position < document.tape.count else { return nil }
            defer { position = document.tape[position].next(at: position) }
            return JSONValue(document: document, index: position)
        }
    }

    public func makeIterator() -> Iterator { Iterator(document: document, position: start, end: end) }

    public var isEmpty: Bool { document == nil || start >= end }

    public var count: Int { reduce(0) { count, _ in count + 1 } }

    /// The element at `position` (`.missing` past the end), found by walking from the first.
    public subscript(position: Int) -> JSONValue {
        guard position >= 0 else { return .missing }
        var remaining = position
        for element in self {
            if remaining == 0 { return element }
            remaining -= 1
        }
        return .missing
    }

    public var last: JSONValue? {
        var last: JSONValue?
        for element in self { last = element }
        return last
    }

    public var underestimatedCount: Int { isEmpty ? 0 : 1 }
}
