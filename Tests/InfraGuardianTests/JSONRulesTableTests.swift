import Foundation
import InfraGuardianTestSupport
import Testing
@testable import InfraGuardian

/// Schema version 2 of the JSON outputs and the SARIF rules: each rule's description and generic
/// fix once, a finding with only its own message, location and concrete fix.
@Suite struct JSONRulesTableTests {
    static let index = RuleDescription(id: "require-concurrent-index", category: .migration, severity: .high,
                                       summary: "Index build blocks writes.", why: "WHY-INDEX: ShareLock until the build ends.",
                                       fix: "GENERIC-INDEX: build it CONCURRENTLY.", bad: [], good: [])
    static let drop = RuleDescription(id: "ban-drop-column", category: .migration, severity: .critical,
                                      summary: "Dropping a column breaks readers.", why: "WHY-DROP: old code selects it.",
                                      fix: "GENERIC-DROP: expand, migrate, contract.", bad: [], good: [])
    static let unused = RuleDescription(id: "prefer-jsonb", category: .migration, severity: .medium,
                                        summary: "json column.", why: "WHY-UNUSED", fix: "GENERIC-UNUSED", bad: [], good: [])
    static var rules: [RuleDescription] { [unused, drop, index] }

    /// 300 findings of two rules, all with the generic fix, the last one with a concrete fix and an
    /// overridden severity, and one of a rule nobody described.
    static var findings: [Finding] {
        var findings = (1...300).map { line in
            let rule = line.isMultiple(of: 3) ? drop : index
            return Finding(ruleID: rule.id, category: rule.category, severity: rule.severity, message: "message \(line)",
                           fix: rule.fix, location: Location(file: "db/migrations/a.sql", line: line))
        }
        findings[299].fix = "DROP COLUMN IF EXISTS leads.legacy_source; -- concrete"
        findings[299].severity = .low
        findings.append(Finding(ruleID: "undescribed", category: .schema, severity: .info, message: "m",
                                fix: "undescribed fix", location: .object("public.t")))
        return findings
    }

    static var report: LintReport {
        LintReport(files: 1, findings: findings, gate: GateVerdict(passed: false, reasons: ["r"]))
    }

    func lintJSON() throws -> (text: String, object: [String: Any]) {
        let text = FindingsJSONWriter.render(Self.report, rules: Self.rules)
        return (text, try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]))
    }

    func occurrences(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    // MARK: lint JSON

    @Test func lintJSONHasSchemaVersionAndItsTopLevelKeysInOrder() throws {
        let (text, object) = try lintJSON()
        #expect(object["schemaVersion"] as? Int == 2)
        #expect(text.hasPrefix("{\n  \"schemaVersion\" : 2,\n  \"files\" : 1,\n  \"rules\" : {"))
        #expect(Set(object.keys) == ["schemaVersion", "files", "rules", "findings", "gate"])
        #expect((object["findings"] as? [Any])?.count == 301)
    }

    @Test func lintJSONListsEachRuleWithFindingsOnce() throws {
        let (text, object) = try lintJSON()
        let rules = try #require(object["rules"] as? [String: [String: Any]])
        #expect(Set(rules.keys) == ["ban-drop-column", "require-concurrent-index"], "only rules with findings, described ones")
        #expect(occurrences("WHY-INDEX", in: text) == 1 && occurrences("WHY-DROP", in: text) == 1)
        #expect(occurrences("GENERIC-INDEX", in: text) == 1, "200 findings, the generic fix written once")
        #expect(occurrences("GENERIC-DROP", in: text) == 1)
        #expect(!text.contains("WHY-UNUSED"))
        let drop = try #require(rules["ban-drop-column"])
        #expect(Set(drop.keys) == ["category", "severity", "summary", "why", "fix"])
        #expect(drop["category"] as? String == "migration")
        #expect(drop["severity"] as? String == "CRITICAL", "the default severity, not the last finding's LOW")
        #expect(drop["summary"] as? String == Self.drop.summary)
        #expect(drop["why"] as? String == Self.drop.why)
        #expect(drop["fix"] as? String == Self.drop.fix)
        let ids = text.components(separatedBy: "\"findings\"")[0].components(separatedBy: "\n    \"").dropFirst()
            .map { $0.prefix { $0 != "\"" } }
        #expect(ids == ["ban-drop-column", "require-concurrent-index"], "sorted by id")
    }

    @Test func aFindingKeepsOnlyAConcreteFix() throws {
        let (_, object) = try lintJSON()
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings[0]["fix"] == nil && findings[2]["fix"] == nil, "generic fixes are in `rules`")
        #expect(findings[0...298].allSatisfy { $0["fix"] == nil })
        #expect(findings[299]["fix"] as? String == "DROP COLUMN IF EXISTS leads.legacy_source; -- concrete")
        #expect(findings[299]["severity"] as? String == "LOW", "a finding has its effective severity")
        #expect(findings[300]["fix"] as? String == "undescribed fix", "a rule without an entry keeps its fix")
        #expect(Set(findings[0].keys) == ["ruleID", "category", "severity", "message", "location"])
        #expect(findings[0]["message"] as? String == "message 1")
    }

    @Test func lintJSONDecodesWithTheGenericFixesFilledIn() throws {
        let (text, _) = try lintJSON()
        let decoded = try JSONRenderer.decoder().decode(LintReport.self, from: Data(text.utf8))
        #expect(decoded.findings == Self.findings)
        #expect(decoded.findings[0].fix == Self.index.fix)
    }

    @Test func versionOneStillDecodesAndANewerVersionIsRefused() throws {
        let v1 = """
            {"files": 1, "findings": [{"ruleID": "r", "category": "migration", "severity": "HIGH", "message": "m",
             "fix": "f", "location": {"file": "a.sql", "line": 2}}], "gate": {"passed": true, "reasons": []}}
            """
        let old = try JSONRenderer.decoder().decode(LintReport.self, from: Data(v1.utf8))
        #expect(old.findings.first?.fix == "f" && old.findings.first?.location.line == 2)
        let v3 = #"{"schemaVersion": 3, "files": 0, "findings": [], "gate": {"passed": true, "reasons": []}}"#
        #expect(throws: DecodingError.self) { try JSONRenderer.decoder().decode(LintReport.self, from: Data(v3.utf8)) }
        let orphan = """
            {"schemaVersion": 2, "files": 1, "rules": {}, "findings": [{"ruleID": "r", "category": "migration",
             "severity": "HIGH", "message": "m", "location": {}}], "gate": {"passed": true, "reasons": []}}
            """
        #expect(throws: DecodingError.self, "no fix and no rule entry to take it from") {
            try JSONRenderer.decoder().decode(LintReport.self, from: Data(orphan.utf8))
        }
    }

    @Test func encodingALintReportWritesVersionTwoWithEveryFix() throws {
        let data = try JSONEncoder().encode(Self.report)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["schemaVersion"] as? Int == 2)
        #expect((object["rules"] as? [String: Any])?.isEmpty == true)
        #expect((object["findings"] as? [[String: Any]])?.allSatisfy { $0["fix"] is String } == true)
        #expect(try JSONDecoder().decode(LintReport.self, from: data).findings == Self.findings)
    }

    @Test func theSessionWritesTheTableOfItsRules() throws {
        let findings = Lint.evaluate(Lint.dbmate("-- migrate:up\nCREATE INDEX i ON t (a);\nCREATE INDEX j ON t (b);\n"))
        #expect(findings.filter { $0.ruleID == "require-concurrent-index" }.count == 2)
        let folder = try TemporaryDirectory()
        let session = try Session(SessionOptions(directory: folder.path))
        let report = LintReport(files: 1, findings: findings, gate: GateVerdict(passed: false, reasons: []))
        let text = session.render(report, as: .json)
        var streamed: [UInt8] = []
        session.writeJSON(report) { streamed += $0 }
        #expect(String(decoding: streamed, as: UTF8.self) == text)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let rules = try #require(object["rules"] as? [String: [String: Any]])
        #expect(Set(rules.keys) == Set(findings.map(\.ruleID)))
        #expect(rules["require-concurrent-index"]?["why"] as? String == RequireConcurrentIndex.description.why)
        #expect(occurrences(RequireConcurrentIndex.description.fix.jsonEscaped, in: text) == 1)
    }

    // MARK: audit JSON

    /// A report with migration findings (generic fixes) and a duplicate index (a concrete fix).
    func auditReport() throws -> Report {
        var input = try #require(DuplicateIndex.description.badExamples.first).input()
        input.migrations = MigrationSet(files: [Lint.dbmate("-- migrate:up\nCREATE INDEX i ON t (a);\nCREATE INDEX j ON t (b);\n")])
        return ReportBuilder().build(input, configuration: Configuration())
    }

    @Test func auditJSONHasTheRulesTableAndConcreteFixesOnly() throws {
        let report = try auditReport()
        let duplicate = try #require(report.issues.first { $0.finding.ruleID == "duplicate-index" }?.finding)
        #expect(duplicate.fix != DuplicateIndex.description.fix)
        #expect(report.issues.filter { $0.finding.ruleID == "require-concurrent-index" }.count == 2)
        let text = try JSONRenderer.render(report)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["schemaVersion"] as? Int == 2)
        let rules = try #require(object["rules"] as? [String: [String: Any]])
        #expect(Set(rules.keys) == Set(report.issues.map(\.finding.ruleID)))
        #expect(rules["duplicate-index"]?["fix"] as? String == DuplicateIndex.description.fix)
        #expect(rules["require-concurrent-index"]?["severity"] as? String == "HIGH")
        #expect(occurrences(RequireConcurrentIndex.description.why.jsonEscaped, in: text) == 1)
        let issues = try #require(object["issues"] as? [[String: Any]])
        for (issue, reported) in zip(issues, report.issues) {
            let finding = try #require(issue["finding"] as? [String: Any])
            let id = try #require(finding["ruleID"] as? String)
            if reported.finding.fix != rules[id]?["fix"] as? String {
                #expect(finding["fix"] as? String == reported.finding.fix)
            } else {
                #expect(finding["fix"] == nil, "\(id) has its rule's generic fix")
            }
        }
        #expect(issues.contains { ($0["finding"] as? [String: Any])?["fix"] == nil }, "some findings carry the generic fix")
        let decoded = try JSONRenderer.decoder().decode(Report.self, from: Data(text.utf8))
        #expect(decoded.issues == report.issues)
        #expect(decoded.rules == report.rules)
    }

    @Test func auditJSONVersionOneStillDecodes() throws {
        let report = try auditReport()
        var object = try #require(try JSONSerialization.jsonObject(with: Data(JSONRenderer.render(report).utf8)) as? [String: Any])
        object["schemaVersion"] = nil
        object["rules"] = nil
        object["issues"] = report.issues.map { issue in
            ["id": issue.id, "finding": try? JSONSerialization.jsonObject(with: JSONEncoder().encode(issue.finding))]
        }
        let v1 = try JSONSerialization.data(withJSONObject: object)
        let decoded = try JSONRenderer.decoder().decode(Report.self, from: v1)
        #expect(decoded.issues == report.issues)
        #expect(decoded.rules.isEmpty)
        object["schemaVersion"] = 9
        #expect(throws: DecodingError.self) {
            try JSONRenderer.decoder().decode(Report.self, from: try JSONSerialization.data(withJSONObject: object))
        }
    }

    // MARK: SARIF

    func sarif() throws -> (text: String, rules: [[String: Any]], results: [[String: Any]]) {
        let text = SARIFRenderer.render(findings: Self.findings, rules: Self.rules, toolVersion: "1")
        let log = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        return (text, try #require(driver["rules"] as? [[String: Any]]), try #require(run["results"] as? [[String: Any]]))
    }

    @Test func sarifRulesCarryTheDescriptionOnceAndResultsPointAtThem() throws {
        let (text, rules, results) = try sarif()
        #expect(rules.compactMap { $0["id"] as? String } == ["prefer-jsonb", "ban-drop-column", "require-concurrent-index", "undescribed"])
        #expect(occurrences("WHY-INDEX", in: text) == 1 && occurrences("GENERIC-INDEX", in: text) == 1)
        #expect(occurrences("GENERIC-DROP", in: text) == 1)
        #expect(results.count == 301)
        for (result, finding) in zip(results, Self.findings) {
            let index = try #require(result["ruleIndex"] as? Int)
            let rule = rules[index]
            #expect(rule["id"] as? String == finding.ruleID)
            #expect(result["ruleId"] as? String == finding.ruleID)
            if let described = Self.rules.first(where: { $0.id == finding.ruleID }) {
                #expect((rule["shortDescription"] as? [String: Any])?["text"] as? String == described.summary)
                #expect((rule["fullDescription"] as? [String: Any])?["text"] as? String == described.why)
                #expect((rule["help"] as? [String: Any])?["text"] as? String == described.fix)
                #expect((rule["defaultConfiguration"] as? [String: Any])?["level"] as? String
                        == SARIFRenderer.level(described.severity))
            }
        }
    }

    @Test func sarifResultsAddOnlyAConcreteFixToTheMessage() throws {
        let (_, _, results) = try sarif()
        let texts = results.map { ($0["message"] as? [String: Any])?["text"] as? String }
        #expect(texts[0] == "message 1", "generic fix: in the rule's help only")
        #expect(texts[2] == "message 3")
        #expect(texts[299] == "message 300 Fix: DROP COLUMN IF EXISTS leads.legacy_source; -- concrete")
        #expect(texts[300] == "m", "an undescribed rule's descriptor holds the fix of its first finding")
        #expect(results.allSatisfy { $0["fixes"] == nil })
        let empty = Finding(ruleID: "r", category: .schema, severity: .low, message: " ", fix: "", location: Location())
        #expect(SARIFRenderer.resultText(empty, genericFix: nil) == "r", "GitHub needs message text")
    }
}

private extension String {
    /// As `JSONText.string` writes it, without the quotes.
    var jsonEscaped: String {
        var bytes: [UInt8] = []
        JSONText.string(self, &bytes)
        return String(decoding: bytes.dropFirst().dropLast(), as: UTF8.self)
    }
}
