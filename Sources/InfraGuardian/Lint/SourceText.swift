import Foundation

/// A section's text as UTF-8 bytes, with what is needed to turn byte offsets into file positions
/// and to see comments (where waivers and documentation live; the parser discards them).
struct SourceText {
    let bytes: [UInt8]
    /// File line of the section's first line (dbmate: the line after `-- migrate:up`).
    let firstLine: Int
    private let lineStarts: [Int]
    /// Every `--` and `/* */` comment outside strings, in order.
    private(set) var comments: [SQLComment]

    init(_ text: String, firstLine: Int) {
        self.init(bytes: Array(text.utf8), firstLine: firstLine)
    }

    init(bytes: [UInt8], firstLine: Int) {
        self.bytes = bytes
        self.firstLine = firstLine
        lineStarts = LineStarts.of(bytes)
        comments = []
        comments = CommentScanner.comments(in: bytes).map { range in
            let position = self.position(of: range.lowerBound)
            let endLine = self.position(of: max(range.lowerBound, range.upperBound - 1)).line
            return SQLComment(text: Self.commentBody(bytes[range]), line: position.line, endLine: endLine,
                              column: position.column, byteRange: range)
        }
    }

    /// 1-based file line and 1-based column (in characters) of a byte offset.
    func position(of offset: Int) -> (line: Int, column: Int) {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        var column = 1
        var cursor = lineStarts[low]
        while cursor < min(offset, bytes.count) {
            if bytes[cursor] & 0xC0 != 0x80 { column += 1 }
            cursor += 1
        }
        return (firstLine + low, column)
    }

    func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[max(0, range.lowerBound)..<min(bytes.count, range.upperBound)], as: UTF8.self)
    }

    /// First byte at or after `offset` that is neither whitespace nor inside a comment.
    func skipTrivia(from offset: Int, to limit: Int) -> Int {
        var cursor = offset
        while cursor < limit {
            if isSpace(bytes[cursor]) { cursor += 1; continue }
            if let comment = comment(startingAt: cursor) { cursor = comment.byteRange.upperBound; continue }
            break
        }
        return min(cursor, limit)
    }

    /// One past the last byte before `offset` (going back to `floor`) that is neither whitespace nor comment.
    func trimTrivia(before offset: Int, floor: Int) -> Int {
        var cursor = offset
        while cursor > floor {
            if isSpace(bytes[cursor - 1]) { cursor -= 1; continue }
            if let comment = comment(endingAt: cursor), comment.byteRange.lowerBound >= floor {
                cursor = comment.byteRange.lowerBound
                continue
            }
            break
        }
        return cursor
    }

    private func comment(startingAt offset: Int) -> SQLComment? {
        let index = firstComment(atOrAfter: offset)
        return index < comments.count && comments[index].byteRange.lowerBound == offset ? comments[index] : nil
    }

    private func comment(endingAt offset: Int) -> SQLComment? {
        // A `--` comment's range ends before its newline, which the whitespace step consumed.
        let index = firstComment(atOrAfter: offset) - 1
        return index >= 0 && comments[index].byteRange.upperBound == offset ? comments[index] : nil
    }

    /// Index of the first comment starting at or after `offset` (binary search).
    func firstComment(atOrAfter offset: Int) -> Int {
        var low = 0, high = comments.count
        while low < high {
            let middle = (low + high) / 2
            if comments[middle].byteRange.lowerBound < offset { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// NUL counts as whitespace, as the parser reads it (see `PgQuery.withCString`).
    private func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D || byte == 0x0C || byte == 0
    }

    /// The comment without `--` or `/* */`, trimmed of whitespace and newlines. ASCII whitespace is
    /// trimmed on the bytes; Foundation is asked only when a non-ASCII character is at an end.
    private static func commentBody(_ raw: ArraySlice<UInt8>) -> String {
        var body = raw
        if body.starts(with: [0x2D, 0x2D]) { body = body.dropFirst(2) } else if body.starts(with: [0x2F, 0x2A]) {
            body = body.dropFirst(2)
            if body.count >= 2, body[body.endIndex - 2] == 0x2A, body.last == 0x2F { body = body.dropLast(2) }
        }
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D) }
        while let first = body.first, isSpace(first) { body = body.dropFirst() }
        while let last = body.last, isSpace(last) { body = body.dropLast() }
        let text = String(decoding: body, as: UTF8.self)
        guard let first = body.first, let last = body.last, first >= 0x80 || last >= 0x80 else { return text }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A comment in a migration, with its file position.
public struct SQLComment: Sendable, Equatable {
    /// The text without `--` or `/* */`, trimmed.
    public var text: String
    public var line: Int
    public var endLine: Int
    public var column: Int
    var byteRange: Range<Int>
}
