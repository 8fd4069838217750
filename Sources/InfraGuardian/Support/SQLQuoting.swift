import Foundation

/// `quote_ident`: double quotes unless the name is a plain lower-case identifier. Reserved words
/// would need quotes too; quoting them is always safe, so the common ones are quoted. By bytes: fix
/// texts quote every name they write.
func quoteIdentifier(_ name: String) -> String {
    let bytes = name.utf8
    let plain = bytes.first.map { $0 == UInt8(ascii: "_") || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) } == true
        && bytes.allSatisfy { byte in
            byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$") || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        }
    return plain && !reservedWords.contains(name) ? name : "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

private let reservedWords: Set<String> = ["user", "order", "group", "table", "select", "where", "from", "limit", "offset",
                                          "default", "check", "column", "constraint", "primary", "references", "end", "desc", "asc"]

/// `quote_literal`: single quotes doubled, and the `E''` form when the text holds a backslash.
func quoteLiteral(_ text: String) -> String {
    let doubled = text.replacingOccurrences(of: "'", with: "''")
    return text.contains("\\") ? "E'" + doubled.replacingOccurrences(of: "\\", with: "\\\\") + "'" : "'" + doubled + "'"
}
