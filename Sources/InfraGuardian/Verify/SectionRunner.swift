import Foundation

/// A statement that failed: where, and PostgreSQL's words.
struct StatementFailure: Error {
    var line: Int?
    var message: String
    /// The server went away or was shut down (no SQLSTATE, class 08 or 57P): not the migration's fault.
    var serverLost = false

    init(line: Int?, error: Error, prefix: String = "") {
        self.line = line
        message = prefix + SectionRunner.message(error)
        let state = (error as? PostgresError)?.sqlState
        serverLost = state.map { $0.hasPrefix("08") || $0.hasPrefix("57P") } ?? true
    }

    /// The extension the scratch server lacks (`CREATE EXTENSION` of one not installed there): the
    /// server's shortcoming, not the migration's.
    var missingExtension: String? {
        guard message.contains("is not available"), let start = message.range(of: "extension \"") else { return nil }
        let rest = message[start.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}

/// Runs one migration section on the scratch database the way its migration tool would:
/// dbmate wraps a section in one transaction unless `transaction:false` (then it sends the section
/// as one query); the Supabase CLI runs a file in one transaction; psql runs statements one by one.
/// Transactional sections are sent statement by statement inside the transaction, so that after
/// each one `LockTrace` can read the locks the transaction holds and the relations' file nodes.
struct SectionRunner {
    let connection: PostgresConnection

    func run(_ section: MigrationSection, parsed: ParsedSection?, kind: MigrationKind,
             trace: LockTrace? = nil) throws(StatementFailure) {
        let statements = (parsed?.statements ?? []).filter { $0.doBlockLine == nil }
        let readable = parsed.map { $0.syntaxErrors.isEmpty } ?? false
        let transactional = kind != .psql && section.transaction
        guard readable, transactional || kind == .psql else {
            // One query, as dbmate sends a `transaction:false` section (PostgreSQL runs several
            // statements in it as one implicit block); also unparsable text, for the server's error.
            try wrapped(transactional) { () throws(StatementFailure) in
                do { try connection.run(section.text) } catch {
                    throw failure(error, section: section)
                }
            }
            return
        }
        try wrapped(transactional) { () throws(StatementFailure) in
            for statement in statements {
                do { try connection.run(statement.text) } catch {
                    throw StatementFailure(line: statement.line, error: error)
                }
                trace?.observe(after: statement, connection: connection)
            }
        }
    }

    /// `body` inside BEGIN … COMMIT when `transactional`; ROLLBACK when it fails.
    private func wrapped(_ transactional: Bool, _ body: () throws(StatementFailure) -> Void) throws(StatementFailure) {
        guard transactional else { return try body() }
        do { try connection.run("BEGIN") } catch { throw StatementFailure(line: nil, error: error) }
        do {
            try body()
        } catch {
            try? connection.run("ROLLBACK")
            throw error
        }
        do { try connection.run("COMMIT") } catch {
            try? connection.run("ROLLBACK")
            throw StatementFailure(line: nil, error: error, prefix: "at COMMIT: ")
        }
    }

    private func failure(_ error: Error, section: MigrationSection) -> StatementFailure {
        var line: Int?
        if let position = (error as? PostgresError)?.position, position > 0 {
            let before = section.text.unicodeScalars.prefix(position - 1)
            line = section.startLine + before.filter { $0 == "\n" }.count
        }
        return StatementFailure(line: line, error: error)
    }

    static func message(_ error: Error) -> String {
        (error as? PostgresError)?.message ?? "\(error)"
    }
}

/// Locks and rewrites observed while an up section runs, statement by statement. Only tables
/// (and their indexes) that existed before the migration count: new objects are nobody else's.
final class LockTrace {
    /// oid → (`schema.name`, relkind, file node) of every relation that existed before up.
    private let before: [String: (name: String, kind: String, fileNode: String)]
    /// Tables that existed before up (`schema.table`).
    private let existingTables: Set<String>
    private let predicted: (SQLStatement) -> [RelationLock]
    private var held: Set<String> = []
    private var fileNodes: [String: String]
    private(set) var locks: [ObservedLock] = []
    private(set) var rewrites: [ObservedRewrite] = []
    private(set) var failures: [String] = []

    init(connection: PostgresConnection, predicted: @escaping (SQLStatement) -> [RelationLock]) throws {
        self.predicted = predicted
        var before: [String: (name: String, kind: String, fileNode: String)] = [:]
        for row in try connection.query(Self.relationsQuery) where row.count == 4 {
            guard let oid = row[0], let name = row[1], let kind = row[2], let node = row[3] else { continue }
            before[oid] = (name, kind, node)
        }
        self.before = before
        existingTables = Set(before.values.filter { ["r", "p", "m"].contains($0.kind) }.map(\.name))
        fileNodes = before.mapValues(\.fileNode)
        let indexes = before.filter { $0.value.kind == "i" }
        indexOIDs = Dictionary(indexes.map { ($0.value.name, $0.key) }, uniquingKeysWith: { first, _ in first })
        indexNames = "{" + indexOIDs.keys.sorted().map(Self.arrayElement).joined(separator: ",") + "}"
    }

    /// `schema.index` → oid of the indexes that existed before up: ALTER COLUMN TYPE and the like
    /// rebuild an index under a new oid, found again by its name.
    private let indexOIDs: [String: String]
    private let indexNames: String

    /// One element of a text array literal, quoted.
    private static func arrayElement(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    func observe(after statement: SQLStatement, connection: PostgresConnection) {
        let rows: [[String?]]
        do {
            rows = try connection.query(Self.observeQuery, ["{" + before.keys.joined(separator: ",") + "}", indexNames])
        } catch {
            failures.append("line \(statement.line): \(SectionRunner.message(error))")
            return
        }
        let expected = predicted(statement)
        let shown = Self.shortened(statement.text)
        for row in rows where row.count == 4 {
            guard let what = row[0], let name = row[1], let value = row[2] else { continue }
            if what == "lock" {
                guard existingTables.contains(name), held.insert("\(name) \(value)").inserted else { continue }
                let mode = Self.rank(value)
                let isPredicted = expected.contains { lock in
                    Self.sameTable(lock.relation, name) && lock.mode.rawValue >= mode
                }
                locks.append(ObservedLock(table: name, mode: value, line: statement.line, statement: shown,
                                          predicted: isPredicted || mode < LockMode.shareRowExclusive.rawValue))
            } else if what == "rebuilt", let oid = indexOIDs[name], let relation = before[oid], fileNodes[oid] != "rebuilt " + value {
                // The index was dropped and built again under the same name (a new oid).
                fileNodes[oid] = "rebuilt " + value
                rewrites.append(ObservedRewrite(relation: relation.name, kind: "index", line: statement.line, statement: shown,
                                                rows: nil, predicted: expected.contains(where: \.scans)))
            } else if what == "file", let old = fileNodes[name], old != value, let relation = before[name] {
                fileNodes[name] = value
                let table = relation.kind == "i" ? nil : relation.name
                let isPredicted = expected.contains { lock in lock.scans && table.map { Self.sameTable(lock.relation, $0) } ?? true }
                rewrites.append(ObservedRewrite(relation: relation.name, kind: relation.kind == "i" ? "index" : "table",
                                                line: statement.line, statement: shown,
                                                rows: table.flatMap { Self.rows(of: $0, connection) }, predicted: isPredicted))
            }
        }
    }

    /// PostgreSQL's lock mode names, weakest first (`LockMode` uses the same numbers).
    private static let modes = ["AccessShareLock", "RowShareLock", "RowExclusiveLock", "ShareUpdateExclusiveLock",
                                "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"]

    static func rank(_ mode: String) -> Int { (modes.firstIndex(of: mode) ?? -1) + 1 }

    /// `leads` (as the linter names it) and `public.leads` (as the catalog does) are one table.
    static func sameTable(_ predicted: String, _ observed: String) -> Bool {
        let name = predicted.lowercased()
        return name == observed || "public.\(name)" == observed
    }

    static func shortened(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.count > 80 ? String(trimmed.prefix(77)) + "..." : trimmed
    }

    private static func rows(of table: String, _ connection: PostgresConnection) -> Int? {
        let parts = table.split(separator: ".", maxSplits: 1).map(String.init)
        let quoted = parts.map(quoteIdentifier).joined(separator: ".")
        return (try? connection.value("SELECT count(*) FROM \(quoted)")).flatMap { $0.flatMap { Int($0) } }
    }

    private static let userRelations = """
        n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg\\_temp\\_%'
        """

    private static let relationsQuery = """
        SELECT c.oid::text, n.nspname || '.' || c.relname, c.relkind::text, COALESCE(pg_relation_filenode(c.oid), 0)::text
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'm', 'i') AND \(userRelations)
        """

    /// One round trip after each statement: the relation locks this backend holds, and the file
    /// node of every relation that existed before up.
    private static let observeQuery = """
        SELECT 'lock', n.nspname || '.' || c.relname, l.mode, c.relkind::text
        FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted AND \(userRelations)
        UNION ALL
        SELECT 'file', c.oid::text, COALESCE(pg_relation_filenode(c.oid), 0)::text, c.relkind::text
        FROM pg_class c WHERE c.oid = ANY($1::oid[])
        UNION ALL
        SELECT 'rebuilt', n.nspname || '.' || c.relname, COALESCE(pg_relation_filenode(c.oid), 0)::text, c.relkind::text
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'i' AND n.nspname || '.' || c.relname = ANY($2::text[]) AND NOT c.oid = ANY($1::oid[])
        """
}
