import Foundation

/// The findings a team accepted when it adopted the gate (`infra-guardian baseline`), by stable
/// fingerprint: with a baseline, `audit` and `lint` gate only on findings that are not in it, and
/// count the ones that have been fixed since (as SwiftLint, detekt and PHPStan baselines do).
///
/// The file comes from the repository, so it is input like any other: read with a size limit,
/// checked, and what it exempts is always shown in the report.
public struct Baseline: Codable, Sendable, Equatable {
    public static let schemaVersion = 1
    public static let defaultFileName = ".infra-guardian-baseline.json"
    /// A baseline of a large old repository holds thousands of entries; 32 MB is not a baseline.
    public static let sizeLimit = 32 << 20

    public var schemaVersion: Int
    public var generatedAt: Date
    public var toolVersion: String
    public var findings: [Entry]

    /// One accepted finding. `location` is for the people reviewing the file; matching uses only
    /// `rule` and `fingerprint`.
    public struct Entry: Codable, Sendable, Equatable {
        public var rule: String
        public var fingerprint: String
        public var location: String
    }

    public init(findings: [Finding], migrations: MigrationSet, generatedAt: Date, toolVersion: String) {
        schemaVersion = Self.schemaVersion
        self.generatedAt = generatedAt
        self.toolVersion = toolVersion
        var fingerprints = BaselineFingerprint(migrations)
        self.findings = findings.filter { $0.waiver == nil }.map { finding in
            Entry(rule: finding.ruleID, fingerprint: fingerprints.of(finding), location: finding.location.description)
        }
    }

    public struct Problem: Error, CustomStringConvertible, Equatable {
        public var message: String
        public var description: String { message }
    }

    public static func load(_ path: String) throws -> Baseline {
        let bytes: [UInt8]
        switch RegularFile.read(path, limit: sizeLimit) {
        case .success(let read): bytes = read
        case .failure(let refusal):
            throw Problem(message: "cannot read baseline \(SecretMasking.quotable(path)): \(refusal.reason)")
        }
        let baseline: Baseline
        do {
            baseline = try JSONRenderer.decoder().decode(Baseline.self, from: Data(bytes))
        } catch {
            throw Problem(message: "\(SecretMasking.quotable(path)) is not an infra-guardian baseline (from `infra-guardian baseline`): "
                          + SecretMasking.quotable(String(describing: error), limit: 300))
        }
        guard baseline.schemaVersion == schemaVersion else {
            throw Problem(message: "\(SecretMasking.quotable(path)) has baseline schemaVersion \(baseline.schemaVersion); this infra-guardian reads \(schemaVersion): record it again with `infra-guardian baseline`")
        }
        return baseline
    }

    /// The file's text: pretty-printed, keys sorted, so a re-recorded baseline diffs cleanly.
    public func encoded() throws -> String { try JSONRenderer.render(self) }

    /// Marks the active findings this baseline holds as `.baseline` (each entry excuses one finding:
    /// a problem repeated since is new); history findings consume their entry but stay history.
    /// - Parameter evaluated: the rules that ran: an entry of another rule is neither matched nor fixed
    ///   (`lint` runs only the migration rules of a baseline recorded by `audit`); nil: all of them.
    func apply(to findings: inout [Finding], migrations: MigrationSet, path: String,
               evaluated: Set<String>? = nil) -> BaselineOutcome {
        var remaining: [String: Int] = [:]
        let entries = self.findings.filter { evaluated?.contains($0.rule) ?? true }
        for entry in entries { remaining[entry.rule + "\u{1F}" + entry.fingerprint, default: 0] += 1 }
        var fingerprints = BaselineFingerprint(migrations)
        var matched = 0
        for index in findings.indices where findings[index].waiver == nil {
            let key = findings[index].ruleID + "\u{1F}" + fingerprints.of(findings[index])
            guard let count = remaining[key], count > 0 else { continue }
            remaining[key] = count - 1
            if findings[index].exemption == nil {
                findings[index].exemption = .baseline
                matched += 1
            }
        }
        return BaselineOutcome(path: path, recorded: entries.count, matched: matched,
                               fixed: remaining.values.reduce(0, +))
    }
}

/// What a baseline did to one report.
public struct BaselineOutcome: Codable, Sendable, Equatable {
    public var path: String
    /// Entries in the file (of the rules that ran).
    public var recorded: Int
    /// Findings of this run it exempted.
    public var matched: Int
    /// Entries that matched no finding: fixed since the baseline was recorded.
    public var fixed: Int
}

/// A finding's identity across runs, unaffected by line numbers: the rule, then for a finding in a
/// migration file its file and the statement it points at (comments dropped, white space
/// collapsed), for a database object the object (not the message: live figures change between
/// runs), otherwise the file and message.
struct BaselineFingerprint {
    private let files: [String: MigrationFile]
    /// Each file's statements as the scanner splits them, made when a finding first points there.
    private var statements: [String: FileStatements] = [:]

    init(_ migrations: MigrationSet) {
        files = Dictionary(migrations.files.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
    }

    mutating func of(_ finding: Finding) -> String {
        let location = finding.location
        var parts = [finding.ruleID]
        if let path = location.file, let line = location.line, let statement = statement(in: path, atLine: line) {
            parts += ["file", Self.normalizedPath(path), statement]
        } else if let object = location.object {
            parts += ["object", object]
        } else {
            parts += ["file", location.file.map(Self.normalizedPath) ?? "", finding.message]
        }
        return StableHash.hex(parts.joined(separator: "\u{1F}"))
    }

    /// `./db/migrations/x.sql` and `db/migrations/x.sql` are the same file.
    static func normalizedPath(_ path: String) -> String {
        var path = Substring(path)
        while path.hasPrefix("./") { path = path.dropFirst(2) }
        return String(path)
    }

    private mutating func statement(in path: String, atLine line: Int) -> String? {
        if statements[path] == nil {
            guard let text = files[path]?.contents else { return nil }
            statements[path] = FileStatements(text)
        }
        return statements[path]?.statement(atLine: line)
    }
}

/// One file's text, its line starts and the scanner's statement split (no parse tree).
struct FileStatements {
    let bytes: [UInt8]
    let lineStarts: [Int]
    let spans: [PgQuery.Span]

    init(_ text: String) {
        let bytes = Array(text.utf8)
        self.bytes = bytes
        lineStarts = LineStarts.of(bytes)
        if case .success(let split) = PgQuery.splitWithScanner(bytes[...]) { spans = split } else { spans = [] }
    }

    /// The normalized text of the statement that covers 1-based `line`, if one does.
    func statement(atLine line: Int) -> String? {
        guard line >= 1, line <= lineStarts.count else { return nil }
        let lineStart = lineStarts[line - 1]
        let lineEnd = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        guard let span = spans.first(where: { span in
            span.location <= lineEnd && end(of: span) > lineStart
        }) else { return nil }
        return NormalizedStatement.text(String(decoding: bytes[span.location..<end(of: span)], as: UTF8.self))
    }

    private func end(of span: PgQuery.Span) -> Int {
        span.length > 0 ? min(span.location + span.length, bytes.count) : bytes.count
    }
}
