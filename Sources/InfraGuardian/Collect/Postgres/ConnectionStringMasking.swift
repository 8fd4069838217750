/// Finds password values in the two libpq connection string syntaxes, by character ranges so that
/// everything around them is shown exactly as written.
enum ConnectionStringMasking {
    static let mask = "***"

    static func maskURL(_ url: String) -> String { replace(urlPasswordRanges(url), in: url) }

    static func maskKeywords(_ conninfo: String) -> String { replace(keywordPasswordRanges(conninfo), in: conninfo) }

    static func urlSecrets(_ url: String) -> [String] { urlPasswordRanges(url).map { String(url[$0]) } }

    static func keywordSecrets(_ conninfo: String) -> [String] {
        keywordPasswordRanges(conninfo).map { unquote(String(conninfo[$0])) }
    }

    /// `scheme://user:PASSWORD@host/db?password=PASSWORD&...`
    static func urlPasswordRanges(_ url: String) -> [Range<String.Index>] {
        var ranges: [Range<String.Index>] = []
        guard let schemeEnd = url.range(of: "://") else { return ranges }
        let query = url[schemeEnd.upperBound...].firstIndex(of: "?")
        let beforeQuery = url[schemeEnd.upperBound..<(query ?? url.endIndex)]
        // The last "@" before the query: an unencoded "@" or "/" in a password then stays masked.
        if let at = beforeQuery.lastIndex(of: "@"),
           let colon = url[schemeEnd.upperBound..<at].firstIndex(of: ":") {
            ranges.append(url.index(after: colon)..<at)
        }
        if let query {
            var start = url.index(after: query)
            while start < url.endIndex {
                let end = url[start...].firstIndex(of: "&") ?? url.endIndex
                let pair = url[start..<end]
                if let equals = pair.firstIndex(of: "="),
                   pair[pair.startIndex..<equals].lowercased() == "password" {
                    ranges.append(url.index(after: equals)..<end)
                }
                start = end < url.endIndex ? url.index(after: end) : end
            }
        }
        return ranges
    }

    /// `host=h password=PASSWORD`, `password = 'PASS word'` (quotes and backslash escapes as libpq reads them).
    static func keywordPasswordRanges(_ conninfo: String) -> [Range<String.Index>] {
        var ranges: [Range<String.Index>] = []
        var index = conninfo.startIndex
        func skipSpaces() { while index < conninfo.endIndex, conninfo[index].isWhitespace { index = conninfo.index(after: index) } }
        while index < conninfo.endIndex {
            skipSpaces()
            let keyStart = index
            while index < conninfo.endIndex, conninfo[index] != "=", !conninfo[index].isWhitespace {
                index = conninfo.index(after: index)
            }
            let key = conninfo[keyStart..<index].lowercased()
            skipSpaces()
            guard index < conninfo.endIndex, conninfo[index] == "=" else { continue }
            index = conninfo.index(after: index)
            skipSpaces()
            let valueStart = index
            index = endOfValue(conninfo, from: index)
            if key == "password", valueStart < index { ranges.append(valueStart..<index) }
        }
        return ranges
    }

    private static func endOfValue(_ text: String, from start: String.Index) -> String.Index {
        var index = start
        guard index < text.endIndex else { return index }
        if text[index] == "'" {
            index = text.index(after: index)
            while index < text.endIndex, text[index] != "'" {
                if text[index] == "\\" { index = text.index(after: index) }
                if index < text.endIndex { index = text.index(after: index) }
            }
            return index < text.endIndex ? text.index(after: index) : index
        }
        while index < text.endIndex, !text[index].isWhitespace {
            if text[index] == "\\" { index = text.index(after: index) }
            if index < text.endIndex { index = text.index(after: index) }
        }
        return index
    }

    private static func unquote(_ value: String) -> String {
        var body = Substring(value)
        if body.hasPrefix("'") { body = body.dropFirst() }
        if body.hasSuffix("'") { body = body.dropLast() }
        var result = ""
        var escaped = false
        for character in body {
            if !escaped, character == "\\" { escaped = true; continue }
            escaped = false
            result.append(character)
        }
        return result
    }

    private static func replace(_ ranges: [Range<String.Index>], in text: String) -> String {
        var result = ""
        var cursor = text.startIndex
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) where range.lowerBound >= cursor {
            result += text[cursor..<range.lowerBound]
            result += mask
            cursor = range.upperBound
        }
        result += text[cursor...]
        return result
    }
}
