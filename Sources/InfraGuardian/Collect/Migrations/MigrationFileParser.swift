import Foundation

/// Splits a migration file into its sections the way dbmate does: `-- migrate:up [options]` and
/// `-- migrate:down [options]` marker lines; a Supabase file is one up section run in a transaction.
public enum MigrationFileParser {
    public static func parse(path: String, kind: MigrationKind, text: String) -> MigrationFile {
        let version = leadingDigits(of: (path as NSString).lastPathComponent)
        var file = MigrationFile(path: path, kind: kind, version: version, contents: text,
                                 checksum: StableHash.hex(text))
        switch kind {
        case .supabase:
            file.up = MigrationSection(text: text, startLine: 1, transaction: true)
        case .dbmate:
            let sections = dbmateSections(text)
            file.up = sections.up
            file.down = sections.down
        }
        return file
    }

    public static func leadingDigits(of name: String) -> String? {
        let digits = name.prefix { $0.isASCII && $0.isNumber }
        return digits.isEmpty ? nil : String(digits)
    }

    private struct Marker {
        var isUp: Bool
        var line: Int
        var transaction: Bool
    }

    static func dbmateSections(_ text: String) -> (up: MigrationSection?, down: MigrationSection?) {
        // Byte scan for line starts: splitting the whole file into Strings was a large share of lint time.
        let bytes = Array(text.utf8)
        var lineStarts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") { lineStarts.append(offset + 1) }
        func line(_ index: Int) -> Substring {
            let start = lineStarts[index]
            var end = index + 1 < lineStarts.count ? lineStarts[index + 1] - 1 : bytes.count
            if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            return Substring(decoding: bytes[start..<max(start, end)], as: UTF8.self)
        }
        var markers: [Marker] = []
        for index in lineStarts.indices {
            let start = lineStarts[index]
            // Markers are comment lines: skip any line whose first non-blank bytes are not `--`.
            var cursor = start
            while cursor < bytes.count, bytes[cursor] == UInt8(ascii: " ") || bytes[cursor] == UInt8(ascii: "\t") { cursor += 1 }
            guard cursor + 1 < bytes.count, bytes[cursor] == UInt8(ascii: "-"), bytes[cursor + 1] == UInt8(ascii: "-") else { continue }
            if let marker = marker(in: String(line(index)), lineIndex: index) { markers.append(marker) }
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

    /// `-- migrate:up transaction:false` → an up marker without a transaction.
    private static func marker(in line: String, lineIndex: Int) -> Marker? {
        // Cheap byte test first: trimming every line through Foundation dominated lint time.
        guard line.utf8.contains(UInt8(ascii: ":")), line.contains("migrate:") else { return nil }
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("--") else { return nil }
        let rest = trimmed.dropFirst(2).trimmingCharacters(in: .whitespaces)
        let words = rest.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let first = words.first, first == "migrate:up" || first == "migrate:down" else { return nil }
        let transaction = !words.dropFirst().contains { $0.lowercased() == "transaction:false" }
        return Marker(isUp: first == "migrate:up", line: lineIndex, transaction: transaction)
    }
}
