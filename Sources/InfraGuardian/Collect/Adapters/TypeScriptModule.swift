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
    func tokenIs(_ index: Int, _ kind: TSToken.Kind, _ text: String) -> Bool {
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

    func isPunctuation(_ index: Int, _ text: String) -> Bool { tokenIs(index, .punctuation, text) }

    func isWord(_ index: Int, _ word: String) -> Bool { tokenIs(index, .identifier, word) }

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
        case "const", "let":
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
        // (A `where` after `case "const", "let"` would guard only `let`: checked here for both.)
        guard keyword + 2 < tokens.count, tokens[keyword + 1].kind == .identifier else { return nil }
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

    /// `: Port` or `: Promise<Port>` at `index`, just after a parameter list.
    func returnTypeAfterParameters(_ index: Int) -> String? {
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

}
