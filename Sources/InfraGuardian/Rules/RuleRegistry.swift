/// Every built-in rule. Adding a rule: write its file, then list it here.
public enum RuleRegistry {
    public static let builtIn: [any Rule] = [
        // Connectivity
        PostgresUnreachable(),
        PostgresIncomplete(),
        RedisUnreachable(),
        // Migrations
        UnreadableMigration(),
        NulByteInMigration(),
        PendingMigration(),
        AppliedMigrationMissingFile(),
        MigrationFileNaming(),
        ModifiedMigration(),
        RequireUpSection(),
        RequireDownSection(),
        // Migration statements (parsed by PostgreSQL's grammar, see MigrationAnalysis)
        SQLSyntaxError(),
        RequireConcurrentIndex(),
        ConcurrentlyInTransaction(),
        NonAtomicMigrationFile(),
        DoBlockNotAnalysed(),
        RequireIdempotentDDL(),
        AddColumnNotNullWithoutDefault(),
        BanDropColumn(),
        BanDropTable(),
        RequireBreakingChangeDoc(),
        // Locks and rewrites on existing tables (squawk/eugene/strong_migrations parity)
        ConstraintMissingNotValid(),
        SetNotNull(),
        ChangingColumnType(),
        AddingFieldWithVolatileDefault(),
        AddingStoredGeneratedColumn(),
        AddingSerialOrIdentityColumn(),
        UniqueConstraintWithoutIndex(),
        RequireConcurrentIndexDeletion(),
        RequireConcurrentReindex(),
        RequireConcurrentDetachPartition(),
        PreferRepack(),
        BanTruncateCascade(),
        RequireLockTimeout(),
        RequireStatementTimeout(),
        StatementsAfterAccessExclusive(),
        // Schema changes: renames, drops, column types, names, transaction structure
        RenamingColumn(),
        RenamingTable(),
        RenamingObject(),
        BanDropDatabase(),
        BanDropSchema(),
        BanDropObject(),
        BanDropConstraint(),
        BanDropNotNull(),
        PreferJsonb(),
        PreferBigintKeys(),
        PreferTimestamptz(),
        BanCharField(),
        PreferIdentity(),
        IdentifierTooLong(),
        TransactionNesting(),
        BanUncommittedTransaction(),
        BanCreateDomainWithConstraint(),
        BanAlterDomainWithAddConstraint(),
        WaiverWithoutReason(),
        UnusedIgnore(),
        // Statements that fail when applied, seen without a database (from the replayed migrations)
        NonImmutableExpression(),
        MissingExtensionForOpclassOrType(),
        ReferencesMissingTable(),
        OnConflictWithoutUnique(),
        ConcurrentIndexOnPartitionedTable(),
        BtreeIncludeOversizedColumn(),
        DropCascadeRemovesDependents(),
        PartitionHorizon(),
        // Migrations run on a scratch database (`verify`)
        MigrationUpFails(),
        MigrationNotIdempotent(),
        MigrationDownFails(),
        MigrationDownIncomplete(),
        LockNotPredicted(),
        TableRewriteObserved(),
        // PostgreSQL
        PostgresVersion(),
        AuditRolePrivileged(),
        ConnectionSaturation(),
        FunctionSearchPathMutable(),
        // Schema and indexes
        ForeignKeyWithoutIndex(),
        TableWithoutPrimaryKey(),
        UnusedIndex(),
        DuplicateIndex(),
        RedundantIndex(),
        InvalidIndex(),
        SeqScanHeavyTable(),
        NotValidConstraint(),
        // pgvector
        PgvectorExtensionOutdated(),
        VectorColumnWithoutIndex(),
        VectorIndexInvalid(),
        VectorOpclassMismatch(),
        VectorDimensionMismatch(),
        // PostgreSQL maintenance, capacity and activity
        SequenceNearMax(),
        Int4PrimaryKey(),
        TransactionIDWraparound(),
        DeadTuplesHigh(),
        AutovacuumLagging(),
        TableBloat(),
        IndexBloat(),
        IdleInTransaction(),
        LongRunningQuery(),
        // Queries and indexes (measured: pg_stat_statements, probes, hypopg)
        SlowQuery(),
        PgStatStatementsMissing(),
        ProbeOverBudget(),
        ProbeFailed(),
        ProbeRefused(),
        IndexAdviceRule(),
        IndexAdviceUnavailable(),
        // Redis
        RedisVersion(),
        // Adapters (the TypeScript source tree)
        AdapterMissingPort(),
        AdapterMissingTest(),
        OrphanPort(),
        PoolClientNotReleased(),
        TransactionWithoutRollback(),
        SQLStringConcatenation(),
        RedisSetWithoutTTL(),
        LayerViolation(),
        DuplicatePort(),
    ]

    /// The built-in rules plus one `PackRule` per rule-pack entry.
    public static func all(packs: [RulePack]) -> [any Rule] {
        builtIn + packs.flatMap(\.rules).map { PackRule($0) as any Rule }
    }

    public static func rule(id: String, in rules: [any Rule] = builtIn) -> (any Rule)? {
        rules.first { $0.ruleDescription.id == id }
    }
}
