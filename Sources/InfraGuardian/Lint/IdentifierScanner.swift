import CPgQuery

/// Identifiers as PostgreSQL's scanner sees them, before it truncates them to NAMEDATALEN - 1
/// (63) bytes. The parse tree only holds the truncated name, so the long one is read from the
/// tokens of `pg_query_scan`, whose result is a protobuf `ScanResult` (decoded here: two small
/// messages, no need for a protobuf library).
enum IdentifierScanner {
    /// PostgreSQL keeps this many bytes of an identifier (NAMEDATALEN - 1).
    static let maximumBytes = 63

    struct Identifier: Equatable {
        /// The name as PostgreSQL stores it before truncation (unquoted names folded to lower case).
        var name: String
        var byteCount: Int { name.utf8.count }
        /// Byte offset of the token in the scanned text.
        var offset: Int
    }

    /// Identifiers longer than 63 bytes in `text`. The scanner runs only when the text could hold
    /// one (a long run of name characters, or a double quote), which skips nearly every statement.
    static func longIdentifiers(in text: String) -> [Identifier] {
        let candidate = text.utf8.withContiguousStorageIfAvailable(mightHoldLongIdentifier) ?? mightHoldLongIdentifier(Array(text.utf8))
        guard candidate else { return [] }
        let bytes = Array(text.utf8)
        return identifierTokens(bytes[...]).compactMap { range in
            let identifier = Identifier(name: name(of: bytes[range]), offset: range.lowerBound)
            return identifier.byteCount > maximumBytes ? identifier : nil
        }
    }

    /// What PostgreSQL keeps of `name`: 63 bytes, cut at a character boundary (`pg_mbcliplen`).
    static func truncated(_ name: String) -> String {
        var result = ""
        var bytes = 0
        for character in name.unicodeScalars {
            let size = String(character).utf8.count
            if bytes + size > maximumBytes { break }
            result.unicodeScalars.append(character)
            bytes += size
        }
        return result
    }

    /// A cheap filter before the scanner: a run of more than 63 name bytes, or a double quote outside
    /// a '…' literal (JSON in string literals is common and holds no identifier). Conservative: a
    /// wrong guess only costs a scan.
    private static func mightHoldLongIdentifier<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> Bool {
        var run = 0
        var inLiteral = false, escapes = false, escaped = false
        var previous: UInt8 = 0
        for byte in bytes {
            defer { previous = byte }
            if inLiteral {
                if escaped { escaped = false } else if escapes && byte == UInt8(ascii: "\\") { escaped = true }
                else if byte == UInt8(ascii: "'") { inLiteral = false }
                run = 0
                continue
            }
            if byte == UInt8(ascii: "'") {
                // E'…' strings take backslash escapes; '' inside a literal closes and reopens it.
                inLiteral = true
                escapes = previous | 0x20 == UInt8(ascii: "e")
                run = 0
                continue
            }
            if byte == UInt8(ascii: "\"") { return true }
            let nameByte = byte >= 0x80 || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$")
                || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            run = nameByte ? run + 1 : 0
            if run > maximumBytes { return true }
        }
        return false
    }

    /// `"Quoted ""name"""` → `Quoted "name"`; unquoted → lower-cased (ASCII only, as PostgreSQL
    /// does for multibyte encodings). `U&"…"` escapes are left as written.
    private static func name(of token: ArraySlice<UInt8>) -> String {
        let text = String(decoding: token, as: UTF8.self)
        var body = Substring(text)
        if body.hasPrefix("U&") || body.hasPrefix("u&") { body = body.dropFirst(2) }
        if body.hasPrefix("\""), body.hasSuffix("\""), body.count >= 2 {
            return body.dropFirst().dropLast().replacingOccurrences(of: "\"\"", with: "\"")
        }
        let folded = token.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 + 32 : $0 }
        return String(decoding: folded, as: UTF8.self)
    }

    // MARK: - pg_query_scan

    /// Plain and `U&` identifiers, as libpg_query's own `Token` enum numbers them.
    private static let identifierTokenKinds: Set<UInt64> = [UInt64(PG_QUERY__TOKEN__IDENT.rawValue),
                                                            UInt64(PG_QUERY__TOKEN__UIDENT.rawValue)]

    /// Byte ranges of the identifier tokens (keywords used as names are short, and left out).
    static func identifierTokens(_ bytes: ArraySlice<UInt8>) -> [Range<Int>] {
        PgQuery.withCString(bytes) { pointer in
            let result = pg_query_scan(pointer)
            defer { pg_query_free_scan_result(result) }
            guard result.error == nil, let data = result.pbuf.data else { return [] }
            let buffer = UnsafeRawBufferPointer(start: data, count: Int(result.pbuf.len))
            var ranges: [Range<Int>] = []
            var reader = ProtobufReader(buffer[...])
            // ScanResult: 1 version, 2 repeated ScanToken.
            while let (field, value) = reader.next() {
                guard field == 2, case .bytes(let message) = value else { continue }
                var token = ProtobufReader(message)
                var start = 0, end = 0, kind: UInt64 = 0, keyword: UInt64 = 0
                // ScanToken: 1 start, 2 end, 4 token, 5 keyword_kind.
                while let (tokenField, tokenValue) = token.next() {
                    guard case .varint(let number) = tokenValue else { continue }
                    switch tokenField {
                    case 1: start = Int(number)
                    case 2: end = Int(number)
                    case 4: kind = number
                    case 5: keyword = number
                    default: break
                    }
                }
                if identifierTokenKinds.contains(kind), keyword == 0, start < end, end <= bytes.count {
                    ranges.append(start..<end)
                }
            }
            return ranges
        }
    }
}

/// Just enough of the protobuf wire format to read `ScanResult`.
private struct ProtobufReader {
    enum Value {
        case varint(UInt64)
        case bytes(Slice<UnsafeRawBufferPointer>)
        case other
    }

    private var data: Slice<UnsafeRawBufferPointer>

    init(_ data: Slice<UnsafeRawBufferPointer>) { self.data = data }

    /// The next field, or nil at the end or on malformed input.
    mutating func next() -> (field: UInt64, value: Value)? {
        guard let key = varint() else { return nil }
        switch key & 7 {
        case 0:
            return varint().map { (key >> 3, .varint($0)) }
        case 2:
            guard let length = varint(), length <= UInt64(data.count) else { return nil }
            let bytes = data.prefix(Int(length))
            data = data.dropFirst(Int(length))
            return (key >> 3, .bytes(bytes))
        case 1, 5:
            let size = key & 7 == 1 ? 8 : 4
            guard data.count >= size else { return nil }
            data = data.dropFirst(size)
            return (key >> 3, .other)
        default:
            return nil
        }
    }

    private mutating func varint() -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while let byte = data.first, shift < 64 {
            data = data.dropFirst()
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        return nil
    }
}
