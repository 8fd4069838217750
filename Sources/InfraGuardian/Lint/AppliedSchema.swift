/// Where a statement stands in the order migrations are applied: files in version order, then
/// statements in file order.
struct ApplyStep: Comparable, Hashable, Sendable {
    let file: Int
    let index: Int

    init(_ file: FileAnalysis, _ statement: SQLStatement) {
        self.init(file: file.position, index: statement.index)
    }

    init(file: Int, index: Int) {
        self.file = file
        self.index = index
    }

    static func < (lhs: ApplyStep, rhs: ApplyStep) -> Bool { (lhs.file, lhs.index) < (rhs.file, rhs.index) }
}

/// A UNIQUE or PRIMARY KEY constraint, or a unique index, on plain columns.
struct UniqueKey: Hashable, Sendable {
    var columns: Set<String>
    /// A partial unique index (`WHERE …`): ON CONFLICT infers it only with a matching WHERE.
    var partial: Bool
    var name: String?
}

/// What ON CONFLICT inference can use on a table at one point of the replay.
struct TableKeys: Sendable {
    var keys: [UniqueKey] = []
    /// False when the table may have keys the replay cannot see (LIKE, INHERITS, PARTITION OF, AS).
    var complete = true
    var hasExclusion = false
}

/// A foreign key of a table created in the migrations.
struct ReplayedForeignKey: Sendable {
    var name: String
    var columns: [String]
    var target: String
}

/// A partition's upper bound as written: a readable date, MAXVALUE, or something else.
enum PartitionUpperBound: Sendable, Equatable {
    case date(String)
    case maxValue
    case unreadable
}

struct ReplayedPartition: Sendable {
    var name: String
    /// nil for the DEFAULT partition.
    var upper: PartitionUpperBound?
    var isDefault: Bool { upper == nil }
    /// Position in `upStatements` of the statement that created or attached it.
    var position: Int
}

/// A table the migrations created, as the replay knows it.
struct ReplayedTable: Sendable {
    var keys = TableKeys()
    var foreignKeys: [ReplayedForeignKey] = []
    /// `PARTITION BY` strategy (`range`, `list`, `hash`), nil for a plain table.
    var partitionStrategy: String?
    var partitions: [ReplayedPartition] = []
    var parent: String?
    /// Position in `upStatements` of its CREATE TABLE.
    var position: Int
}

/// When a relation (table, view, materialized view) existed during the replay, under one name.
struct RelationLifetimes: Sendable {
    private var spans: [String: [(from: ApplyStep, to: ApplyStep?)]] = [:]

    mutating func begin(_ name: String, at step: ApplyStep) {
        if spans[name]?.last.map({ $0.to == nil }) == true { return }
        spans[name, default: []].append((step, nil))
    }

    mutating func end(_ name: String, at step: ApplyStep) {
        guard let last = spans[name]?.indices.last, spans[name]?[last].to == nil else { return }
        spans[name]?[last].to = step
    }

    /// Created before `step` and not dropped or renamed away before it.
    func exists(_ name: String, before step: ApplyStep) -> Bool {
        spans[name]?.contains { $0.from < step && ($0.to.map { $0 >= step } ?? true) } ?? false
    }

    /// The first step creating `name` after `step`, if any.
    func firstCreation(of name: String, after step: ApplyStep) -> ApplyStep? {
        spans[name]?.first { $0.from > step }?.from
    }

    func everCreated(_ name: String) -> Bool { spans[name] != nil }
}

/// The schema the up sections build, replayed once in the order they are applied, for the rules
/// about statements that fail when applied (ON CONFLICT without a unique key, REFERENCES to a
/// missing table, a type from an extension nobody creates…). Only what the analysed files say is
/// known: DDL run by DO blocks or functions is not seen, so rules ask `mentionedInOpaqueSQL` before
/// trusting an absence.
struct AppliedSchema: Sendable {
    var relations = RelationLifetimes()
    /// Extension → the steps of its `CREATE EXTENSION` statements.
    var extensionSteps: [String: [ApplyStep]] = [:]
    /// Types and domains the migrations create (a `vector` domain would shadow the extension's).
    var typesCreated: Set<String> = []
    /// Table → (step, keys from then on; nil: not a table the replay knows), in step order.
    var keyHistory: [String: [(step: ApplyStep, keys: TableKeys?)]] = [:]
    /// DROP … CASCADE position in `upStatements` → the objects of the migrations it also removes.
    var cascadeDependents: [Int: [String]] = [:]
    /// CREATE INDEX position → the types of the plain columns it names, as the replay knows them.
    var indexColumnTypes: [Int: [String: ColumnType]] = [:]
    /// The tables at the end of the replay.
    var finalTables: [String: ReplayedTable] = [:]
    /// True when the folder plausibly builds its database from empty (see `StartsFromEmpty`).
    var startsFromEmptyDatabase = false
    /// Lowercased text of DO blocks, function bodies and statements that failed to parse: DDL the
    /// replay cannot read.
    var opaqueSQL = ""

    func extensionCreated(_ name: String, before step: ApplyStep) -> Bool {
        extensionSteps[name]?.contains { $0 < step } ?? false
    }

    /// The table's keys just before `step`; nil when the table is not one the migrations created.
    func keys(of table: String, before step: ApplyStep) -> TableKeys? {
        keyHistory[table]?.last { $0.step < step }?.keys ?? nil
    }

    /// `name` appears as a word in SQL the replay cannot read.
    func mentionedInOpaqueSQL(_ name: String) -> Bool {
        let word = name.lowercased()
        guard !word.isEmpty else { return false }
        var searchStart = opaqueSQL.startIndex
        while let range = opaqueSQL.range(of: word, range: searchStart..<opaqueSQL.endIndex) {
            let before = range.lowerBound == opaqueSQL.startIndex ? nil : opaqueSQL[opaqueSQL.index(before: range.lowerBound)]
            let after = range.upperBound == opaqueSQL.endIndex ? nil : opaqueSQL[range.upperBound]
            if !Self.isWordCharacter(before), !Self.isWordCharacter(after) { return true }
            searchStart = range.upperBound
        }
        return false
    }

    private static func isWordCharacter(_ character: Character?) -> Bool {
        guard let character else { return false }
        return character.isLetter || character.isNumber || character == "_"
    }

    /// Schemas Supabase creates and manages: objects in them exist without any migration.
    static func isManagedSchema(_ schema: String?) -> Bool {
        guard let schema else { return false }
        return ["auth", "storage", "realtime", "graphql", "graphql_public", "extensions", "pgsodium", "vault", "net",
                "cron", "pg_catalog", "information_schema", "pgbouncer"].contains(schema) || schema.hasPrefix("supabase_")
    }
}

extension AppliedSchema: SharedFact {
    static func compute(_ analysis: MigrationAnalysis) -> AppliedSchema {
        var replay = SchemaWalk()
        var offset = 0
        var offsets: [Int] = []
        for file in analysis.files {
            offsets.append(offset)
            offset += file.up?.statements.count ?? 0
        }
        for fileIndex in analysis.files.indices.sorted(by: { analysis.files[$0].position < analysis.files[$1].position }) {
            replay.walk(analysis.files[fileIndex], offset: offsets[fileIndex])
        }
        return replay.finish()
    }
}
