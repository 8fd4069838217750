/// Whether a prompt is about the persistence layer: any keyword, case-insensitive, on word
/// boundaries, multi-word terms with any blanks or hyphens between their words, and plurals
/// (`databases`, `caches`, `repositories`, `indexes`/`indices`). `re-cache` matches `cache`;
/// `cachet` does not. Runs on every prompt: one pass over the words, no regular expressions.
public struct KeywordMatcher: Sendable {
    /// Each keyword as its lower-cased words.
    private let terms: [[String]]

    public init(_ keywords: [String]) {
        terms = keywords.map(Self.words).filter { !$0.isEmpty }
    }

    /// The first keyword the text contains, as configured; nil when none.
    public func firstMatch(in text: String) -> String? {
        let words = Self.words(text)
        for term in terms {
            guard words.count >= term.count else { continue }
            for start in 0...(words.count - term.count) where Self.matches(term, words, at: start) {
                return term.joined(separator: " ")
            }
        }
        return nil
    }

    static func matches(_ term: [String], _ words: [String], at start: Int) -> Bool {
        for (offset, word) in term.enumerated() {
            let candidate = words[start + offset]
            // Only the last word of a term takes a plural ("connection pools", not "connections pool").
            if offset == term.count - 1 ? !Self.isForm(candidate, of: word) : candidate != word { return false }
        }
        return true
    }

    /// `word` itself or one of its plurals.
    static func isForm(_ candidate: String, of word: String) -> Bool {
        if candidate == word { return true }
        if candidate == word + "s" || candidate == word + "es" { return true }
        if word.hasSuffix("y"), candidate == word.dropLast() + "ies" { return true }
        if word.hasSuffix("ex"), candidate == word.dropLast(2) + "ices" { return true }
        return false
    }

    /// Lower-cased runs of letters and digits: punctuation, blanks and hyphens separate words.
    static func words(_ text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }
}
