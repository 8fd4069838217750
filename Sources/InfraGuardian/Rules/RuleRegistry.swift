/// Every built-in rule. Adding a rule: write its file, then list it here.
public enum RuleRegistry {
    public static let builtIn: [any Rule] = [
        // Connectivity
        PostgresUnreachable(),
        RedisUnreachable(),
        // Migrations
        UnreadableMigration(),
        PendingMigration(),
        AppliedMigrationMissingFile(),
        MigrationFileNaming(),
        ModifiedMigration(),
        RequireUpSection(),
        RequireDownSection(),
        // PostgreSQL
        PostgresVersion(),
        ConnectionSaturation(),
        // Redis
        RedisVersion(),
    ]

    public static func rule(id: String, in rules: [any Rule] = builtIn) -> (any Rule)? {
        rules.first { $0.ruleDescription.id == id }
    }
}
