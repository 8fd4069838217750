/// A cheap lexical estimate of how deep libpg_query's parse tree of some SQL will be, read before
/// the parser runs: PostgreSQL's grammar builds one tree level per parenthesis or bracket, and one
/// per operator of a chain (`1+1+1…`, `a||b||c…`, `… UNION …`), and libpg_query walks that tree
/// recursively. Too deep and it overflows the stack (PostgreSQL itself answers "stack depth limit
/// exceeded"), so text deeper than `limit` is refused before it reaches the parser.
///
/// Strings, quoted identifiers, dollar quotes and comments are skipped; a comma, a semicolon and
/// the keywords that start a new expression (`AND`, `OR`, `WHEN`, `THEN`, `WHERE`...) end a chain,
/// since their operands are siblings in the tree, not nested.
enum NestingGuard {
    /// Deeper than this is refused. PostgreSQL 15 with its default `max_stack_depth` (2 MB) answers
    /// a 4,000-term `+` chain and refuses 5,000 ("stack depth limit exceeded"); libpg_query on a
    /// `LargeStack` thread and the recursive tree readers handle this depth.
    static let limit = 4_000
    /// Up to this depth the parser runs on the caller's thread; deeper, on a `LargeStack` thread.
    static let inlineLimit = 100

    struct Estimate: Equatable {
        /// The deepest estimated nesting.
        var depth: Int
        /// Byte offset (from the start of the text) where the estimate first passed `limit`, or
        /// where it was deepest.
        var offset: Int
    }

    static func estimate(_ bytes: ArraySlice<UInt8>) -> Estimate {
        // The scan reads every byte of every migration: on the buffer, without bounds checks per byte.
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = Scanner(bytes: buffer)
            return scanner.run()
        }
    }

    private struct Scanner {
        /// Valid only during `estimate`, which owns the scanner.
        let bytes: UnsafeBufferPointer<UInt8>
        /// Operator chain length at each open parenthesis level (index 0: outside any).
        var chains: [Int] = [0]
        /// Set operation chain length (`UNION`...) at each level: not ended by `SELECT`.
        var sets: [Int] = [0]
        var total = 0
        var best = Estimate(depth: 0, offset: 0)

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func run() -> Estimate {
            var i = bytes.startIndex
            let end = bytes.endIndex
            while i < end {
                let byte = bytes[i]
                switch byte {
                case UInt8(ascii: "'"):
                    let escapes = i > bytes.startIndex && (bytes[i - 1] | 0x20) == UInt8(ascii: "e")
                    i = skipQuoted(from: i, quote: byte, backslashEscapes: escapes)
                case UInt8(ascii: "\""):
                    i = skipQuoted(from: i, quote: byte, backslashEscapes: false)
                case UInt8(ascii: "-") where i + 1 < end && bytes[i + 1] == UInt8(ascii: "-"):
                    while i < end, bytes[i] != 0x0A { i += 1 }
                case UInt8(ascii: "/") where i + 1 < end && bytes[i + 1] == UInt8(ascii: "*"):
                    i = skipBlockComment(from: i)
                case UInt8(ascii: "$"):
                    i = skipDollarQuote(from: i)
                case UInt8(ascii: "("), UInt8(ascii: "["):
                    chains.append(0)
                    sets.append(0)
                    total += 1
                    note(i)
                    i += 1
                case UInt8(ascii: ")"), UInt8(ascii: "]"):
                    if chains.count > 1 { total -= chains.removeLast() + sets.removeLast() + 1 }
                    i += 1
                case UInt8(ascii: ","):
                    endChain()
                    total -= sets[sets.count - 1]
                    sets[sets.count - 1] = 0
                    i += 1
                case UInt8(ascii: ";"):
                    chains = [0]
                    sets = [0]
                    total = 0
                    i += 1
                default:
                    if Self.isOperator(byte) {
                        while i < end, Self.isOperator(bytes[i]) {
                            // A comment starting right after an operator ends it.
                            if i + 1 < end, (bytes[i] == UInt8(ascii: "-") && bytes[i + 1] == UInt8(ascii: "-"))
                                || (bytes[i] == UInt8(ascii: "/") && bytes[i + 1] == UInt8(ascii: "*")) { break }
                            i += 1
                        }
                        extendChain(at: i)
                    } else if Self.isWordStart(byte) {
                        let start = i
                        while i < end, Self.isWordByte(bytes[i]) { i += 1 }
                        word(bytes[start..<i], at: start)
                    } else {
                        i += 1
                    }
                }
            }
            return best
        }

        private mutating func note(_ offset: Int) {
            guard total > best.depth, best.depth <= NestingGuard.limit else { return }
            best = Estimate(depth: total, offset: offset - bytes.startIndex)
        }

        private mutating func extendChain(at offset: Int) {
            chains[chains.count - 1] += 1
            total += 1
            note(offset)
        }

        private mutating func endChain() {
            total -= chains[chains.count - 1]
            chains[chains.count - 1] = 0
        }

        private mutating func word(_ word: Slice<UnsafeBufferPointer<UInt8>>, at offset: Int) {
            guard word.count <= 9 else { return }
            let key = Self.pack(word)
            if Self.chainOperators.contains(key) {
                sets[sets.count - 1] += 1
                total += 1
                note(offset)
            } else if Self.chainBreakers.contains(key) {
                endChain()
            }
        }

        /// A word of up to 9 ASCII letters, upper-cased, 7 bits a letter: compared without a String.
        private static func pack<Bytes: Collection<UInt8>>(_ word: Bytes) -> UInt64 {
            word.reduce(UInt64(0)) { $0 << 7 | UInt64(($1 >= 0x61 && $1 <= 0x7A ? $1 & 0xDF : $1) & 0x7F) }
        }

        private func skipQuoted(from start: Int, quote: UInt8, backslashEscapes: Bool) -> Int {
            var i = start + 1
            while i < bytes.endIndex {
                let byte = bytes[i]
                if backslashEscapes, byte == UInt8(ascii: "\\") { i += 2; continue }
                if byte == quote {
                    if i + 1 < bytes.endIndex, bytes[i + 1] == quote { i += 2; continue }
                    return i + 1
                }
                i += 1
            }
            return bytes.endIndex
        }

        private func skipBlockComment(from start: Int) -> Int {
            var depth = 0
            var i = start
            while i + 1 < bytes.endIndex {
                if bytes[i] == UInt8(ascii: "/"), bytes[i + 1] == UInt8(ascii: "*") { depth += 1; i += 2; continue }
                if bytes[i] == UInt8(ascii: "*"), bytes[i + 1] == UInt8(ascii: "/") {
                    depth -= 1
                    i += 2
                    if depth == 0 { return i }
                    continue
                }
                i += 1
            }
            return bytes.endIndex
        }

        /// `$tag$ … $tag$` (or `$$ … $$`); a `$1` parameter or a lone `$` is one byte.
        private func skipDollarQuote(from start: Int) -> Int {
            var i = start + 1
            if i < bytes.endIndex, Self.isWordStart(bytes[i]) {
                while i < bytes.endIndex, Self.isWordByte(bytes[i]), bytes[i] != UInt8(ascii: "$") { i += 1 }
            }
            guard i < bytes.endIndex, bytes[i] == UInt8(ascii: "$") else { return start + 1 }
            let tag = bytes[start...i]
            var j = i + 1
            while j + tag.count <= bytes.endIndex {
                if bytes[j] == UInt8(ascii: "$"), bytes[j..<(j + tag.count)].elementsEqual(tag) { return j + tag.count }
                j += 1
            }
            return bytes.endIndex
        }

        private static func isOperator(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "/"), UInt8(ascii: "<"),
                 UInt8(ascii: ">"), UInt8(ascii: "="), UInt8(ascii: "~"), UInt8(ascii: "!"), UInt8(ascii: "@"),
                 UInt8(ascii: "#"), UInt8(ascii: "%"), UInt8(ascii: "^"), UInt8(ascii: "&"), UInt8(ascii: "|"):
                return true
            default:
                return false
            }
        }

        private static func isWordStart(_ byte: UInt8) -> Bool {
            (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") || byte == UInt8(ascii: "_") || byte >= 0x80
        }

        private static func isWordByte(_ byte: UInt8) -> Bool {
            isWordStart(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "$")
        }

        /// Set operations nest like binary operators (a left-deep tree).
        private static let chainOperators = Set(["UNION", "INTERSECT", "EXCEPT"].map { pack(Array($0.utf8)) })
        /// Keywords after which a new, sibling expression starts.
        private static let chainBreakers = Set([
            "AND", "OR", "WHEN", "THEN", "ELSE", "END", "SELECT", "FROM", "WHERE", "SET", "VALUES", "ON", "AS",
            "BY", "HAVING", "RETURNING", "LIMIT", "OFFSET", "USING", "JOIN", "CHECK", "DEFAULT", "IN", "CASE",
        ].map { pack(Array($0.utf8)) })
    }
}
