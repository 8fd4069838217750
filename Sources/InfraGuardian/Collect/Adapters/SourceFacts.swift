import Foundation

/// What the persistence rules judge in an adapter's methods, read from their tokens: pooled clients
/// and their release, transactions and their rollback, SQL text built from values, Redis writes
/// without expiry.
enum SourceFacts {
    typealias Fact = AdapterGraph.SourceFact

    static func facts(_ module: TypeScriptModule, _ adapter: TypeScriptModule.Declaration, file: String,
                      kind: AdapterGraph.AdapterKind) -> [Fact] {
        var facts: [Fact] = []
        let expiringRole = ["session", "lock", "token", "rate", "limit", "throttle", "otp", "nonce"]
            .contains { adapter.name.lowercased().contains($0) || file.lowercased().contains($0) }
        for method in adapter.methods {
            let symbol = "\(adapter.name).\(method.name)"
            func fact(_ kind: Fact.Kind, _ line: Int, _ detail: String) {
                facts.append(Fact(kind: kind, file: file, line: line, symbol: symbol, detail: detail))
            }
            let tries = module.tryStatements(in: method.body)
            for (variable, index) in connects(module, method.body) {
                if let problem = releaseProblem(module, variable: variable, connect: index, in: method.body, tries: tries) {
                    fact(.clientNotReleased, module.tokens[index].line, problem)
                }
            }
            if let begin = method.body.first(where: { isSQL(module, $0, "BEGIN") || isSQL(module, $0, "START TRANSACTION") }),
               !tries.contains(where: { $0.catchBody.map { range in range.contains { isSQL(module, $0, "ROLLBACK") } } ?? false }) {
                fact(.beginWithoutRollback, module.tokens[begin].line, "BEGIN")
            }
            for (line, expression) in builtSQL(module, method) { fact(.sqlBuiltFromValue, line, expression) }
            if kind == .redis, expiringRole {
                for (line, call) in setsWithoutExpiry(module, method.body) { fact(.redisSetWithoutExpiry, line, call) }
            }
        }
        return facts
    }

    /// `const client = await this.pool.connect()`: the variable and the index of `connect`.
    private static func connects(_ module: TypeScriptModule, _ body: Range<Int>) -> [(String, Int)] {
        body.compactMap { index -> (String, Int)? in
            guard module.tokens[index].kind == .identifier, module.text(index) == "connect", index + 1 < body.upperBound,
                  module.text(index + 1) == "(", index > body.lowerBound, module.text(index - 1) == "." else { return nil }
            // Back to `name =` on the same statement.
            var cursor = index - 1
            while cursor > body.lowerBound, module.text(cursor) != "=", module.text(cursor) != ";", module.text(cursor) != "{" { cursor -= 1 }
            guard module.text(cursor) == "=", cursor > body.lowerBound, module.tokens[cursor - 1].kind == .identifier else { return nil }
            return (module.text(cursor - 1), index)
        }
    }

    /// Why the client from `connect` can leak, or nil when a `finally` that follows at once releases it.
    private static func releaseProblem(_ module: TypeScriptModule, variable: String, connect: Int, in body: Range<Int>,
                                       tries: [TypeScriptModule.TryStatement]) -> String? {
        let releasing = tries.filter { statement in
            statement.tryBody.lowerBound > connect
                && (statement.finallyBody.map { range in calls(module, range, variable, "release") } ?? false)
        }
        guard let guarded = releasing.first else {
            let released = (connect..<body.upperBound).contains { calls(module, $0..<min($0 + 4, body.upperBound), variable, "release") }
            return released ? "\(variable).release() is not in a finally: an error before it leaks the client"
                            : "\(variable) is never released"
        }
        // Statements between connect() and the try: if one throws, the finally never runs.
        let tryToken = guarded.tryBody.lowerBound - 2
        var cursor = connect
        while cursor < body.upperBound, module.text(cursor) != ";" { cursor += 1 }
        for index in (cursor + 1)..<max(cursor + 1, tryToken) where module.tokens[index].kind == .identifier && module.text(index) == "await" {
            return "an await at line \(module.tokens[index].line), between connect() and the try, leaks \(variable) if it throws"
        }
        return nil
    }

    private static func calls(_ module: TypeScriptModule, _ range: Range<Int>, _ variable: String, _ method: String) -> Bool {
        range.contains { index in
            index + 3 < module.tokens.count && module.text(index) == variable && module.text(index + 1) == "."
                && module.text(index + 2) == method && module.text(index + 3) == "("
        }
    }

    /// A string token holding exactly this SQL command (`'BEGIN'`, `"ROLLBACK;"`).
    private static func isSQL(_ module: TypeScriptModule, _ index: Int, _ command: String) -> Bool {
        let kind = module.tokens[index].kind
        guard kind == .string || kind == .template, let value = module.stringValue(index) else { return false }
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        return trimmed == command || trimmed == command + ";" || trimmed.hasPrefix(command + " ")
    }

    private static let sqlWords = ["SELECT ", "INSERT ", "UPDATE ", "DELETE ", " WHERE ", " FROM ", " VALUES", " SET ", "INTERVAL", " LIMIT ", " AND ", " OR "]

    private static func looksLikeSQL(_ text: String) -> Bool {
        let upper = text.uppercased()
        return sqlWords.contains { upper.contains($0) } || upper.hasPrefix("SET ") || upper.hasPrefix("SELECT")
    }

    /// SQL text with a value put in it: a parameter (or any non-constant) concatenated to SQL text
    /// ending inside a quoted literal or a comparison, and `${value}` inside a quoted literal of a template.
    private static func builtSQL(_ module: TypeScriptModule, _ method: TypeScriptModule.Method) -> [(Int, String)] {
        var found: [(Int, String)] = []
        let parameters = Set(method.parameters)
        var index = method.body.lowerBound
        while index < method.body.upperBound {
            let token = module.tokens[index]
            // "… = '" + value
            if token.kind == .string, index + 2 < method.body.upperBound, module.tokens[index + 2].kind == .identifier,
               module.text(index + 1) == "+", let value = module.stringValue(index), looksLikeSQL(value) || value.hasSuffix("'") {
                let operand = operandText(module, from: index + 2, limit: method.body.upperBound)
                let root = module.text(index + 2)
                let isConstant = root.allSatisfy { $0.isUppercase || $0 == "_" || $0.isNumber }
                if !isConstant, value.hasSuffix("'") || parameters.contains(root) || value.uppercased().hasSuffix(" LIMIT ") {
                    found.append((token.line, operand))
                }
            }
            // `… '${value}' …`: the text before the substitution holds an odd number of quotes.
            if token.kind == .templateHead {
                var text = module.text(index).dropFirst().dropLast(2).description
                var cursor = index + 1, depth = 0
                let sql = looksLikeSQL(text) || text.uppercased().hasPrefix("SET ")
                var substitutionStart = cursor
                while cursor < method.body.upperBound {
                    let kind = module.tokens[cursor].kind
                    if kind == .templateHead { depth += 1 }
                    if kind == .templateTail, depth > 0 { depth -= 1; cursor += 1; continue }
                    if depth == 0, kind == .templateMiddle || kind == .templateTail {
                        let expression = (substitutionStart..<cursor).map { module.text($0) }.joined()
                        let placeholder = text.hasSuffix("$")  // `$${i}`: a numbered parameter
                        if sql, !placeholder, text.filter({ $0 == "'" }).count % 2 == 1 {
                            found.append((module.tokens[substitutionStart].line, expression))
                        }
                        let part = module.text(cursor)
                        text += kind == .templateTail ? String(part.dropFirst().dropLast()) : String(part.dropFirst().dropLast(2))
                        if kind == .templateTail { break }
                        substitutionStart = cursor + 1
                    }
                    cursor += 1
                }
                index = cursor
            }
            index += 1
        }
        return found
    }

    /// `resourceId`, `filter.status`, `this.limit`: the operand after a `+`.
    private static func operandText(_ module: TypeScriptModule, from start: Int, limit: Int) -> String {
        var cursor = start, text = module.text(start)
        while cursor + 2 < limit, module.text(cursor + 1) == ".", module.tokens[cursor + 2].kind == .identifier {
            text += "." + module.text(cursor + 2)
            cursor += 2
        }
        return text
    }

    /// `redis.set(key, value)` with no `EX`/`PX`/`EXAT`/`PXAT`/`KEEPTTL` and no options object.
    private static func setsWithoutExpiry(_ module: TypeScriptModule, _ body: Range<Int>) -> [(Int, String)] {
        // `set(k, v)` then `expire(k, ttl)` (or in a MULTI) gives the key its lifetime too.
        let expires = body.contains { index in
            module.tokens[index].kind == .identifier && ["expire", "pexpire", "expireat", "pexpireat"].contains(module.text(index).lowercased())
                && index > body.lowerBound && module.text(index - 1) == "."
        }
        guard !expires else { return [] }
        return body.compactMap { index -> (Int, String)? in
            guard module.tokens[index].kind == .identifier, module.text(index) == "set", index > body.lowerBound,
                  module.text(index - 1) == ".", index + 1 < body.upperBound, module.text(index + 1) == "(" else { return nil }
            let end = module.matching(index + 1)
            let arguments = (index + 2)..<max(index + 2, end - 1)
            let expiring = arguments.contains { position in
                let word = (module.stringValue(position) ?? module.text(position)).uppercased()
                return ["EX", "PX", "EXAT", "PXAT", "KEEPTTL"].contains(word) || module.text(position) == "{"
            }
            guard !expiring else { return nil }
            let receiver = index >= 2 ? module.text(index - 2) : "redis"
            return (module.tokens[index].line, "\(receiver).set(…)")
        }
    }
}
