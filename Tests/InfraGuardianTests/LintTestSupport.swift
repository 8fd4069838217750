@testable import InfraGuardian

/// Builders shared by the Lint* tests.
enum Lint {
    static func dbmate(_ text: String, name: String = "202401011200_example.sql") -> MigrationFile {
        MigrationFileParser.parse(path: "db/migrations/\(name)", kind: .dbmate, text: text)
    }

    static func supabase(_ text: String, name: String = "20240101120000_example.sql") -> MigrationFile {
        MigrationFileParser.parse(path: "supabase/migrations/\(name)", kind: .supabase, text: text)
    }

    static func analyze(_ files: MigrationFile...) -> MigrationAnalysis {
        MigrationAnalysis(MigrationSet(files: files))
    }

    /// Every built-in rule, waivers applied, as `infra-guardian` runs them.
    static func evaluate(_ files: MigrationFile...) -> [Finding] {
        Evaluator().evaluate(AuditInput(migrations: MigrationSet(files: files)), configuration: Configuration())
    }
}
