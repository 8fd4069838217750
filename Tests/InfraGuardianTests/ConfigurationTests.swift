import Testing
@testable import InfraGuardian

@Suite struct ConfigurationTests {
    @Test func emptyFileGivesDefaults() throws {
        let configuration = try ConfigurationLoader.parse("")
        #expect(configuration == Configuration())
        #expect(configuration.gate.failOn == [.critical, .high])
        #expect(configuration.thresholds.postgresPingMillis == 100)
        #expect(configuration.thresholds.redisPingMillis == 50)
    }

    @Test func readsEverySection() throws {
        let configuration = try ConfigurationLoader.parse("""
        rules:
          pending-migration: false
          migration-file-naming: LOW
          redis-version:
            severity: critical
        thresholds:
          postgres_ping_ms: 250
          connection_usage_percent: 90
        gate:
          fail_on: [CRITICAL]
          fail_on_degraded: true
        paths:
          migrations: [db/migrations, supabase/migrations]
          source: packages
        postgres:
          statement_timeout_ms: 3000
        redis:
          command_timeout_ms: 500
        """)
        #expect(configuration.setting(for: "pending-migration").enabled == false)
        #expect(configuration.setting(for: "migration-file-naming").severity == .low)
        #expect(configuration.setting(for: "redis-version").severity == .critical)
        #expect(configuration.thresholds.postgresPingMillis == 250)
        #expect(configuration.thresholds.connectionUsagePercent == 90)
        #expect(configuration.gate.failOn == [.critical])
        #expect(configuration.gate.failOnDegraded)
        #expect(configuration.paths.migrations == ["db/migrations", "supabase/migrations"])
        #expect(configuration.paths.source == "packages")
        #expect(configuration.postgres.statementTimeoutMillis == 3000)
        #expect(configuration.redis.commandTimeoutMillis == 500)
    }

    @Test func migrationRunnersAndTheSupabaseCLIRelease() throws {
        let configuration = try ConfigurationLoader.parse("""
            migrations:
              supabase_cli: v2.108.1
              runner:
                sql: psql
                ./db/legacy/: supabase
            """)
        let settings = configuration.migrations
        #expect(settings.supabaseCLI == SupabaseCLIVersion(major: 2, minor: 108, patch: 1))
        #expect(settings.runner(for: "sql") == .psql)
        #expect(settings.runner(for: "sql/2024/001_init.sql") == .psql)
        #expect(settings.runner(for: "sqlite/001.sql") == .dbmate)
        #expect(settings.runner(for: "db/legacy") == .supabase)
        #expect(settings.runner(for: "supabase/migrations") == .supabase)
        #expect(try ConfigurationLoader.parse("migrations:\n  runner: psql\n").migrations.runner(for: "supabase/migrations") == .psql)
        #expect(Configuration().migrations.supabaseCLI.isLatest)
        #expect(SupabaseCLIVersion(parsing: "2.109") == .standaloneStatements)
        for (text, key) in [("migrations:\n  supabase_cli: two\n", "migrations.supabase_cli"),
                            ("migrations:\n  runner: flyway\n", "migrations.runner"),
                            ("migrations:\n  runner:\n    sql: liquibase\n", "migrations.runner.sql"),
                            ("migrations:\n  runners: psql\n", "migrations.runners")] {
            #expect(performing: { try ConfigurationLoader.parse(text) }, throws: { error in
                (error as? ConfigurationError).map { $0.key == key && ($0.line == 2 || $0.line == 3) } ?? false
            })
        }
    }

    @Test func unknownKeyNamesKeyAndLine() {
        #expect {
            try ConfigurationLoader.parse("gate:\n  fail_on: [HIGH]\n  fail_on_unheathly: true\n", file: "cfg.yml")
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.key == "gate.fail_on_unheathly" && error.line == 3
                && error.description.hasPrefix("cfg.yml:3: 'gate.fail_on_unheathly'")
        }
    }

    @Test func wrongTypeNamesKeyAndLine() {
        #expect {
            try ConfigurationLoader.parse("thresholds:\n  postgres_ping_ms: fast\n")
        } throws: { error in
            (error as? ConfigurationError).map { $0.key == "thresholds.postgres_ping_ms" && $0.line == 2 } ?? false
        }
    }

    @Test func badSeverityIsAnError() {
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.parse("gate:\n  fail_on: [HIGHEST]\n")
        }
    }

    @Test func invalidYAMLGivesALine() {
        #expect {
            try ConfigurationLoader.parse("rules:\n  a: [unclosed\n")
        } throws: { error in
            (error as? ConfigurationError).map { $0.line != nil && $0.problem.contains("invalid YAML") } ?? false
        }
    }

    @Test func unknownRuleIDIsReportedWithItsLine() throws {
        let configuration = try ConfigurationLoader.parse("rules:\n  pending-migration: off\n  no-such-rule: off\n")
        let errors = Evaluator().unknownRuleSettings(in: configuration)
        #expect(errors.count == 1)
        #expect(errors.first?.key == "rules.no-such-rule")
        #expect(errors.first?.line == 3)
    }

    @Test func disabledRuleAndSeverityOverrideApply() throws {
        let input = RuleRegistry.rule(id: "redis-version")!.ruleDescription.badExamples[0].input()
        let off = try ConfigurationLoader.parse("rules:\n  redis-version: off\n")
        #expect(Evaluator().evaluate(input, configuration: off).isEmpty)
        let low = try ConfigurationLoader.parse("rules:\n  redis-version: LOW\n")
        #expect(Evaluator().evaluate(input, configuration: low).map(\.severity) == [.low])
    }
}
