import Foundation

/// Splits a migration file into its sections the way dbmate does: `-- migrate:up [options]` and
/// `-- migrate:down [options]` marker lines; a Supabase file is one up section run in a transaction,
/// a psql file one up section run statement by statement.
public enum MigrationFileParser {
    public static func parse(path: String, kind: MigrationKind, text: String) -> MigrationFile {
        let version = leadingDigits(of: PathName.last(of: path))
        var file = MigrationFile(path: path, kind: kind, version: version, contents: text)
        switch kind {
        case .supabase:
            file.up = MigrationSection(text: text, startLine: 1, transaction: true)
        case .psql:
            file.up = MigrationSection(text: text, startLine: 1, transaction: false)
        case .dbmate:
            let sections = dbmateSections(text)
            file.up = sections.up
            file.down = sections.down
        }
        return file
    }

    public static func leadingDigits(of name: String) -> String? {
        let digits = name.utf8.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        return digits.isEmpty ? nil : String(decoding: digits, as: UTF8.self)
    }

    private struct Marker {
        var isUp: Bool
        var line: Int
        var transaction: Bool
    }

    static func dbmateSections(_ text: String) -> (up: MigrationSection?, down: MigrationSection?) {
        // Byte scan for line starts: splitting the whole file into Strings was a large share of lint time.
        let bytes = Array(text.utf8)
        let lineStarts = LineStarts.of(bytes)
        func line(_ index: Int) -> ArraySlice<UInt8> {
            let start = lineStarts[index]
            var end = index + 1 < lineStarts.count ? lineStarts[index + 1] - 1 : bytes.count
            if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            return bytes[start..<max(start, end)]
        }
        var markers: [Marker] = []
        for index in lineStarts.indices {
            let start = lineStarts[index]
            // Markers are comment lines: skip any line whose first non-blank bytes are not `--`.
            var cursor = start
            while cursor < bytes.count, bytes[cursor] == UInt8(ascii: " ") || bytes[cursor] == UInt8(ascii: "\t") { cursor += 1 }
            guard cursor + 1 < bytes.count, bytes[cursor] == UInt8(ascii: "-"), bytes[cursor + 1] == UInt8(ascii: "-") else { continue }
            // Only lines holding `migrate:` can be markers: test the bytes before making a String.
            guard contains(Self.markerWord, in: bytes, from: cursor + 2, to: index + 1 < lineStarts.count ? lineStarts[index + 1] : bytes.count) else { continue }
            if let marker = marker(in: line(index), lineIndex: index) { markers.append(marker) }
        }
        var up: MigrationSection?
        var down: MigrationSection?
        for (position, marker) in markers.enumerated() {
            let endLine = position + 1 < markers.count ? markers[position + 1].line : lineStarts.count
            let bodyStart = marker.line + 1 < lineStarts.count ? lineStarts[marker.line + 1] : bytes.count
            let bodyEnd = endLine < lineStarts.count ? max(bodyStart, lineStarts[endLine] - 1) : bytes.count
            let body = String(decoding: bytes[bodyStart..<max(bodyStart, bodyEnd)], as: UTF8.self)
            let section = MigrationSection(text: body, startLine: marker.line + 2, transaction: marker.transaction)
            if marker.isUp, up == nil { up = section } else if !marker.isUp, down == nil { down = section }
        }
        return (up, down)
    }

    private static let markerWord = Array("migrate:".utf8)

    private static func contains(_ word: [UInt8], in bytes: [UInt8], from start: Int, to end: Int) -> Bool {
        guard end - start >= word.count else { return false }
        var offset = start
        while offset + word.count <= end {
            if bytes[offset] == word[0], bytes[offset..<(offset + word.count)].elementsEqual(word) { return true }
            offset += 1
        }
        return false
    }

    /// `-- migrate:up transaction:false` → an up marker without a transaction. Works on the line's
    /// bytes: Foundation's trimming and case mapping were most of the time spent splitting files.
    private static func marker(in line: ArraySlice<UInt8>, lineIndex: Int) -> Marker? {
        func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
            let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
            guard let first = bytes.firstIndex(where: { !isBlank($0) }),
                  let last = bytes.lastIndex(where: { !isBlank($0) }) else { return [] }
            return bytes[first...last]
        }
        let line = trimmed(line)
        guard line.starts(with: [UInt8(ascii: "-"), UInt8(ascii: "-")]) else { return nil }
        let words = trimmed(line.dropFirst(2)).split(separator: UInt8(ascii: " "), omittingEmptySubsequences: true)
        guard let first = words.first else { return nil }
        let isUp = first.elementsEqual("migrate:up".utf8)
        guard isUp || first.elementsEqual("migrate:down".utf8) else { return nil }
        let noTransaction = Array("transaction:false".utf8)
        let transaction = !words.dropFirst().contains { word in
            word.count == noTransaction.count && zip(word, noTransaction).allSatisfy { byte, expected in
                (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte) == expected
            }
        }
        return Marker(isUp: isUp, line: lineIndex, transaction: transaction)
    }
}
