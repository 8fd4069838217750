import Foundation
import Mustache

/// What `new-migration` wrote.
public struct NewMigration: Sendable {
    public var paths: [String]
    public var design: MigrationDesign
}

extension Session {
    /// Designs a migration from `phrase` against the schema the migrations build, renders it with
    /// `templates/migration.sql.mustache` (or `templateFile`) and writes it into `folder` (default:
    /// the project's migration folder). Never overwrites a file. Throws `SessionError`.
    public func newMigration(_ phrase: String, columns: String? = nil, folder: String? = nil,
                             templateFile: String? = nil, now: Date = Date()) throws -> NewMigration {
        let root = options.directory
        let set = MigrationCollector.collect(folders: options.migrationFolders ?? configuration.paths.migrations,
                                             root: root, settings: configuration.migrations)
        let target = folder ?? Self.projectFolder(set)
        let kind: MigrationKind = target.hasSuffix("supabase/migrations") ? .supabase : .dbmate
        let design = try MigrationDesigner.design(phrase, columns: try columns.map(ColumnSpec.parse) ?? [],
                                                  schema: MigrationDesigner.Schema(set))
        let version = Self.nextVersion(after: set.files.compactMap(\.version), now: now)
        let fileName = "\(version)_\(design.table).sql"
        let template = try templateFile.map(Self.template) ?? DefaultTemplates.migrationSQL
        let compiled: MustacheTemplate
        do { compiled = try MustacheTemplate(string: template) } catch {
            throw SessionError("template \(templateFile ?? "migration.sql.mustache") is not valid Mustache: \(error)")
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        let view: [String: Any] = ["fileName": fileName, "description": design.description, "date": formatter.string(from: now),
                                   "dbmate": kind == .dbmate, "up": design.up, "down": design.down, "table": design.table]
        let text = compiled.render(view)
        let directory = target.hasPrefix("/") ? target : (root as NSString).appendingPathComponent(target)
        let path = (directory as NSString).appendingPathComponent(fileName)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw SessionError("cannot create \(target): \(error.localizedDescription)")
        }
        // O_EXCL: an existing file (or a link planted there) is never written through.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else {
            throw SessionError(errno == EEXIST ? "\(target)/\(fileName) already exists: not overwritten"
                                               : "cannot write \(target)/\(fileName): \(String(cString: strerror(errno)))")
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do { try handle.write(contentsOf: Data(text.utf8)) } catch {
            throw SessionError("cannot write \(target)/\(fileName): \(error.localizedDescription)")
        }
        return NewMigration(paths: ["\(target)/\(fileName)"], design: design)
    }

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
