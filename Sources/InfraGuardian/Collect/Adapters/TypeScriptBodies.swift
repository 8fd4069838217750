/// Inside declarations: function bodies and parameters, class methods, interface operations and
/// `try` statements, as token ranges of a `TypeScriptModule`.
extension TypeScriptModule {
    /// The body range of a function or method whose parameters start at or after `start`:
    /// `(params) (: type)? { body }`; nil for a declaration without a body (an overload, `declare`).
    func functionBody(after start: Int) -> Range<Int>? {
        var cursor = start
        if isPunctuation(cursor, "<") { cursor = matching(cursor) }
        guard isPunctuation(cursor, "(") else { return nil }
        cursor = matching(cursor)
        // A return type: everything up to the body's `{` at this depth (object types are balanced).
        if isPunctuation(cursor, ":") {
            cursor += 1
            while cursor < tokens.count, !isPunctuation(cursor, "{"), !isPunctuation(cursor, ";") {
                if ["<", "(", "["].contains(where: { isPunctuation(cursor, $0) }) { cursor = matching(cursor) } else { cursor += 1 }
                // `: { a: string }` as a return type, then the body.
                if isPunctuation(cursor, "{"), isPunctuation(cursor - 1, ":") {
                    cursor = matching(cursor)
                }
            }
        }
        if isPunctuation(cursor, "=>") { cursor += 1 }
        guard isPunctuation(cursor, "{") else { return nil }
        let end = matching(cursor)
        return (cursor + 1)..<max(cursor + 1, end - 1)
    }

    /// The parameter names of the list starting at or after `start` (`(a: T, private readonly b?: U = x)`).
    func parameters(after start: Int) -> [String] {
        var cursor = start
        if isPunctuation(cursor, "<") { cursor = matching(cursor) }
        if tokens.indices.contains(cursor), tokens[cursor].kind == .identifier, isPunctuation(cursor + 1, "=>") { return [text(cursor)] }
        guard isPunctuation(cursor, "(") else { return [] }
        let end = matching(cursor) - 1
        var names: [String] = [], expectingName = true
        let modifiers: Set<String> = ["public", "private", "protected", "readonly", "override"]
        cursor += 1
        while cursor < end {
            if ["{", "(", "[", "<"].contains(where: { isPunctuation(cursor, $0) }) {
                cursor = matching(cursor)
                continue
            }
            if isPunctuation(cursor, ",") {
                expectingName = true
            } else if expectingName, tokens[cursor].kind == .identifier, !modifiers.contains(text(cursor)) {
                names.append(text(cursor))
                expectingName = false
            } else if isPunctuation(cursor, "...") {
                // rest parameter: the name follows
            } else if !(tokens[cursor].kind == .identifier && modifiers.contains(text(cursor))) {
                expectingName = false
            }
            cursor += 1
        }
        return names
    }

    /// The named type a function declares it returns, unwrapped from `Promise<…>`: `): LeadRepositoryPort {`
    /// → `LeadRepositoryPort`; nil for none, a union, an object type or a built-in.
    func returnType(after start: Int) -> String? {
        var cursor = start
        if isPunctuation(cursor, "<") { cursor = matching(cursor) }
        guard isPunctuation(cursor, "(") else { return nil }
        return returnTypeAfterParameters(matching(cursor))
    }

    /// Methods and arrow-function properties of a class body.
    func methods(in body: Range<Int>) -> [Method] {
        var methods: [Method] = []
        var cursor = body.lowerBound
        let skipped: Set<String> = ["public", "private", "protected", "static", "readonly", "async", "override", "abstract", "get", "set"]
        while cursor < body.upperBound {
            if isPunctuation(cursor, "@") {  // a decorator: `@Name` or `@Name(…)`
                cursor += 1
                while cursor < body.upperBound, tokens[cursor].kind == .identifier || isPunctuation(cursor, ".") { cursor += 1 }
                if isPunctuation(cursor, "(") { cursor = matching(cursor) }
                continue
            }
            guard tokens[cursor].kind == .identifier else {
                if ["{", "(", "[", "<"].contains(where: { isPunctuation(cursor, $0) }) { cursor = matching(cursor) } else { cursor += 1 }
                continue
            }
            if skipped.contains(text(cursor)), cursor + 1 < body.upperBound, tokens[cursor + 1].kind == .identifier || isPunctuation(cursor + 1, "#") {
                cursor += 1
                continue
            }
            let name = text(cursor), line = tokens[cursor].line
            var next = cursor + 1
            if isPunctuation(next, "?") || isPunctuation(next, "!") { next += 1 }
            if let range = functionBody(after: next) {
                methods.append(Method(name: name, line: line, body: range, parameters: parameters(after: next)))
                cursor = range.upperBound + 1
                continue
            }
            // `name = async (a, b) => { … }` or `name: Type = (…) => { … }`
            if isPunctuation(next, "=") || isPunctuation(next, ":") {
                var scan = next + 1
                while scan < body.upperBound, !isPunctuation(scan, ";"), !isPunctuation(scan, "(") , !isPunctuation(scan, "{") { scan += 1 }
                if let range = functionBody(after: scan) {
                    methods.append(Method(name: name, line: line, body: range, parameters: parameters(after: scan)))
                    cursor = range.upperBound + 1
                    continue
                }
            }
            // A field: to the end of its statement.
            while cursor < body.upperBound, !isPunctuation(cursor, ";") {
                if ["{", "(", "[", "<"].contains(where: { isPunctuation(cursor, $0) }) { cursor = matching(cursor) } else { cursor += 1 }
                if cursor < body.upperBound, tokens[cursor].line > line, tokens[cursor].kind == .identifier { break }
            }
            if isPunctuation(cursor, ";") { cursor += 1 }
        }
        return methods
    }

    /// True when an interface body declares a method (`find(id: string): …`, `save?<T>(…)`,
    /// `find: (id: string) => …`): a port is a set of operations, a DTO only has fields.
    func declaresMethods(_ body: Range<Int>) -> Bool {
        var cursor = body.lowerBound
        while cursor < body.upperBound {
            if tokens[cursor].kind == .identifier {
                var next = cursor + 1
                if isPunctuation(next, "?") { next += 1 }
                if isPunctuation(next, "<") { next = matching(next) }
                if isPunctuation(next, "(") { return true }
                if isPunctuation(next, ":"), isPunctuation(next + 1, "(") {
                    let after = matching(next + 1)
                    if isPunctuation(after, "=>") { return true }
                }
            }
            if ["{", "(", "["].contains(where: { isPunctuation(cursor, $0) }) { cursor = matching(cursor) } else { cursor += 1 }
        }
        return false
    }

    /// The `try` statements inside a token range, nested ones included, in order.
    func tryStatements(in range: Range<Int>) -> [TryStatement] {
        var result: [TryStatement] = []
        var cursor = range.lowerBound
        while cursor < range.upperBound {
            guard isWord(cursor, "try"), isPunctuation(cursor + 1, "{") else {
                cursor += 1
                continue
            }
            let tryEnd = matching(cursor + 1)
            var statement = TryStatement(line: tokens[cursor].line, tryBody: (cursor + 2)..<max(cursor + 2, tryEnd - 1))
            var next = tryEnd
            if isWord(next, "catch") {
                next += 1
                if isPunctuation(next, "(") { next = matching(next) }
                if isPunctuation(next, "{") {
                    let end = matching(next)
                    statement.catchBody = (next + 1)..<max(next + 1, end - 1)
                    next = end
                }
            }
            if isWord(next, "finally"), isPunctuation(next + 1, "{") {
                let end = matching(next + 1)
                statement.finallyBody = (next + 2)..<max(next + 2, end - 1)
                next = end
            }
            result.append(statement)
            cursor += 2  // into the try block: nested statements are found too
        }
        return result
    }
}
