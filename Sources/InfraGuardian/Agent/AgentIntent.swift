import Foundation

/// What an activated request asks for, read from its words. Several may apply; with none, the
/// agent lints the changed migrations and reports health (the cheap, useful default).
public enum AgentIntent: Equatable, Sendable {
    case audit
    case health
    case migrationStatus
    /// Lint the named migration files, or (empty) the ones git reports changed.
    case lint(files: [String])
    /// Design a migration; the words that name it.
    case newMigration(phrase: String)
    case verify
    case indexAdvice
    case adapters
    case redis
    case explainRule(String)

    /// The intents of `prompt`, in the order the answer gives them. `ruleIDs`: the known rule ids.
    public static func detect(_ prompt: String, ruleIDs: Set<String>) -> [AgentIntent] {
        let text = prompt.lowercased()
        let tokens = text.split(whereSeparator: { $0.isWhitespace || $0 == "`" || $0 == "\"" || $0 == "'" || $0 == "," || $0 == "?" })
            .map(String.init)
        let named = tokens.filter(ruleIDs.contains)
        // A rule id's own words (`require-concurrent-index`) ask for nothing else.
        let words = Set(KeywordMatcher.words(tokens.filter { !ruleIDs.contains($0) }.joined(separator: " ")))
        func any(_ candidates: String...) -> Bool { candidates.contains { words.contains($0) } }
        var intents: [AgentIntent] = []
        let phrase = migrationPhrase(prompt)
        if let phrase { intents.append(.newMigration(phrase: phrase)) }
        let files = sqlFiles(prompt)
        if phrase == nil, !files.isEmpty || any("lint", "check", "review", "safe", "changed") && any("migration", "migrations", "sql") {
            intents.append(.lint(files: files))
        }
        if any("verify", "validate", "prove", "rollback", "idempotent", "reversible") || phrase != nil { intents.append(.verify) }
        if any("pending", "applied", "status") && any("migration", "migrations") { intents.append(.migrationStatus) }
        if any("health", "healthy", "reachable", "ping", "latency", "up") && !any("migration", "migrations") { intents.append(.health) }
        if any("audit", "report", "gate", "certify") { intents.append(.audit) }
        if any("index", "indexes", "indices", "slow", "seq", "scan") && phrase == nil { intents.append(.indexAdvice) }
        if any("adapter", "adapters", "port", "ports", "repository", "repositories", "coverage") { intents.append(.adapters) }
        if any("redis", "cache", "caches", "session", "sessions", "lock", "locks", "queue") { intents.append(.redis) }
        intents += named.map(AgentIntent.explainRule)
        if intents.isEmpty { intents = [.lint(files: []), .health] }
        return intents
    }

    /// "create a migration for lead scoring history" → "lead scoring history": the words after
    /// `migration for|to add|called|named`, when the request asks to create one.
    static func migrationPhrase(_ prompt: String) -> String? {
        let lower = prompt.lowercased()
        let asks = ["create", "add", "new", "write", "generate", "make", "design"].contains { KeywordMatcher.words(lower).contains($0) }
        guard asks, let range = lower.range(of: "migration") else { return nil }
        var rest = lower[range.upperBound...].drop { $0 == "s" }.trimmingCharacters(in: .whitespaces)
        for lead in ["for the ", "for a ", "for ", "to add ", "that adds ", "called ", "named "] where rest.hasPrefix(lead) {
            rest = String(rest.dropFirst(lead.count))
            let words = rest.prefix { !".?!\n;:(".contains($0) }.split(separator: " ").prefix(8)
            let phrase = words.filter { !["table", "please"].contains($0) }.joined(separator: " ")
            return phrase.isEmpty ? nil : phrase
        }
        return nil
    }

    /// Tokens naming `.sql` files.
    static func sqlFiles(_ prompt: String) -> [String] {
        prompt.split(whereSeparator: { $0.isWhitespace || $0 == "`" || $0 == "\"" || $0 == "'" || $0 == "," })
            .map { token in String(token.reversed().drop { ".?!:;()".contains($0) }.reversed()) }
            .filter { $0.lowercased().hasSuffix(".sql") }
    }
}
