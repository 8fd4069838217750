import Dispatch
import Foundation
import Synchronization

/// The migration files parsed once per evaluation by PostgreSQL's own parser (libpg_query), for
/// every migration rule to share. The `Evaluator` builds it and passes it in `RuleContext`.
///
/// How a rule uses it:
/// ```swift
/// func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
///     context.migrations(input).upStatements.compactMap { file, statement in
///         // `kind` is the parse-tree node; `node` its body, read with subscripts.
///         guard statement.kind == .indexStmt, !statement.node[.concurrent].bool,
///               statement.targetExistedBefore else { return nil }
///         return finding("CREATE INDEX on \(statement.targetTable ?? "?") blocks writes.", at: statement.location)
///     }
/// }
/// ```
/// - Only `upStatements` are the change under review; `file.down` is there for validity checks.
/// - Each `SQLStatement` knows its file position, its transaction block (`inTransaction`,
///   `transaction.explanation`), whether its table was created earlier in the same file
///   (`targetCreatedInFile` / `targetExistedBefore`) and whether lock/statement timeouts are set.
/// - Report at `statement.location`: waivers (`-- infra-guardian:ignore RULE reason`) match
///   findings by file and line, and the Evaluator applies them; rules never read waivers.
/// - The node names and fields are PostgreSQL's (`src/include/nodes/parsenodes.h`); print
///   `statement.node` members in a test, or run libpg_query on a sample, to see a tree.
public struct MigrationAnalysis: Sendable {
    /// In the order of `MigrationSet.files`.
    public let files: [FileAnalysis]
    /// The Supabase CLI release modelled for Supabase files (`migrations.supabase_cli`).
    public let supabaseCLI: SupabaseCLIVersion
    /// Every statement of every up section, with its file: what most rules iterate.
    public let upStatements: [(file: FileAnalysis, statement: SQLStatement)]
    /// `upStatements` grouped by `kind`, each group in `upStatements` order: the kinds rules ask
    /// for (data statements, millions in a seed, are made from their positions when asked).
    private let upStatementsByKind: [PG.NodeKind: [(file: FileAnalysis, statement: SQLStatement)]]
    /// Positions in `upStatements` (and `statementLocks`) of each kind's statements, in order.
    private let upPositionsByKind: [PG.NodeKind: [Int]]
    /// Locks and schema facts of each element of `upStatements` (same order), for the lock rules.
    var statementLocks: StatementLocksTable { pendingLocks.value }
    /// The schema replay walks files in version order, so it is one thread's work: it runs on a
    /// thread of its own while the other rules run (the rules that read it start last).
    private let pendingLocks: Pending<StatementLocksTable>

    /// Every column whose type an up section sets (CREATE TABLE, ADD COLUMN, ALTER COLUMN TYPE),
    /// for the five column-type rules: read per file on all cores while parsing, put in one list
    /// when first asked (by a rule, not before the rules start).
    public var upColumnDefinitions: [(statement: SQLStatement, column: ColumnDefinition)] {
        shared(UpColumnDefinitions.self)
    }
    /// What several rules derive from the same statements, computed once (see `shared(_:)`).
    let sharedFacts = SharedFacts()

    public init(_ set: MigrationSet) {
        supabaseCLI = set.supabaseCLI
        let parsed = Self.parseAll(set.files, supabaseCLI: set.supabaseCLI)
        // "Existed before this migration" follows the order dbmate and Supabase apply files in.
        let keys = set.files.map { ($0.version ?? "", $0.fileName) }
        let order = set.files.indices.sorted { keys[$0] < keys[$1] }
        // One shared map (table → position of the first file creating it) instead of a set per
        // file: copying a growing set into every file was quadratic.
        var position = [Int](repeating: 0, count: set.files.count)
        var firstCreated: [String: Int] = [:]
        for (rank, index) in order.enumerated() {
            position[index] = rank
            for table in parsed[index].tablesCreatedHere where firstCreated[table] == nil { firstCreated[table] = rank }
        }
        files = set.files.indices.map {
            FileAnalysis(set.files[$0], parsed[$0], position: position[$0], firstCreated: firstCreated)
        }
        let files = files
        pendingLocks = Pending { SchemaReplay.statementLocks(files: files) }
        var upStatements: [(file: FileAnalysis, statement: SQLStatement)] = []
        upStatements.reserveCapacity(files.reduce(0) { $0 + ($1.up?.statements.count ?? 0) })
        // One hash of each kind: positions first, then the statements at them.
        var positionsByKind: [PG.NodeKind: [Int]] = [:]
        for file in files {
            for statement in file.up?.statements ?? [] {
                positionsByKind[statement.kind, default: []].append(upStatements.count)
                upStatements.append((file, statement))
            }
        }
        self.upStatements = upStatements
        upPositionsByKind = positionsByKind
        upStatementsByKind = positionsByKind.filter { SQLStatement.keepsTree($0.key) }
            .mapValues { positions in positions.map { upStatements[$0] } }
    }

    /// The up statements of one kind (`"IndexStmt"`...), in `upStatements` order: for rules that
    /// look at a single kind, so they skip the other statements without visiting them.
    public func upStatements(kind: PG.NodeKind) -> [(file: FileAnalysis, statement: SQLStatement)] {
        upStatementsByKind[kind] ?? (upPositionsByKind[kind] ?? []).map { upStatements[$0] }
    }

    /// Positions in `upStatements` (and `statementLocks`) of the up statements of one kind, in
    /// order: for lock rules that look at a single kind, so they read only those statements' locks.
    public func upStatementPositions(kind: PG.NodeKind) -> [Int] {
        upPositionsByKind[kind] ?? []
    }

    /// Every waiver comment of every file.
    public var waivers: [WaiverDirective] { files.flatMap(\.waivers) }

    /// Files are independent until "created earlier" is resolved, so they are parsed on all cores
    /// (libpg_query keeps its memory contexts per thread).
    private static func parseAll(_ files: [MigrationFile], supabaseCLI: SupabaseCLIVersion) -> [ParsedFile] {
        guard files.count > 8 else { return files.map { ParsedFile($0, supabaseCLI: supabaseCLI) } }
        // First PostgreSQL's parser over every section (and the index of its output, while that
        // is in the caches), then everything else: each pass keeps its own code and data in the
        // caches, which made the whole lint run a tenth faster.
        let preparsed = Parallel.map(files.count) { index in
            (up: files[index].up.map(PreparsedSection.init), down: files[index].down.map(PreparsedSection.init))
        }
        return Parallel.map(files.count) { index in ParsedFile(files[index], supabaseCLI: supabaseCLI, preparsed: preparsed[index]) }
    }
}

/// A value computed on a thread of its own; `value` waits for it. A dedicated thread rather than
/// a Dispatch queue: the rules that wait run on Dispatch's workers, which must not be the ones the
/// computation is queued behind.
final class Pending<Value: Sendable>: Sendable {
    private let result = Mutex<Value?>(nil)
    /// Signalled once the result is in; each waiter passes the signal on to the next.
    private let done = DispatchSemaphore(value: 0)

    init(stackSize: Int = 8 << 20, _ work: @escaping @Sendable () -> Value) {
        let thread = Thread { [self] in
            let computed = work()
            result.withLock { $0 = computed }
            done.signal()
        }
        thread.stackSize = stackSize
        thread.start()
    }

    var value: Value {
        while true {
            if let value = result.withLock({ $0 }) { return value }
            done.wait()
            done.signal()
        }
    }
}

/// What parsing one file yields before files are related to each other.
struct ParsedFile: Sendable {
    var up: ParsedSection?
    var down: ParsedSection?
    var tablesCreatedHere: Set<String>
    var waivers: [WaiverDirective]
    /// The columns whose type the up section sets, read here so that it happens on all cores.
    var upColumnDefinitions: [(statement: SQLStatement, column: ColumnDefinition)]

    init(_ file: MigrationFile, supabaseCLI: SupabaseCLIVersion,
         preparsed: (up: PreparsedSection?, down: PreparsedSection?) = (nil, nil)) {
        var parser = SectionParser(supabaseCLI: supabaseCLI)
        up = file.up.map { parser.parse($0, role: .up, file: file, preparsed: preparsed.up) }
        tablesCreatedHere = parser.objects.tablesEverCreated
        down = file.down.map { parser.parse($0, role: .down, file: file, preparsed: preparsed.down) }
        waivers = [up, down].compactMap { $0 }.flatMap { WaiverDirective.directives(in: $0, file: file.path) }
        upColumnDefinitions = (up?.statements ?? []).flatMap { statement in statement.columnDefinitions.map { (statement, $0) } }
    }
}

/// One migration file, parsed. A class: rules pass it around with every statement.
public final class FileAnalysis: Sendable {
    public let file: MigrationFile
    /// dbmate: the `-- migrate:up` section; Supabase: the whole file. Nil when there is none.
    public let up: ParsedSection?
    public let down: ParsedSection?
    /// Tables the up section creates (`CREATE TABLE`, `CREATE TABLE … AS`).
    public let tablesCreatedHere: Set<String>
    /// Position of the file in version order (the order dbmate and Supabase apply files in).
    public let position: Int
    /// Table → position of the first file that creates it; shared by all files.
    private let firstCreated: [String: Int]
    public let waivers: [WaiverDirective]
    /// The columns whose type the up section sets (see `MigrationAnalysis.upColumnDefinitions`).
    let upColumnDefinitions: [(statement: SQLStatement, column: ColumnDefinition)]

    init(_ file: MigrationFile, _ parsed: ParsedFile, position: Int, firstCreated: [String: Int]) {
        self.file = file
        up = parsed.up
        down = parsed.down
        tablesCreatedHere = parsed.tablesCreatedHere
        self.position = position
        self.firstCreated = firstCreated
        waivers = parsed.waivers
        upColumnDefinitions = parsed.upColumnDefinitions
    }

    /// True when a file earlier in version order creates `table`.
    public func wasCreatedEarlier(_ table: String) -> Bool {
        firstCreated[table].map { $0 < position } ?? false
    }

    /// Tables created by files that come earlier in version order.
    public var tablesCreatedEarlier: Set<String> {
        Set(firstCreated.filter { $0.value < position }.keys)
    }

    /// Syntax errors of both sections, up first.
    public var syntaxErrors: [SQLSyntaxProblem] { (up?.syntaxErrors ?? []) + (down?.syntaxErrors ?? []) }
}

/// `MigrationAnalysis.upColumnDefinitions`: the files' lists in one, made once.
enum UpColumnDefinitions: SharedFact {
    static func compute(_ analysis: MigrationAnalysis) -> [(statement: SQLStatement, column: ColumnDefinition)] {
        analysis.files.flatMap(\.upColumnDefinitions)
    }
}
