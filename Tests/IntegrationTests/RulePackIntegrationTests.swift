import Foundation
import Testing
@testable import InfraGuardian

/// Built-in and user rule packs run against real servers.
@Suite(.integration) struct RulePackIntegrationTests {
    func audit(_ url: String, packs: [RulePack]) -> (PostgresSnapshot?, [Finding]) {
        let collected = PostgresCollector.collect(conninfo: url, settings: PostgresSettings(), packRules: packs.flatMap(\.rules))
        let input = AuditInput(postgres: collected)
        return (collected.value, Evaluator(rules: RuleRegistry.all(packs: packs)).evaluate(input, configuration: Configuration()))
    }

    @Test func builtInPacksFindUnloggedTablesAndMutableSearchPaths() throws {
        let database = try ScratchDatabase(on: .pg15)
        try database.execute("""
            CREATE UNLOGGED TABLE lead_imports (id bigint PRIMARY KEY);
            COMMENT ON TABLE lead_imports IS 'staging';
            CREATE TABLE notes (id bigint PRIMARY KEY);
            CREATE FUNCTION touch() RETURNS int LANGUAGE sql AS 'SELECT 1';
            CREATE FUNCTION safe() RETURNS int LANGUAGE sql SET search_path = pg_catalog AS 'SELECT 1';
            """)
        let packs = try RulePackLoader.load(Configuration(), directory: "/")
        let (snapshot, findings) = audit(database.url, packs: packs)
        #expect(snapshot?.queryCount == 4, "catalog + history + maintenance + one round trip for every pack rule")
        let byRule = Dictionary(grouping: findings, by: \.ruleID)
        #expect(byRule["unlogged-table"]?.map(\.location.object) == ["public.lead_imports"])
        #expect(byRule["table-without-comment"]?.map(\.location.object) == ["public.notes"])
        // Built in since issue 11 (read by the catalog query), still found beside the packs.
        #expect(byRule["function-search-path-mutable"]?.map(\.location.object) == ["public.touch()"])
        #expect(byRule["function-search-path-mutable"]?.map(\.severity) == [.low])
    }

    @Test func aBrokenUserQueryIsAFindingNamingItsRuleWhileOthersStillRun() throws {
        let database = try ScratchDatabase(on: .pg18)
        try database.execute("CREATE UNLOGGED TABLE scratch (id bigint PRIMARY KEY);")
        let broken = try RulePackLoader.parse("""
            rules:
              - id: broken-check
                category: schema
                severity: LOW
                summary: s
                why: w
                fix: f
                message: "{{object}}"
                query: SELECT no_such_column AS object FROM pg_class
            """, source: "rules/custom.yml")
        let packs = try RulePackLoader.load(Configuration(), directory: "/") + [broken]
        let (_, findings) = audit(database.url, packs: packs)
        let failure = try #require(findings.first { $0.ruleID == "broken-check" })
        #expect(failure.message.contains("rules/custom.yml") && failure.message.contains("no_such_column"))
        #expect(findings.contains { $0.ruleID == "unlogged-table" })
    }

    @Test func theReferenceSchemaPassesTheBuiltInPacks() throws {
        let database = try ScratchDatabase(on: .pg18, extensions: ["vector"])
        try CommandLineRunner.applyMigrations(url: database.url, folder: CommandLineRunner.repositoryRoot + "/db/migrations")
        let (_, findings) = audit(database.url, packs: try RulePackLoader.load(Configuration(), directory: "/"))
        let packFindings = findings.filter { ["unlogged-table", "table-without-comment", "function-search-path-mutable"].contains($0.ruleID) }
        #expect(packFindings.isEmpty, "\(packFindings.map(\.message))")
    }
}

/// Each built-in pack rule's `bad` and `good` SQL, run on a fresh database of its own (dropped
/// after): the bad one must raise the rule, the good one must not — as Supabase's splinter tests
/// its lints.
@Suite(.integration) struct RulePackExampleTests {
    static let rules = ((try? RulePackLoader.load(Configuration(), directory: "/")) ?? []).flatMap(\.rules)
        .map { PackCase(definition: $0) }

    struct PackCase: CustomTestStringConvertible, Sendable {
        let definition: PackRuleDefinition
        var testDescription: String { definition.id }
    }

    func findings(of definition: PackRuleDefinition, after setup: String) throws -> [Finding] {
        let database = try ScratchDatabase(on: .pg18)
        try database.execute(setup)
        let collected = PostgresCollector.collect(conninfo: database.url, settings: PostgresSettings(), packRules: [definition])
        #expect(collected.value?.packResults?[definition.id]?.error == nil)
        return PackRule(definition).check(AuditInput(postgres: collected), RuleContext())
    }

    @Test(arguments: rules)
    func badExampleRaisesTheRuleAndGoodExampleDoesNot(_ item: PackCase) throws {
        #expect(Self.rules.count >= 2, "the built-in packs did not load (function-search-path-mutable is built in since issue 11)")
        let bad = try #require(item.definition.badExample, "\(item.definition.id) has no bad example")
        let good = try #require(item.definition.goodExample, "\(item.definition.id) has no good example")
        let raised = try findings(of: item.definition, after: bad)
        #expect(raised.count == 1 && raised.allSatisfy { $0.ruleID == item.definition.id && $0.location.object?.hasPrefix("public.") == true },
                "\(item.definition.id) bad example: \(raised.map(\.message))")
        let quiet = try findings(of: item.definition, after: good)
        #expect(quiet.isEmpty, "\(item.definition.id) flagged its good example: \(quiet.map(\.message))")
    }
}
