import Foundation
import Mustache

/// What `new-migration` wrote: one file per design (the table, then each index on an existing table).
public struct NewMigration: Sendable {
    public var paths: [String]
    public var designs: [MigrationDesign]
    /// The first design (the table's, when words were given).
    public var design: MigrationDesign { designs[0] }
    /// Where the schema was read ("the migrations", "the live catalog").
    public var schemaSource: String

    /// What `new-migration` prints: each file with the steps of its design, then the command that proves them.
    public var summary: String {
        var lines: [String] = []
        for (path, design) in zip(paths, designs) {
            lines.append("wrote \(path)")
            lines += design.steps.map { "  - \($0)" }
        }
        lines.append("next: infra-guardian verify \(paths.joined(separator: " "))")
        return lines.joined(separator: "\n") + "\n"
    }
}

extension Session {
    /// Designs a migration from `phrase` (a new table) and `indexes` (`TABLE(COLUMN, …)` on existing
    /// tables, a `CREATE INDEX CONCURRENTLY` file each) against the schema the migrations build, or the
    /// live catalog of `databaseURL` (read-only), renders each with `templates/migration.sql.mustache`
    /// (or `templateFile`) and writes it into `folder` (default: the project's migration folder). Never
    /// overwrites a file. Throws `SessionError`.
    public func newMigration(_ phrase: String?, columns: String? = nil, indexes: [String] = [], folder: String? = nil,
                             templateFile: String? = nil, databaseURL: String? = nil, now: Date = Date()) throws -> NewMigration {
        let root = options.directory
        let set = configuredMigrations()
        let target = folder ?? Self.projectFolder(set)
        let kind: MigrationKind = target.hasSuffix("supabase/migrations") ? .supabase : .dbmate
        let words = phrase?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !words.isEmpty || !indexes.isEmpty else {
            throw SessionError("say what the migration is for (\"lead scoring history\"), or give --index TABLE(COLUMN)")
        }
        if words.isEmpty && columns != nil { throw SessionError("--columns goes with the words that name the new table") }
        let schema = try databaseURL.map(liveSchema) ?? MigrationDesigner.Schema(set)
        var designs: [MigrationDesign] = []
        if !words.isEmpty {
            var design = try MigrationDesigner.design(words, columns: try columns.map(ColumnSpec.parse) ?? [], schema: schema)
            design.steps.insert("schema read from \(schema.source)", at: 0)
            designs.append(design)
        }
        for index in indexes {
            designs.append(try MigrationDesigner.index(try MigrationDesigner.IndexSpec.parse(index), schema: schema, kind: kind,
                                                       supabaseCLI: set.supabaseCLI))
        }
        let template = try templateFile.map(Self.template) ?? DefaultTemplates.migrationSQL
        let compiled: MustacheTemplate
        do { compiled = try MustacheTemplate(string: template) } catch {
            throw SessionError("template \(templateFile ?? "migration.sql.mustache") is not valid Mustache: \(error)")
        }
        let directory = target.hasPrefix("/") ? target : (root as NSString).appendingPathComponent(target)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw SessionError("cannot create \(target): \(error.localizedDescription)")
        }
        var versions = set.files.compactMap(\.version)
        var paths: [String] = []
        for design in designs {
            let version = Self.nextVersion(after: versions, now: now)
            versions.append(version)
            let fileName = "\(version)_\(design.fileStem).sql"
            try Self.writeNew(Self.render(design, compiled, fileName: fileName, dbmate: kind == .dbmate, now: now),
                              to: (directory as NSString).appendingPathComponent(fileName), shown: "\(target)/\(fileName)")
            paths.append("\(target)/\(fileName)")
        }
        return NewMigration(paths: paths, designs: designs, schemaSource: schema.source)
    }

    static func render(_ design: MigrationDesign, _ template: MustacheTemplate, fileName: String, dbmate: Bool, now: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        let view: [String: Any] = ["fileName": fileName, "description": design.description, "date": formatter.string(from: now),
                                   "dbmate": dbmate, "up": design.up, "down": design.down, "table": design.table,
                                   "transactionFalse": design.transactionFalse]
        return template.render(view)
    }

    /// Writes a file that must not exist yet: O_EXCL, so an existing file (or a link planted there)
    /// is never written through.
    static func writeNew(_ text: String, to path: String, shown: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else {
            throw SessionError(errno == EEXIST ? "\(shown) already exists: not overwritten"
                                               : "cannot write \(shown): \(String(cString: strerror(errno)))")
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do { try handle.write(contentsOf: Data(text.utf8)) } catch {
            throw SessionError("cannot write \(shown): \(error.localizedDescription)")
        }
    }

    /// The tables and columns of `public` in the live catalog, on a read-only session.
    func liveSchema(_ url: String) throws -> MigrationDesigner.Schema {
        do {
            let connection = try PostgresConnection.open(conninfo: url, settings: configuration.postgres,
                                                         environment: options.environment,
                                                         deadline: options.deadline ?? Deadline(seconds: 20))
            connection.activity = "the catalog query of new-migration"
            return MigrationDesigner.Schema(live: try connection.query(MigrationDesigner.Schema.liveQuery))
        } catch let error as PostgresError {
            throw SessionError("--database-url: \(error.description)")
        }
    }

    /// The folder `newMigration` writes to when none is given (relative to the project, as configured).
    public func newMigrationFolder() -> String { Self.projectFolder(configuredMigrations()) }

    /// supabase/migrations when that is the project's (only) migration folder, else db/migrations.
    static func projectFolder(_ set: MigrationSet) -> String {
        let existing = set.folders.filter(\.exists)
        if existing.count == 1, existing[0].kind == .supabase { return existing[0].path }
        return existing.first { $0.kind == .dbmate }?.path ?? "db/migrations"
    }

    /// YYYYMMDDHHMM of `now` (UTC), or one more than the latest version when that is not later.
    static func nextVersion(after versions: [String], now: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMddHHmm"
        let stamp = formatter.string(from: now)
        guard let latest = versions.filter({ $0.count == stamp.count }).max(), latest >= stamp,
              let number = UInt64(latest) else { return stamp }
        return String(number + 1)
    }
}
