/// Parses the text of `INFO`: `# Section` headers and `key:value` lines.
enum RedisInfoParser {
    /// Section names are lower-cased (`# Keyspace` → `keyspace`) to match `RedisSnapshot.info`.
    /// A section with no fields (an empty keyspace) is kept, so "empty" differs from "not asked".
    static func parse(_ text: String) -> [String: [String: String]] {
        var sections: [String: [String: String]] = [:]
        var current = "default"
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                current = line.dropFirst().trimmingCharacters(in: .whitespaces).lowercased()
                if sections[current] == nil { sections[current] = [:] }
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = String(line[..<colon])
            sections[current, default: [:]][key] = String(line[line.index(after: colon)...])
        }
        return sections
    }

    /// `CONFIG GET` answers a flat array: name, value, name, value...
    static func pairs(_ reply: [RedisReply]) -> [String: String] {
        var result: [String: String] = [:]
        var index = 0
        while index + 1 < reply.count {
            if let name = reply[index].text { result[name] = reply[index + 1].text ?? "" }
            index += 2
        }
        return result
    }
}
