/// An index's key as PostgreSQL prints it (`pg_get_indexdef`): every key column with its collation,
/// its operator class when not the default, `DESC` and `NULLS` order, expressions, then INCLUDE,
/// options and the partial predicate. Messages show it whole; duplicate and redundant checks compare it.
struct IndexKey: Equatable {
    /// One key column: `email`, `lower(email) text_pattern_ops`, `created_at DESC NULLS LAST`.
    struct Column: Equatable {
        /// The column or expression with its collation and operator class (the order words removed).
        var base: String
        var descending: Bool
        var nullsFirst: Bool

        /// The text PostgreSQL prints: the order words only where they differ from the default.
        var text: String {
            var text = base
            if descending { text += " DESC" }
            if nullsFirst != descending { text += nullsFirst ? " NULLS FIRST" : " NULLS LAST" }
            return text
        }

        var reversed: Column { Column(base: base, descending: !descending, nullsFirst: !nullsFirst) }

        init(base: String, descending: Bool, nullsFirst: Bool) {
            self.base = base
            self.descending = descending
            self.nullsFirst = nullsFirst
        }

        init(_ text: String) {
            var rest = Substring(text)
            var nulls: Bool?
            if rest.hasSuffix(" NULLS FIRST") { nulls = true; rest = rest.dropLast(" NULLS FIRST".count) }
            else if rest.hasSuffix(" NULLS LAST") { nulls = false; rest = rest.dropLast(" NULLS LAST".count) }
            descending = rest.hasSuffix(" DESC")
            if descending { rest = rest.dropLast(" DESC".count) }
            base = String(rest)
            nullsFirst = nulls ?? descending
        }
    }

    /// `btree`, `hnsw`...
    var method: String
    var columns: [Column]
    /// What follows the key list: ` INCLUDE (...)`, ` NULLS NOT DISTINCT`, ` WITH (...)`, ` WHERE ...`.
    var tail: String

    /// `btree (email DESC) WHERE (deleted_at IS NULL)`.
    var text: String {
        "\(method) (\(columns.map(\.text).joined(separator: ", ")))\(tail)"
    }

    /// Read from the definition; nil when there is none (fixtures) or it does not have the shape
    /// `... USING method (keys) ...` that `pg_get_indexdef` prints.
    init?(definition: String) {
        let bytes = Array(definition.utf8)
        guard let using = Self.find(" USING ", in: bytes, from: 0),
              let open = bytes[(using + 7)...].firstIndex(of: UInt8(ascii: "(")),
              let close = Self.closingParenthesis(bytes, open) else { return nil }
        method = String(decoding: bytes[(using + 7)..<open], as: UTF8.self).trimmingCharacters(in: .whitespaces)
        guard !method.isEmpty, !method.contains(" ") else { return nil }
        columns = Self.splitTopLevel(bytes[(open + 1)..<close]).map(Column.init)
        tail = String(decoding: bytes[(close + 1)...], as: UTF8.self)
        guard !columns.isEmpty else { return nil }
    }

    init(method: String, columns: [Column], tail: String) {
        self.method = method
        self.columns = columns
        self.tail = tail
    }

    /// The key of `index`: from its definition, or (snapshots without one) from its column names,
    /// operator classes left out since their defaults are unknown here.
    static func of(_ index: Index) -> IndexKey {
        if let key = IndexKey(definition: index.definition) { return key }
        return IndexKey(method: index.method,
                        columns: index.columns.map { Column(base: $0, descending: false, nullsFirst: false) },
                        tail: index.predicate.map { " WHERE \($0)" } ?? "")
    }

    /// The key columns in one scan direction: a btree scanned backwards serves the reversed order, so
    /// `(a DESC, b DESC)` and `(a, b)` answer the same queries. Other methods keep their order.
    func normalizedColumns(_ count: Int? = nil) -> [Column] {
        let prefix = Array(columns.prefix(count ?? columns.count))
        guard method == "btree", prefix.first?.descending == true else { return prefix }
        return prefix.map(\.reversed)
    }

    /// Index of the first unquoted occurrence of `needle`.
    private static func find(_ needle: String, in bytes: [UInt8], from start: Int) -> Int? {
        let target = Array(needle.utf8)
        var quoted = false
        var index = start
        while index + target.count <= bytes.count {
            if bytes[index] == UInt8(ascii: "\"") { quoted.toggle() }
            if !quoted, bytes[index..<(index + target.count)].elementsEqual(target) { return index }
            index += 1
        }
        return nil
    }

    /// The parenthesis closing the one at `open`, outside quoted identifiers and string literals.
    private static func closingParenthesis(_ bytes: [UInt8], _ open: Int) -> Int? {
        var depth = 0
        var quote: UInt8?
        for index in open..<bytes.count {
            let byte = bytes[index]
            if let current = quote {
                if byte == current { quote = nil }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = byte
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"):
                depth -= 1
                if depth == 0 { return index }
            default: break
            }
        }
        return nil
    }

    /// Comma-separated parts at parenthesis depth 0, outside quotes.
    private static func splitTopLevel(_ bytes: ArraySlice<UInt8>) -> [String] {
        var parts: [String] = []
        var depth = 0
        var quote: UInt8?
        var start = bytes.startIndex
        for index in bytes.indices {
            let byte = bytes[index]
            if let current = quote {
                if byte == current { quote = nil }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = byte
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"): depth -= 1
            case UInt8(ascii: ",") where depth == 0:
                parts.append(String(decoding: bytes[start..<index], as: UTF8.self).trimmingCharacters(in: .whitespaces))
                start = index + 1
            default: break
            }
        }
        parts.append(String(decoding: bytes[start..<bytes.endIndex], as: UTF8.self).trimmingCharacters(in: .whitespaces))
        return parts.filter { !$0.isEmpty }
    }
}
