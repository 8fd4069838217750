import Foundation

/// What one TypeScript file declares and imports, read from its tokens (see `TypeScriptTokenizer`).
struct TypeScriptModule: Sendable {
    struct ImportedName: Equatable, Sendable {
        /// The exported name (`default` for a default import, `*` for a namespace import).
        var imported: String
        var local: String
        var isType: Bool
    }

    struct Import: Equatable, Sendable {
        var source: String
        var names: [ImportedName]
        /// `import type …`.
        var isTypeOnly: Bool
        var line: Int
    }

    struct ReExport: Equatable, Sendable {
        var source: String
        /// Empty with `all`: `export * from`.
        var names: [ImportedName]
        var all: Bool
        var line: Int
    }

    enum DeclarationKind: String, Sendable { case `class`, interface, typeAlias, function }

    struct Declaration: Equatable, Sendable {
        var kind: DeclarationKind
        var name: String
        var exported: Bool
        /// Names only, without type arguments: `extends Base<T>` → `Base`.
        var extends: [String]
        var implements: [String]
        var line: Int
        /// Token indices of the body, braces excluded (classes, interfaces, functions).
        var body: Range<Int>?
        /// Classes: their methods (and arrow-function properties).
        var methods: [Method]
    }

    struct Method: Equatable, Sendable {
        var name: String
        var line: Int
        /// Token indices of the body, braces excluded.
        var body: Range<Int>
        /// The names of its parameters (`constructor(private readonly pool: Pool)` → `pool`).
        var parameters: [String] = []
    }

    /// `try { … } catch (e) { … } finally { … }`, as token ranges (braces excluded).
    struct TryStatement: Equatable, Sendable {
        var line: Int
        var tryBody: Range<Int>
        var catchBody: Range<Int>?
        var finallyBody: Range<Int>?
    }

    let bytes: [UInt8]
    let tokens: [TSToken]
    private(set) var imports: [Import] = []
    private(set) var reExports: [ReExport] = []
    private(set) var declarations: [Declaration] = []

    init(_ text: String) {
        (bytes, tokens) = TypeScriptTokenizer.tokens(text)
        scanTopLevel()
    }

    func text(_ index: Int) -> String { TypeScriptTokenizer.text(tokens[index], in: bytes) }

    /// Compares the token's bytes with `text` (no String is made: this runs for nearly every token).
    private func tokenIs(_ index: Int, _ kind: TSToken.Kind, _ text: String) -> Bool {
        guard index >= 0, index < tokens.count else { return false }
        let token = tokens[index]
        guard token.kind == kind, token.end - token.start == text.utf8.count else { return false }
        var offset = token.start
        for byte in text.utf8 {
            guard bytes[offset] == byte else { return false }
            offset += 1
        }
        return true
    }

    private func isPunctuation(_ index: Int, _ text: String) -> Bool { tokenIs(index, .punctuation, text) }

    private func isWord(_ index: Int, _ word: String) -> Bool { tokenIs(index, .identifier, word) }

    /// A string token's value (escapes other than `\\'`, `\\"` and `\\\\` kept as written).
    func stringValue(_ index: Int) -> String? {
        guard index < tokens.count, tokens[index].kind == .string || tokens[index].kind == .template else { return nil }
        let token = tokens[index]
        guard token.end - token.start >= 2 else { return nil }
        let content = bytes[(token.start + 1)..<(token.end - 1)]
        var value = String(decoding: content, as: UTF8.self)
        guard content.contains(UInt8(ascii: "\\")) else { return value }
        for (escaped, plain) in [("\\'", "'"), ("\\\"", "\""), ("\\\\", "\\")] { value = value.replacingOccurrences(of: escaped, with: plain) }
        return value
    }

    /// The index just past the bracket that closes the one at `open` (`{`, `(`, `[` or `<`).
    func matching(_ open: Int) -> Int {
        guard open < tokens.count, tokens[open].kind == .punctuation, tokens[open].end - tokens[open].start == 1 else { return open + 1 }
        let opening = bytes[tokens[open].start]
        let closing: UInt8
        switch opening {
        case UInt8(ascii: "{"): closing = UInt8(ascii: "}")
        case UInt8(ascii: "("): closing = UInt8(ascii: ")")
        case UInt8(ascii: "["): closing = UInt8(ascii: "]")
        case UInt8(ascii: "<"): closing = UInt8(ascii: ">")
        default: return open + 1
        }
        var depth = 0, index = open
        while index < tokens.count {
            let token = tokens[index]
            // `=>` inside type arguments is not a closing `>`: it is one token of two bytes.
            if token.kind == .punctuation, token.end - token.start == 1 {
                let current = bytes[token.start]
                if current == opening { depth += 1 }
                if current == closing { depth -= 1 }
                if depth == 0 { return index + 1 }
            }
            index += 1
        }
        return tokens.count
    }

    // MARK: Top level

    private mutating func scanTopLevel() {
        var index = 0
        while index < tokens.count {
            let start = index
            if isPunctuation(index, "{") || isPunctuation(index, "(") || isPunctuation(index, "[") {
                index = matching(index)
                continue
            }
            if isWord(index, "import"), !isPunctuation(index + 1, "("), !isPunctuation(index + 1, ".") {
                index = scanImport(index)
            } else if isWord(index, "export") {
                index = scanExport(index)
            } else if let next = scanDeclaration(index, exported: false) {
                index = next
            } else {
                index += 1
            }
            if index <= start { index = start + 1 }
        }
    }

    /// `import …` at `index`; returns the index after it.
    private mutating func scanImport(_ index: Int) -> Int {
        var cursor = index + 1
        var isTypeOnly = false
        if isWord(cursor, "type"), !isWord(cursor + 1, "from"), !isPunctuation(cursor + 1, ",") {
            isTypeOnly = true
            cursor += 1
        }
        var names: [ImportedName] = []
        // import 'side-effect';
        if tokens.indices.contains(cursor), tokens[cursor].kind == .string, let source = stringValue(cursor) {
            imports.append(Import(source: source, names: [], isTypeOnly: false, line: tokens[index].line))
            return cursor + 1
        }
        while cursor < tokens.count, !isWord(cursor, "from") {
            if isPunctuation(cursor, "{") {
                let end = matching(cursor)
                names += specifiers(cursor + 1..<max(cursor + 1, end - 1), typeOnly: isTypeOnly)
                cursor = end
            } else if isPunctuation(cursor, "*"), isWord(cursor + 1, "as"), cursor + 2 < tokens.count {
                names.append(ImportedName(imported: "*", local: text(cursor + 2), isType: isTypeOnly))
                cursor += 3
            } else if tokens[cursor].kind == .identifier {
                names.append(ImportedName(imported: "default", local: text(cursor), isType: isTypeOnly))
                cursor += 1
            } else if isPunctuation(cursor, ",") {
                cursor += 1
            } else {
                return cursor  // `import x = require(...)` or something this scanner does not read
            }
        }
        guard isWord(cursor, "from"), let source = stringValue(cursor + 1) else { return cursor + 1 }
        imports.append(Import(source: source, names: names, isTypeOnly: isTypeOnly, line: tokens[index].line))
        return cursor + 2
    }

    /// `a, b as c, type d` between braces.
    private func specifiers(_ range: Range<Int>, typeOnly: Bool) -> [ImportedName] {
        var names: [ImportedName] = []
        var cursor = range.lowerBound
        while cursor < range.upperBound {
            var isType = typeOnly
            if isWord(cursor, "type"), cursor + 1 < range.upperBound, tokens[cursor + 1].kind == .identifier, !isWord(cursor + 1, "as") {
                isType = true
                cursor += 1
            }
            guard tokens[cursor].kind == .identifier || tokens[cursor].kind == .string else {
                cursor += 1
                continue
            }
            let imported = stringValue(cursor) ?? text(cursor)
            var local = imported
            if isWord(cursor + 1, "as"), cursor + 2 < range.upperBound {
                local = text(cursor + 2)
                cursor += 3
            } else {
                cursor += 1
            }
            names.append(ImportedName(imported: imported, local: local, isType: isType))
            while cursor < range.upperBound, !isPunctuation(cursor, ",") { cursor += 1 }
            cursor += 1
        }
        return names
    }

    /// `export …` at `index`: a re-export, or an exported declaration.
    private mutating func scanExport(_ index: Int) -> Int {
        var cursor = index + 1
        let typeOnly = isWord(cursor, "type") && (isPunctuation(cursor + 1, "{") || isPunctuation(cursor + 1, "*"))
        if typeOnly { cursor += 1 }
        if isPunctuation(cursor, "{") {
            let end = matching(cursor)
            let names = specifiers(cursor + 1..<max(cursor + 1, end - 1), typeOnly: typeOnly)
            if isWord(end, "from"), let source = stringValue(end + 1) {
                reExports.append(ReExport(source: source, names: names, all: false, line: tokens[index].line))
                return end + 2
            }
            return end
        }
        if isPunctuation(cursor, "*") {
            var names: [ImportedName] = []
            cursor += 1
            if isWord(cursor, "as"), cursor + 1 < tokens.count {
                names = [ImportedName(imported: "*", local: text(cursor + 1), isType: typeOnly)]
                cursor += 2
            }
            if isWord(cursor, "from"), let source = stringValue(cursor + 1) {
                reExports.append(ReExport(source: source, names: names, all: names.isEmpty, line: tokens[index].line))
                return cursor + 2
            }
            return cursor
        }
        if isWord(cursor, "default") { cursor += 1 }
        return scanDeclaration(cursor, exported: true) ?? cursor
    }

    // MARK: Declarations

    private static let modifiers: Set<String> = ["declare", "abstract", "async"]

    /// A class, interface, type alias or function at `index`; nil when none starts there.
    private mutating func scanDeclaration(_ index: Int, exported: Bool) -> Int? {
        var cursor = index
        while cursor < tokens.count, tokens[cursor].kind == .identifier, Self.modifiers.contains(text(cursor)) { cursor += 1 }
        guard cursor < tokens.count, tokens[cursor].kind == .identifier else { return nil }
        let keyword = text(cursor)
        let line = tokens[cursor].line
        switch keyword {
        case "class", "interface":
            cursor += 1
            let name = cursor < tokens.count && tokens[cursor].kind == .identifier && !["extends", "implements"].contains(text(cursor))
                ? text(cursor) : "default"
            if name != "default" { cursor += 1 }
            if isPunctuation(cursor, "<") { cursor = matching(cursor) }
            var extends: [String] = [], implements: [String] = []
            while cursor < tokens.count, !isPunctuation(cursor, "{") {
                if isWord(cursor, "extends") {
                    (extends, cursor) = typeList(cursor + 1)
                } else if isWord(cursor, "implements") {
                    (implements, cursor) = typeList(cursor + 1)
                } else {
                    cursor += 1
                }
            }
            guard cursor < tokens.count else { return tokens.count }
            let end = matching(cursor)
            let body = (cursor + 1)..<max(cursor + 1, end - 1)
            declarations.append(Declaration(kind: keyword == "class" ? .class : .interface, name: name, exported: exported,
                                            extends: extends, implements: implements, line: line, body: body,
                                            methods: keyword == "class" ? methods(in: body) : []))
            return end
        case "type" where cursor + 1 < tokens.count && tokens[cursor + 1].kind == .identifier:
            declarations.append(Declaration(kind: .typeAlias, name: text(cursor + 1), exported: exported, extends: [], implements: [],
                                            line: line, body: nil, methods: []))
            return cursor + 2
        case "const", "let" where cursor + 2 < tokens.count && tokens[cursor + 1].kind == .identifier:
            return scanArrowFactory(cursor, exported: exported)
        case "function":
            cursor += 1
            if isPunctuation(cursor, "*") { cursor += 1 }
            guard cursor < tokens.count, tokens[cursor].kind == .identifier else { return nil }
            let name = text(cursor)
            guard let body = functionBody(after: cursor + 1) else { return cursor + 1 }
            // A function is its own single "method"; its declared return type is what it implements
            // (`function createLeadRepository(pool: Pool): LeadRepositoryPort { return { … } }`).
            let method = Method(name: name, line: line, body: body, parameters: parameters(after: cursor + 1))
            declarations.append(Declaration(kind: .function, name: name, exported: exported, extends: [],
                                            implements: returnType(after: cursor + 1).map { [$0] } ?? [],
                                            line: line, body: body, methods: [method]))
            return body.upperBound + 1
        default:
            return nil
        }
    }

    /// `const createX = async (pool: Pool): XPort => ({ … })`, `const x: XPort = { … }` or an arrow with a
    /// block body: a function declaration whose "implements" is its declared type; nil for any other const.
    private mutating func scanArrowFactory(_ keyword: Int, exported: Bool) -> Int? {
        let name = text(keyword + 1), line = tokens[keyword].line
        var cursor = keyword + 2
        var declaredType: String?
        if isPunctuation(cursor, ":") {
            if cursor + 1 < tokens.count, tokens[cursor + 1].kind == .identifier, text(cursor + 1).first?.isUppercase == true {
                declaredType = text(cursor + 1)
            }
            cursor += 1
            while cursor < tokens.count, !isPunctuation(cursor, "="), !isPunctuation(cursor, ";") {
                if isPunctuation(cursor, "<") || isPunctuation(cursor, "{") || isPunctuation(cursor, "(") { cursor = matching(cursor) } else { cursor += 1 }
            }
        }
        guard isPunctuation(cursor, "=") else { return nil }
        cursor += 1
        // `const x: Port = { … }`: an object literal of the declared type.
        if isPunctuation(cursor, "{"), let declaredType {
            let end = matching(cursor)
            let body = (cursor + 1)..<max(cursor + 1, end - 1)
            declarations.append(Declaration(kind: .function, name: name, exported: exported, extends: [], implements: [declaredType],
                                            line: line, body: body, methods: [Method(name: name, line: line, body: body)]))
            return end
        }
        if isWord(cursor, "async") { cursor += 1 }
        let parametersStart = cursor
        if isPunctuation(cursor, "<") { cursor = matching(cursor) }
        if isPunctuation(cursor, "(") { cursor = matching(cursor) } else if cursor < tokens.count, tokens[cursor].kind == .identifier { cursor += 1 } else { return nil }
        let returned = returnTypeAfterParameters(cursor)
        // An arrow follows the parameters at once, or after a return type: `(…) + 1` is no function.
        if isPunctuation(cursor, ":") {
            cursor += 1
            while cursor < tokens.count, !isPunctuation(cursor, "=>"), !isPunctuation(cursor, ";"), !isPunctuation(cursor, "{"),
                  !isPunctuation(cursor, "=") {
                if isPunctuation(cursor, "<") || isPunctuation(cursor, "(") { cursor = matching(cursor) } else { cursor += 1 }
            }
        }
        guard isPunctuation(cursor, "=>") else { return nil }
        cursor += 1
        guard isPunctuation(cursor, "{") || isPunctuation(cursor, "(") else { return nil }
        let end = matching(cursor)
        let body = (cursor + 1)..<max(cursor + 1, end - 1)
        let implements = [declaredType ?? returned].compactMap { $0 }
        declarations.append(Declaration(kind: .function, name: name, exported: exported, extends: [], implements: implements,
                                        line: line, body: body,
                                        methods: [Method(name: name, line: line, body: body, parameters: parameters(after: parametersStart))]))
        return end
    }

    /// `: Port` or `: Promise<Port>` right after a parameter list ending before `index`.
    private func returnTypeAfterParameters(_ index: Int) -> String? {
        guard isPunctuation(index, ":") else { return nil }
        var cursor = index + 1
        if isWord(cursor, "Promise"), isPunctuation(cursor + 1, "<") { cursor += 2 }
        guard cursor < tokens.count, tokens[cursor].kind == .identifier, text(cursor).first?.isUppercase == true,
              !["Promise", "Record", "Array", "Map", "Set", "Partial", "Readonly"].contains(text(cursor)),
              !isPunctuation(cursor + 1, "|") else { return nil }
        return text(cursor)
    }

    /// `A, B<T>, ns.C` up to `{` or `implements`: the names, without type arguments.
    private func typeList(_ start: Int) -> ([String], Int) {
        var names: [String] = [], cursor = start, current = ""
        while cursor < tokens.count, !isPunctuation(cursor, "{"), !isWord(cursor, "implements"), !isWord(cursor, "extends") {
            if isPunctuation(cursor, "<") || isPunctuation(cursor, "(") {
                cursor = matching(cursor)
                continue
            }
            if isPunctuation(cursor, ",") {
                if !current.isEmpty { names.append(current) }
                current = ""
            } else if tokens[cursor].kind == .identifier {
                current = current.hasSuffix(".") ? current + text(cursor) : text(cursor)
            } else if isPunctuation(cursor, ".") {
                current += "."
            }
            cursor += 1
        }
        if !current.isEmpty { names.append(current) }
        return (names, cursor)
    }

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
        cursor = matching(cursor)
        guard isPunctuation(cursor, ":") else { return nil }
        cursor += 1
        if isWord(cursor, "Promise"), isPunctuation(cursor + 1, "<") { cursor += 2 }
        guard cursor < tokens.count, tokens[cursor].kind == .identifier else { return nil }
        let name = text(cursor)
        guard let first = name.first, first.isUppercase, !["Promise", "Record", "Array", "Map", "Set", "Partial", "Readonly"].contains(name),
              !isPunctuation(cursor + 1, "|") else { return nil }
        return name
    }

    /// Methods and arrow-function properties of a class body.
    private func methods(in body: Range<Int>) -> [Method] {
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
