/// A statement's text as fixes and baseline fingerprints compare it.
enum NormalizedStatement {
    /// `--` comments dropped, runs of white space made one space. (Baseline fingerprints hash this
    /// text: it must not change.) ASCII text without carriage returns, nearly every statement, is
    /// done byte by byte; anything else by `Character`s, where `\r\n` and combining marks are single
    /// characters that are neither a line break nor white space.
    static func text(_ statement: String) -> String {
        var text = statement
        let fast = text.withUTF8 { bytes -> String? in
            guard !bytes.contains(where: { $0 >= 0x80 || $0 == UInt8(ascii: "\r") }) else { return nil }
            func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
            var result: [UInt8] = []
            result.reserveCapacity(bytes.count)
            var lineStart = 0
            while lineStart < bytes.count {
                var lineEnd = lineStart
                while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
                var cursor = lineStart
                while cursor < lineEnd, isBlank(bytes[cursor]) { cursor += 1 }
                let isComment = lineEnd - cursor >= 2 && bytes[cursor] == UInt8(ascii: "-") && bytes[cursor + 1] == UInt8(ascii: "-")
                while !isComment, cursor < lineEnd {
                    if isBlank(bytes[cursor]) { cursor += 1; continue }
                    var wordEnd = cursor
                    while wordEnd < lineEnd, !isBlank(bytes[wordEnd]) { wordEnd += 1 }
                    if !result.isEmpty { result.append(UInt8(ascii: " ")) }
                    result.append(contentsOf: bytes[cursor..<wordEnd])
                    cursor = wordEnd
                }
                lineStart = lineEnd + 1
            }
            return String(decoding: result, as: UTF8.self)
        }
        return fast ?? byCharacters(statement)
    }

    static func byCharacters(_ statement: String) -> String {
        statement.split(separator: "\n").map { line -> Substring in
            line.drop { $0 == " " || $0 == "\t" }.hasPrefix("--") ? "" : line
        }.joined(separator: " ").split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
    }
}
