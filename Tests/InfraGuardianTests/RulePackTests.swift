import Foundation
import InfraGuardianTestSupport
import Testing
@testable import InfraGuardian

@Suite struct RulePackTests {
    @Test func builtInPacksMatchTheShippedFiles() throws {
        let folder = repositoryRoot + "/rules"
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yml") }.sorted()
        #expect(BuiltInRulePacks.files.map(\.name) == names)
        for (name, text) in BuiltInRulePacks.files {
            let file = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
            #expect(file == text, "rules/\(name) differs from its compiled-in copy: run scripts/sync-templates")
        }
    }

    @Test func builtInPacksLoad() throws {
        let packs = try RulePackLoader.load(Configuration(), directory: "/")
        let ids = packs.flatMap(\.rules).map(\.id)
        #expect(ids.contains("unlogged-table"))
        // A built-in rule now, read from the catalog query: no pack may define it again.
        #expect(!ids.contains("function-search-path-mutable"))
        #expect(RuleRegistry.builtIn.contains { $0.ruleDescription.id == "function-search-path-mutable" })
    }

    @Test func rowsBecomeFindingsWithRenderedMessageAndFix() throws {
        let pack = try RulePackLoader.parse("""
        rules:
          - id: demo-rule
            category: schema
            severity: HIGH
            summary: s
            why: w
            fix: "ALTER TABLE {{object}} SET LOGGED;"
            message: "Table {{object}} is bad{{#detail}} ({{detail}}){{/detail}}."
            query: SELECT 'x' AS object
        """, source: "custom.yml")
        let rule = PackRule(pack.rules[0])
        var snapshot = PostgresSnapshot()
        snapshot.packResults = ["demo-rule": PackResult(rows: [.init(object: "public.a", detail: "why"), .init(object: "public.b")])]
        let findings = rule.check(AuditInput(postgres: Collected(target: "pg", value: snapshot)), RuleContext())
        #expect(findings.map(\.message) == ["Table public.a is bad (why).", "Table public.b is bad."])
        #expect(findings.first?.fix == "ALTER TABLE public.a SET LOGGED;")
        #expect(findings.first?.severity == .high && findings.first?.location.object == "public.a")
    }

    @Test func brokenPacksNameFileRuleAndLine() {
        #expect {
            try RulePackLoader.parse("rules:\n  - id: no-query\n    category: schema\n    severity: LOW\n    summary: s\n    why: w\n    fix: f\n    message: m\n",
                                     source: "rules/custom.yml")
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.file == "rules/custom.yml" && error.key == "rules.no-query" && error.problem.contains("query")
                && error.line == 2
        }
        #expect(throws: ConfigurationError.self) {
            try RulePackLoader.parse("rules:\n  - id: x\n    category: nonsense\n", source: "p.yml")
        }
        #expect(throws: ConfigurationError.self) {
            try RulePackLoader.parse("rules:\n  - id: x\n    colour: red\n", source: "p.yml")
        }
    }

    @Test func duplicateIDsAndMissingFilesAreConfigurationErrors() throws {
        let root = try TemporaryDirectory()
        try root.write("dup.yml", "rules:\n  - id: unlogged-table\n    category: schema\n    severity: LOW\n    summary: s\n    why: w\n    fix: f\n    message: m\n    query: SELECT 1 AS object\n")
        var configuration = Configuration()
        configuration.rulePacks = ["dup.yml"]
        #expect(throws: ConfigurationError.self) { try RulePackLoader.load(configuration, directory: root.path) }
        configuration.rulePacks = ["missing.yml"]
        #expect(throws: ConfigurationError.self) { try RulePackLoader.load(configuration, directory: root.path) }
    }
}
