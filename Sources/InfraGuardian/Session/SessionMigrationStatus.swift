/// Each migration file joined with what the database recorded (the MCP tool `migration_status`).
public struct MigrationStatusReport: Codable, Sendable {
    /// The database compared with, password masked; nil when none is configured.
    public var database: String?
    /// PostgreSQL's health line: why the files could not be compared, when they could not.
    public var postgres: ComponentHealth
    /// The Migrations line of `health`: applied and pending counts, degraded when any is pending.
    public var summary: ComponentHealth
    /// One entry per file, plus one per version the database recorded without a file, in version order.
    public var migrations: [MigrationStatusEntry]
}

extension Session {
    /// Reads the database's migration history (dbmate's `schema_migrations`, Supabase's) beside the
    /// migration files, within the session's deadline. Never throws: an unreachable database leaves
    /// every file `unknown` and says why in `postgres`.
    public func migrationStatus() -> MigrationStatusReport {
        let input = collect()
        return MigrationStatusReport(
            database: input.postgres.target.map(ConnectionTarget.maskedForDisplay),
            postgres: HealthEvaluator.postgres(input.postgres, configuration.thresholds),
            summary: HealthEvaluator.migrations(input),
            migrations: MigrationStatusResolver.resolve(input.migrations, history: input.postgres.value?.migrationHistory))
    }

    /// Markdown: the verdict line, then the report's Migration Status table.
    public static func markdown(_ report: MigrationStatusReport) -> String {
        var lines = ["# Migration Status", "", "_PostgreSQL: \(report.database.map { "`\($0)`" } ?? "not configured")_", "",
                     "\(report.summary.state.icon) \(Linter.cell(report.summary.details))"]
        if report.postgres.state != .healthy && report.postgres.state != .notConfigured {
            lines.append("\(report.postgres.state.icon) PostgreSQL: \(Linter.cell(report.postgres.details))")
        }
        lines += ["", "| Migration | Status | Applied At |", "|-----------|--------|------------|"]
        for entry in report.migrations {
            lines.append("| \(Linter.cell(entry.name)) | \(MarkdownRenderer.migrationStatus(entry.state)) | \(MarkdownRenderer.appliedAt(entry)) |")
        }
        if report.migrations.isEmpty { lines.append("| — | ➖ | no migration files |") }
        return lines.joined(separator: "\n") + "\n"
    }
}
