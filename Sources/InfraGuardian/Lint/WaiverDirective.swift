import Foundation

/// A waiver written in a migration:
/// `-- infra-guardian:ignore RULE reason` (the next statement),
/// `-- infra-guardian:ignore-file RULE reason` (the whole file),
/// `-- infra-guardian:approve RULE reason` (the next statement; the only waiver destructive rules accept).
/// RULE may be a comma-separated list. Waivers are matched to findings in `WaiverApplication`.
public struct WaiverDirective: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case ignore
        case ignoreFile = "ignore-file"
        case approve
    }

    public var kind: Kind
    public var rules: [String]
    /// Empty when the author gave none: such a waiver is reported and not applied.
    public var reason: String
    public var file: String
    /// The comment's position.
    public var line: Int
    public var column: Int
    /// File lines of the statement it covers; nil for `ignore-file`, or when no statement follows.
    public var statementLines: ClosedRange<Int>?

    public var isFileLevel: Bool { kind == .ignoreFile }
    /// A waiver without a rule or a reason is not applied (`waiver-without-reason` reports it).
    public var isValid: Bool { !rules.isEmpty && !reason.isEmpty }
    public var location: Location { Location(file: file, line: line, column: column) }

    static let marker = "infra-guardian:"

    /// Kind, rules and reason of a comment body, or nil when the comment is not a waiver.
    static func parse(_ comment: String) -> (kind: Kind, rules: [String], reason: String)? {
        guard comment.hasPrefix(marker) else { return nil }
        let rest = comment.dropFirst(marker.count)
        let words = rest.split(maxSplits: 2, omittingEmptySubsequences: true, whereSeparator: \.isWhitespace)
        guard let first = words.first, let kind = Kind(rawValue: String(first)) else { return nil }
        let rules = words.count > 1
            ? words[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            : []
        let reason = words.count > 2 ? words[2].trimmingCharacters(in: .whitespacesAndNewlines) : ""
        return (kind, rules, reason)
    }

    /// The waivers of one parsed section, each tied to the statement it precedes (or sits in).
    static func directives(in section: ParsedSection, file: String) -> [WaiverDirective] {
        section.comments.compactMap { comment in
            guard let parsed = parse(comment.text) else { return nil }
            var lines: ClosedRange<Int>?
            // The first statement that ends after the comment: the one it sits in, else the next one.
            if parsed.kind != .ignoreFile,
               let statement = section.statements.first(where: { $0.doBlockLine == nil && $0.byteEnd > comment.byteRange.lowerBound }) {
                lines = statement.line...statement.endLine
            }
            return WaiverDirective(kind: parsed.kind, rules: parsed.rules, reason: parsed.reason, file: file,
                                   line: comment.line, column: comment.column, statementLines: lines)
        }
    }
}
