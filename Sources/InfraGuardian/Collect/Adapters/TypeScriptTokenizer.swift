/// One token of a TypeScript source file. Positions are byte offsets into the file's UTF-8 text.
struct TSToken: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        /// Names and keywords alike (`import`, `class`, `PostgresLeadRepository`), and `#private` names.
        case identifier
        case number
        /// `'…'` or `"…"`.
        case string
        /// A template literal without substitutions: `` `…` ``.
        case template
        /// The parts of a template literal with substitutions: `` `…${ ``, `` }…${ ``, `` }…` ``; the
        /// tokens of each substitution come between them.
        case templateHead, templateMiddle, templateTail
        case regex
        /// One character (`{`, `<`, `@`…), or `=>`, `...`, `?.`, `??`.
        case punctuation
    }

    var kind: Kind
    var start: Int
    var end: Int
    /// 1-based line of the first byte.
    var line: Int
}

/// A careful TypeScript tokenizer (no TypeScript parser can be installed here): comments, strings,
/// template literals with substitutions nested to any depth, regular-expression literals told from
/// division by the token before them, a byte-order mark and CRLF line ends. What is inside a comment
/// or a string is never a token, so declarations written there never count.
struct TypeScriptTokenizer {
    let bytes: [UInt8]
    private var position = 0
    private var line = 1
    private(set) var tokens: [TSToken] = []
    /// Open `{` and template substitutions: a `}` closes the innermost one.
    private var braces: [Bool] = []  // true: a `${` of a template

    static func tokens(_ text: String) -> (bytes: [UInt8], tokens: [TSToken]) {
        var tokenizer = TypeScriptTokenizer(bytes: Array(text.utf8))
        tokenizer.run()
        return (tokenizer.bytes, tokenizer.tokens)
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    /// The text of a token (strings without their quotes are `TypeScriptModule.stringValue`).
    static func text(_ token: TSToken, in bytes: [UInt8]) -> String {
        String(decoding: bytes[token.start..<token.end], as: UTF8.self)
    }

    private func byte(_ offset: Int) -> UInt8? { offset < bytes.count ? bytes[offset] : nil }

    private mutating func run() {
        while position < bytes.count {
            let current = bytes[position]
            switch current {
            case UInt8(ascii: "\n"):
                line += 1
                position += 1
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), 0x0B, 0x0C:
                position += 1
            case UInt8(ascii: "/") where byte(position + 1) == UInt8(ascii: "/"):
                while position < bytes.count, bytes[position] != UInt8(ascii: "\n") { position += 1 }
            case UInt8(ascii: "/") where byte(position + 1) == UInt8(ascii: "*"):
                skipBlockComment()
            case UInt8(ascii: "/") where regexAllowed:
                scanRegex()
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                scanString(quote: current)
            case UInt8(ascii: "`"):
                scanTemplate(start: position, opening: true)
            case UInt8(ascii: "{"):
                braces.append(false)
                emit(.punctuation, from: position, to: position + 1)
            case UInt8(ascii: "}") where braces.last == true:
                braces.removeLast()
                scanTemplate(start: position, opening: false)
            case UInt8(ascii: "}"):
                if !braces.isEmpty { braces.removeLast() }
                emit(.punctuation, from: position, to: position + 1)
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                scanNumber()
            case UInt8(ascii: ".") where (byte(position + 1).map { $0 >= 0x30 && $0 <= 0x39 } ?? false):
                scanNumber()
            default:
                if Self.startsIdentifier(current) || current == UInt8(ascii: "#") {
                    scanIdentifier()
                } else {
                    scanPunctuation()
                }
            }
        }
    }

    private static func startsIdentifier(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: "$") || byte >= 0x80
    }

    private static func continuesIdentifier(_ byte: UInt8) -> Bool {
        startsIdentifier(byte) || (byte >= 0x30 && byte <= 0x39)
    }

    private mutating func emit(_ kind: TSToken.Kind, from start: Int, to end: Int, line startLine: Int? = nil) {
        tokens.append(TSToken(kind: kind, start: start, end: end, line: startLine ?? line))
        position = end
    }

    /// Keywords after which a `/` starts a regular expression rather than a division.
    private static let regexKeywords: Set<String> = ["return", "typeof", "instanceof", "in", "of", "new", "delete", "void",
                                                     "throw", "case", "do", "else", "yield", "await"]

    private var regexAllowed: Bool {
        guard let previous = tokens.last else { return true }
        switch previous.kind {
        case .number, .string, .template, .templateTail, .regex: return false
        case .templateHead, .templateMiddle: return true
        case .identifier: return previous.end - previous.start <= 10 && Self.regexKeywords.contains(Self.text(previous, in: bytes))
        case .punctuation:
            let last = bytes[previous.end - 1]
            return !(previous.end - previous.start == 1
                     && (last == UInt8(ascii: ")") || last == UInt8(ascii: "]") || last == UInt8(ascii: "}")))
        }
    }

    private mutating func skipBlockComment() {
        var offset = position + 2
        while offset < bytes.count, !(bytes[offset] == UInt8(ascii: "*") && byte(offset + 1) == UInt8(ascii: "/")) {
            if bytes[offset] == UInt8(ascii: "\n") { line += 1 }
            offset += 1
        }
        position = min(offset + 2, bytes.count)
    }

    private mutating func scanString(quote: UInt8) {
        let start = position, startLine = line
        var offset = position + 1
        while offset < bytes.count, bytes[offset] != quote {
            if bytes[offset] == UInt8(ascii: "\\") { offset += 1 }
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "\n") {
                line += 1
                // An unterminated string ends at its line (a line continuation `\` keeps it going).
                if bytes[offset - 1] != UInt8(ascii: "\\") { break }
            }
            offset += 1
        }
        emit(.string, from: start, to: min(offset + 1, bytes.count), line: startLine)
    }

    /// From a backquote (`opening`) or the `}` ending a substitution, up to the next `${` or the closing backquote.
    private mutating func scanTemplate(start: Int, opening: Bool) {
        let startLine = line
        var offset = start + 1
        while offset < bytes.count {
            let current = bytes[offset]
            if current == UInt8(ascii: "\\") {
                offset += 2
                continue
            }
            if current == UInt8(ascii: "\n") { line += 1 }
            if current == UInt8(ascii: "`") {
                emit(opening ? .template : .templateTail, from: start, to: offset + 1, line: startLine)
                return
            }
            if current == UInt8(ascii: "$"), byte(offset + 1) == UInt8(ascii: "{") {
                braces.append(true)
                emit(opening ? .templateHead : .templateMiddle, from: start, to: offset + 2, line: startLine)
                return
            }
            offset += 1
        }
        emit(opening ? .template : .templateTail, from: start, to: bytes.count, line: startLine)
    }

    private mutating func scanRegex() {
        let start = position
        var offset = position + 1, inClass = false
        while offset < bytes.count, bytes[offset] != UInt8(ascii: "\n") {
            let current = bytes[offset]
            if current == UInt8(ascii: "\\") {
                offset += 2
                continue
            }
            if current == UInt8(ascii: "[") { inClass = true }
            if current == UInt8(ascii: "]") { inClass = false }
            if current == UInt8(ascii: "/"), !inClass { break }
            offset += 1
        }
        offset += 1
        while offset < bytes.count, Self.continuesIdentifier(bytes[offset]) { offset += 1 }  // flags
        emit(.regex, from: start, to: min(offset, bytes.count))
    }

    private mutating func scanNumber() {
        var offset = position
        while offset < bytes.count {
            let current = bytes[offset]
            let isExponentSign = (current == UInt8(ascii: "+") || current == UInt8(ascii: "-"))
                && (bytes[offset - 1] == UInt8(ascii: "e") || bytes[offset - 1] == UInt8(ascii: "E"))
                && !(bytes[position] == UInt8(ascii: "0") && byte(position + 1).map { $0 == UInt8(ascii: "x") || $0 == UInt8(ascii: "X") } == true)
            guard Self.continuesIdentifier(current) || current == UInt8(ascii: ".") || isExponentSign else { break }
            offset += 1
        }
        emit(.number, from: position, to: offset)
    }

    private mutating func scanIdentifier() {
        var offset = position + 1
        while offset < bytes.count, Self.continuesIdentifier(bytes[offset]) { offset += 1 }
        emit(.identifier, from: position, to: offset)
    }

    private mutating func scanPunctuation() {
        let current = bytes[position], next = byte(position + 1)
        var length = 1
        switch (current, next) {
        case (UInt8(ascii: "."), UInt8(ascii: ".")) where byte(position + 2) == UInt8(ascii: "."): length = 3
        case (UInt8(ascii: "="), UInt8(ascii: ">")), (UInt8(ascii: "?"), UInt8(ascii: "?")): length = 2
        // `?.5` is a conditional and a number, not optional chaining.
        case (UInt8(ascii: "?"), UInt8(ascii: ".")) where byte(position + 2).map({ $0 >= 0x30 && $0 <= 0x39 }) != true: length = 2
        default: break
        }
        emit(.punctuation, from: position, to: position + length)
    }
}
