import Foundation

/// A check: a pure function of the collected input and the configuration. No I/O.
public protocol Rule: Sendable {
    /// The rule's identity card: id, category, default severity, why, fix and examples.
    static var description: RuleDescription { get }
    /// Instance access to the description; rule packs loaded at run time override it.
    var ruleDescription: RuleDescription { get }
    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding]
    /// True for the rules that wait for the schema replay (`ReadsStatementLocks`).
    var readsStatementLocks: Bool { get }
    /// True for the rules that read the replayed schema (`ReadsAppliedSchema`).
    var readsAppliedSchema: Bool { get }
}

extension Rule {
    public var ruleDescription: RuleDescription { Self.description }
    public var readsStatementLocks: Bool { false }
    public var readsAppliedSchema: Bool { false }

    /// A finding of this rule with its default severity (the evaluator applies overrides).
    public func finding(_ message: String, at location: Location, fix: String? = nil) -> Finding {
        let description = ruleDescription
        return Finding(ruleID: description.id, category: description.category, severity: description.severity,
                       message: message, fix: fix ?? description.fix, location: location)
    }
}

/// What `infra-guardian explain ID` prints, and what the generic example test runs.
public struct RuleDescription: Sendable {
    public var id: String
    public var category: Category
    public var severity: Severity
    /// One line: what is wrong.
    public var summary: String
    /// What exactly it reports, with its thresholds and exemptions: the README's rule table
    /// (`infra-guardian rules --format md`); the summary when nil.
    public var finds: String?
    /// Why it matters, in a few sentences.
    public var why: String
    /// How to fix it, with the safe sequence of statements where there is one.
    public var fix: String
    public var badExamples: [RuleExample]
    public var goodExamples: [RuleExample]
    /// Destructive changes: only `-- infra-guardian:approve ID reason` waives them, not `ignore`.
    public var requiresApproval: Bool

    public init(id: String, category: Category, severity: Severity, summary: String, finds: String? = nil,
                why: String, fix: String,
                bad: [RuleExample], good: [RuleExample], requiresApproval: Bool = false) {
        self.id = id
        self.category = category
        self.severity = severity
        self.summary = summary
        self.finds = finds
        self.why = why
        self.fix = fix
        self.badExamples = bad
        self.goodExamples = good
        self.requiresApproval = requiresApproval
    }
}

/// An example input: shown by `explain`, and run as a test (bad ones must raise the rule, good ones not).
public struct RuleExample: Sendable {
    /// What a reader sees: SQL, or a short description of the live state.
    public var text: String
    public var input: @Sendable () -> AuditInput
    /// For a bad example: where its finding must land (the example test checks it).
    public var expected: ExpectedPlace?

    public init(_ text: String, expected: ExpectedPlace? = nil, input: @escaping @Sendable () -> AuditInput) {
        self.text = text
        self.expected = expected
        self.input = input
    }

    /// SQL that sets up a database for the example (rule packs): the example runs against a real
    /// server, not through `input`, which is then empty.
    public var setupSQL: String?

    public init(setupSQL: String) {
        self.init(setupSQL) { AuditInput() }
        self.setupSQL = setupSQL
    }

    /// Where a bad example's finding lands: a line (and column) of the example's file, the file as a
    /// whole, or a database object or key pattern.
    public enum ExpectedPlace: Sendable, Equatable {
        case line(Int, column: Int? = nil)
        case file
        case object(String)
    }

    /// A migration file with this text; without `-- migrate:` markers the text becomes the up section
    /// and a trivial down section is added, so the example shows only what it is about.
    /// - Parameter at: where a bad example's finding must land; default: the first line of the up
    ///   section that holds SQL (line 2 of the file when the markers are added).
    /// - Parameter kind: `.supabase` puts the text as it is in `supabase/migrations` (no markers).
    ///   `.psql` in a folder run with `psql -f`.
    /// - Parameter supabaseCLI: the Supabase CLI release a `.supabase` file is read under.
    /// - Parameter now: the collection time (`RuleContext.now`), for rules about dates.
    public static func migration(_ sql: String, fileName: String = "202401011200_example.sql",
                                 applied: [String]? = nil, now: Date? = nil, at place: ExpectedPlace? = nil,
                                 kind: MigrationKind = .dbmate, supabaseCLI: SupabaseCLIVersion = .latest) -> RuleExample {
        let text = kind != .dbmate || sql.contains("-- migrate:up") ? sql : "-- migrate:up\n\(sql)\n\n-- migrate:down\nSELECT 1;\n"
        let folder = switch kind {
        case .dbmate: "db/migrations"
        case .supabase: "supabase/migrations"
        case .psql: "sql"
        }
        return RuleExample(sql, expected: place ?? (kind == .dbmate ? firstStatementLine(text) : .line(1, column: 1))) {
            let file = MigrationFileParser.parse(path: "\(folder)/\(fileName)", kind: kind, text: text)
            var input = AuditInput(migrations: MigrationSet(
                folders: [MigrationFolder(path: folder, kind: kind, exists: true, explicit: false)],
                files: [file], supabaseCLI: supabaseCLI))
            if let now { input.collectedAt = now }
            if let applied {
                input.postgres = Collected(target: "postgres://example", value: PostgresSnapshot(
                    migrationHistory: MigrationHistory(dbmate: applied.map { AppliedMigration(version: $0) })))
            }
            return input
        }
    }

    /// A TypeScript source tree of these files (`path`, text), read into `AuditInput.adapters`.
    public static func source(_ files: [(String, String)], at place: ExpectedPlace? = nil) -> RuleExample {
        let shown = files.map { "// \($0.0)\n\($0.1)" }.joined(separator: "\n")
        return RuleExample(shown, expected: place) {
            AuditInput(sourceRoot: "", adapters: AdapterGraphBuilder.build(files: files))
        }
    }

    /// Several migration files, applied in the order given; a bad example's finding must land on the
    /// first SQL line of the last file unless `at` says otherwise. Markers are added as in `migration`.
    public static func migrations(_ files: [(name: String, sql: String)], now: Date? = nil,
                                  at place: ExpectedPlace? = nil) -> RuleExample {
        let texts = files.map { file in
            (file.name, file.sql.contains("-- migrate:up") ? file.sql : "-- migrate:up\n\(file.sql)\n\n-- migrate:down\nSELECT 1;\n")
        }
        let shown = files.map { "-- \($0.name)\n\($0.sql)" }.joined(separator: "\n")
        return RuleExample(shown, expected: place ?? texts.last.map { firstStatementLine($0.1) } ?? .file) {
            let parsed = texts.map { MigrationFileParser.parse(path: "db/migrations/\($0.0)", kind: .dbmate, text: $0.1) }
            var input = AuditInput(migrations: MigrationSet(
                folders: [MigrationFolder(path: "db/migrations", kind: .dbmate, exists: true, explicit: false)], files: parsed))
            if let now { input.collectedAt = now }
            return input
        }
    }

    /// The line of the first SQL after `-- migrate:up` (blank lines and `--` comments skipped).
    static func firstStatementLine(_ text: String) -> ExpectedPlace {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let start = (lines.firstIndex { $0.contains("-- migrate:up") } ?? -1) + 1
        for index in start..<lines.count {
            let line = lines[index].trimmingCharacters(in: .whitespaces)
            if !line.isEmpty && !line.hasPrefix("--") {
                return .line(index + 1, column: lines[index].prefix { $0 == " " }.count + 1)
            }
        }
        return .file
    }

    public static func postgres(_ text: String, _ snapshot: @escaping @Sendable () -> PostgresSnapshot) -> RuleExample {
        RuleExample(text) { AuditInput(postgres: Collected(target: "postgres://example", value: snapshot())) }
    }

    public static func redis(_ text: String, _ snapshot: @escaping @Sendable () -> RedisSnapshot) -> RuleExample {
        RuleExample(text) { AuditInput(redis: Collected(target: "redis://example", value: snapshot())) }
    }
}

/// What a rule may consult besides the input.
public struct RuleContext: Sendable {
    public var configuration: Configuration
    /// The time the audit considers "now" (the collection time), so results are reproducible.
    public var now: Date
    /// The parsed migrations, built once by the Evaluator; nil when a rule runs alone (tests).
    public var migrationAnalysis: MigrationAnalysis?

    public init(configuration: Configuration = Configuration(), now: Date = Date(timeIntervalSince1970: 0),
                migrationAnalysis: MigrationAnalysis? = nil) {
        self.configuration = configuration
        self.now = now
        self.migrationAnalysis = migrationAnalysis
    }

    /// The parsed migrations of `input`: the shared analysis when the Evaluator built one.
    public func migrations(_ input: AuditInput) -> MigrationAnalysis {
        migrationAnalysis ?? MigrationAnalysis(input.migrations)
    }

    public var thresholds: Thresholds { configuration.thresholds }
}

/// A rule that reads `MigrationAnalysis.statementLocks` (the schema replay): the evaluator starts
/// these after the others, so that no core waits idle for the replay.
/// (A property rather than an `is ReadsStatementLocks` test: a cast to a protocol searches the
/// binary's conformance records, milliseconds on the main thread for a hundred rules.)
protocol ReadsStatementLocks: Rule {}

extension ReadsStatementLocks {
    public var readsStatementLocks: Bool { true }
}

/// A rule that reads `AppliedSchema` (the up sections' DDL replayed in order, computed once by
/// whichever rule asks first): the evaluator starts one of these first, so that one core builds
/// the schema while the other runs the rules that do not need it, and the rest of these after them.
protocol ReadsAppliedSchema: Rule {}

extension ReadsAppliedSchema {
    public var readsAppliedSchema: Bool { true }
}
