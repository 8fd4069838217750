import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import InfraGuardian

@Suite struct FindingFormatTests {
    static let migration = "db/migrations/202401011200_leads.sql"

    let findings: [Finding] = [
        Finding(ruleID: "require-concurrent-index", category: .migration, severity: .high,
                message: "CREATE INDEX on leads blocks writes.", fix: "Use CREATE INDEX CONCURRENTLY.",
                location: Location(file: "./" + migration, line: 12, column: 3)),
        Finding(ruleID: "connection-saturation", category: .connection, severity: .medium,
                message: "92% of max_connections in use.", fix: "Add a pooler.",
                location: .object("postgres")),
        Finding(ruleID: "ban-drop-column", category: .migration, severity: .critical,
                message: "DROP COLUMN leads.phone <old>.", fix: "Stop reading it first & then drop.",
                location: Location(file: migration, line: 30), waiver: Waiver(reason: "column unused since v2")),
        Finding(ruleID: "pack-rule", category: .schema, severity: .low,
                message: "A rule-pack finding.", fix: "Do the thing.", location: Location()),
    ]

    var rules: [RuleDescription] {
        [RequireDownSection.description, PendingMigration.description,
         RuleDescription(id: "require-concurrent-index", category: .migration, severity: .high,
                         summary: "Index build blocks writes.", why: "ShareLock until the build ends.",
                         fix: "CONCURRENTLY.", bad: [], good: []),
         RuleDescription(id: "connection-saturation", category: .connection, severity: .medium,
                         summary: "Connections near the limit.", why: "New clients get refused.",
                         fix: "Pool.", bad: [], good: []),
         RuleDescription(id: "ban-drop-column", category: .migration, severity: .critical,
                         summary: "Dropping a column breaks readers.", why: "Old code still selects it.",
                         fix: "Expand, migrate, contract.", bad: [], good: [])]
    }

    // MARK: SARIF

    func sarifJSON() throws -> [String: Any] {
        let text = SARIFRenderer.render(findings: findings, rules: rules, toolVersion: "1.2.3")
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(object as? [String: Any])
    }

    func sarifResults() throws -> (rules: [[String: Any]], results: [[String: Any]]) {
        let log = try sarifJSON()
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        return (try #require(driver["rules"] as? [[String: Any]]), try #require(run["results"] as? [[String: Any]]))
    }

    @Test func issueIDsArePaddedToThreeDigits() {
        #expect(Finding.issueID(1) == "I001")
        #expect(Finding.issueID(0) == "I000")
        #expect(Finding.issueID(42) == "I042")
        #expect(Finding.issueID(1234) == "I1234")
        #expect(Finding.issueID(33_109) == "I33109")
        #expect(Finding.issueID(-5) == "I-05")
    }

    @Test func sarifHasTheRequiredTopLevelShape() throws {
        let log = try sarifJSON()
        #expect(log["version"] as? String == "2.1.0")
        #expect(log["$schema"] as? String == "https://json.schemastore.org/sarif-2.1.0.json")
        let runs = try #require(log["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        let driver = try #require((runs[0]["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "infra-guardian")
        #expect(driver["version"] as? String == "1.2.3")
        #expect((driver["informationUri"] as? String)?.hasPrefix("https://") == true)
    }

    /// What the SARIF 2.1.0 schema requires of the objects written, checked by hand (no schema offline).
    @Test func sarifObjectsCarryTheSchemaRequiredProperties() throws {
        let (rules, results) = try sarifResults()
        for rule in rules {
            let id = string(rule["id"])
            #expect(!id.isEmpty)
            for key in ["shortDescription", "fullDescription", "help"] {
                let text = string((rule[key] as? [String: Any])?["text"])
                #expect(!text.isEmpty, "\(key) of \(rule)")
            }
            let level = string((rule["defaultConfiguration"] as? [String: Any])?["level"])
            #expect(["none", "note", "warning", "error"].contains(level))
            #expect(((rule["properties"] as? [String: Any])?["tags"] as? [String])?.count == 1)
            #expect((rule["properties"] as? [String: Any])?["security-severity"] == nil)
        }
        for result in results {
            let message = string((result["message"] as? [String: Any])?["text"])
            #expect(!message.isEmpty)
            let level = string(result["level"])
            #expect(["none", "note", "warning", "error"].contains(level))
            for suppression in result["suppressions"] as? [[String: Any]] ?? [] {
                let kind = string(suppression["kind"])
                #expect(["inSource", "external"].contains(kind))
            }
            for location in result["locations"] as? [[String: Any]] ?? [] {
                if let region = (location["physicalLocation"] as? [String: Any])?["region"] as? [String: Any] {
                    #expect((region["startLine"] as? Int ?? 0) >= 1)
                }
            }
        }
    }

    private func string(_ value: Any?) -> String { value as? String ?? "" }

    @Test func sarifRuleIndexPointsAtTheResultsRule() throws {
        let (rules, results) = try sarifResults()
        let ids = rules.compactMap { $0["id"] as? String }
        #expect(Set(ids).count == ids.count)
        #expect(ids.contains("pack-rule"), "a rule missing from the metadata gets a descriptor")
        #expect(results.count == findings.count)
        for result in results {
            let index = try #require(result["ruleIndex"] as? Int)
            #expect(ids.indices.contains(index))
            #expect(ids[index] == result["ruleId"] as? String)
        }
    }

    @Test func sarifLevelsFollowSeverity() throws {
        let (_, results) = try sarifResults()
        #expect(results.map { $0["level"] as? String } == ["error", "warning", "error", "note"])
        #expect(SARIFRenderer.level(.info) == "note")
    }

    @Test func sarifLocations() throws {
        let (_, results) = try sarifResults()
        let physical = try #require((results[0]["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        let artifact = try #require(physical["artifactLocation"] as? [String: Any])
        #expect(artifact["uri"] as? String == Self.migration)
        #expect(artifact["uriBaseId"] as? String == "%SRCROOT%")
        let region = try #require(physical["region"] as? [String: Any])
        #expect(region["startLine"] as? Int == 12)
        #expect(region["startColumn"] as? Int == 3)

        let objectLocation = try #require((results[1]["locations"] as? [[String: Any]])?.first)
        #expect(objectLocation["physicalLocation"] == nil)
        let logical = try #require((objectLocation["logicalLocations"] as? [[String: Any]])?.first)
        #expect(logical["fullyQualifiedName"] as? String == "postgres")
        #expect(logical["kind"] as? String == "object")

        #expect(results[3]["locations"] == nil)
        #expect(((results[0]["message"] as? [String: Any])?["text"] as? String)?.hasSuffix(" Fix: Use CREATE INDEX CONCURRENTLY.") == true)
    }

    @Test func sarifURIsAreRelativeForwardSlashAndEncoded() {
        #expect(SARIFRenderer.artifactURI("db\\migrations\\a b.sql", sourceRoot: nil) == ("db/migrations/a%20b.sql", "%SRCROOT%"))
        #expect(SARIFRenderer.artifactURI("/repo/db/x.sql", sourceRoot: "/repo") == ("db/x.sql", "%SRCROOT%"))
        #expect(SARIFRenderer.artifactURI("/elsewhere/x.sql", sourceRoot: "/repo") == ("file:///elsewhere/x.sql", nil))
    }

    @Test func sarifSuppressionsAndFingerprints() throws {
        let (_, results) = try sarifResults()
        for (result, finding) in zip(results, findings) {
            let fingerprints = try #require(result["partialFingerprints"] as? [String: String])
            #expect(fingerprints["infraGuardian/v1"] == finding.fingerprint)
        }
        let suppressions = try #require(results[2]["suppressions"] as? [[String: Any]])
        #expect(suppressions.count == 1)
        #expect(suppressions[0]["kind"] as? String == "inSource")
        #expect(suppressions[0]["justification"] as? String == "column unused since v2")
        #expect(results[0]["suppressions"] == nil)
    }

    @Test func sarifSecuritySeverityIsOptIn() throws {
        let text = SARIFRenderer.render(findings: findings, rules: rules, toolVersion: "1", securitySeverity: true)
        let log = try JSONDecoder().decode(SARIF.Log.self, from: Data(text.utf8))
        let rule = try #require(log.runs.first?.tool.driver.rules.first { $0.id == "ban-drop-column" })
        #expect(rule.properties.securitySeverity == "9.5")
        #expect(rule.name == "BanDropColumn")
    }

    // MARK: JUnit

    func junit(_ findings: [Finding]) throws -> XMLElement {
        let text = JUnitRenderer.render(findings: findings, rules: rules, suiteName: "infra-guardian")
        #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"))
        return try #require(try XMLDocument(xmlString: text, options: []).rootElement())
    }

    @Test func junitParsesAndCountsMatch() throws {
        let root = try junit(findings)
        #expect(root.name == "testsuites")
        #expect(root.attribute(forName: "tests")?.stringValue == "4")
        #expect(root.attribute(forName: "failures")?.stringValue == "1")
        #expect(root.attribute(forName: "skipped")?.stringValue == "1")
        let suites = root.elements(forName: "testsuite")
        #expect(suites.compactMap { $0.attribute(forName: "name")?.stringValue }
                == [Self.migration, "postgres", "infra-guardian"], "./db/x.sql and db/x.sql are one suite")
        let cases = suites.flatMap { $0.elements(forName: "testcase") }
        #expect(cases.count == 4)
        #expect(cases.flatMap { $0.elements(forName: "failure") }.count == 1)
        #expect(cases.flatMap { $0.elements(forName: "skipped") }.count == 1)
        for suite in suites {
            #expect(suite.attribute(forName: "tests")?.stringValue == "\(suite.elements(forName: "testcase").count)")
        }
    }

    @Test func junitFailureAndSkippedContent() throws {
        let root = try junit(findings)
        let cases = root.elements(forName: "testsuite").flatMap { $0.elements(forName: "testcase") }
        let failure = try #require(cases.first { !$0.elements(forName: "failure").isEmpty })
        #expect(failure.attribute(forName: "name")?.stringValue == "require-concurrent-index at line 12")
        let element = try #require(failure.elements(forName: "failure").first)
        #expect(element.attribute(forName: "type")?.stringValue == "HIGH")
        #expect(element.stringValue?.contains("Fix: Use CREATE INDEX CONCURRENTLY.") == true)
        let skipped = try #require(cases.flatMap { $0.elements(forName: "skipped") }.first)
        #expect(skipped.attribute(forName: "message")?.stringValue == "waived: column unused since v2")
    }

    @Test func junitEscapesMarkupAndDropsInvalidCharacters() throws {
        let nasty = Finding(ruleID: "r", category: .migration, severity: .critical,
                            message: "a & b < c > d \"e\" 'f'\u{0}\u{8}\u{1B}\u{FFFE} g\nh", fix: "x",
                            location: Location(file: "db/<odd>&'name'.sql", line: 1))
        let root = try junit([nasty])
        let suite = try #require(root.elements(forName: "testsuite").first)
        #expect(suite.attribute(forName: "name")?.stringValue == "db/<odd>&'name'.sql")
        let failure = try #require(suite.elements(forName: "testcase").first?.elements(forName: "failure").first)
        #expect(failure.attribute(forName: "message")?.stringValue == "a & b < c > d \"e\" 'f' g\nh")
    }

    @Test func junitEmptyRunHasOnePassingTestCase() throws {
        let root = try junit([])
        #expect(root.attribute(forName: "tests")?.stringValue == "1")
        #expect(root.attribute(forName: "failures")?.stringValue == "0")
        let cases = root.elements(forName: "testsuite").flatMap { $0.elements(forName: "testcase") }
        #expect(cases.count == 1)
        #expect(cases[0].children?.isEmpty ?? true)
    }

    @Test func junitFindingsOutsideTheGateAreNotFailures() throws {
        let medium = Finding(ruleID: "r", category: .schema, severity: .medium, message: "m", fix: "f",
                             location: .object("public.leads"))
        let root = try junit([medium])
        #expect(root.attribute(forName: "failures")?.stringValue == "0")
        let testCase = try #require(root.elements(forName: "testsuite").first?.elements(forName: "testcase").first)
        #expect(testCase.elements(forName: "system-out").first?.stringValue?.contains("Fix: f") == true)
    }

    // MARK: GitHub annotations

    @Test func githubAnnotationLines() {
        let lines = GitHubAnnotationRenderer.render(findings: findings).split(separator: "\n").map(String.init)
        #expect(lines == [
            "::error file=\(Self.migration),line=12,col=3,title=require-concurrent-index::CREATE INDEX on leads blocks writes. Fix: Use CREATE INDEX CONCURRENTLY.",
            "::warning title=connection-saturation (postgres)::92%25 of max_connections in use. Fix: Add a pooler.",
            "::notice file=\(Self.migration),line=30,title=ban-drop-column::DROP COLUMN leads.phone <old>. Fix: Stop reading it first & then drop. (waived: column unused since v2)",
            "::notice title=pack-rule::A rule-pack finding. Fix: Do the thing.",
        ])
    }

    @Test func githubEscaping() {
        #expect(GitHubAnnotationRenderer.escapeData("100% a:b,c\r\nd") == "100%25 a:b,c%0D%0Ad")
        #expect(GitHubAnnotationRenderer.escapeProperty("C:\\x,y%\n") == "C%3A\\x%2Cy%25%0A")
        let odd = Finding(ruleID: "r:1,2", category: .migration, severity: .info, message: "line1\nline2", fix: "50%",
                          location: Location(file: "a,b:c.sql", line: 2))
        #expect(GitHubAnnotationRenderer.render(findings: [odd])
                == "::notice file=a%2Cb%3Ac.sql,line=2,title=r%3A1%2C2::line1%0Aline2 Fix: 50%25\n")
    }

    // MARK: Text

    @Test func textLinesAndSummary() {
        let lines = TextFindingsRenderer.render(findings: findings).split(separator: "\n").map(String.init)
        #expect(lines[0] == "./\(Self.migration):12:3: high: CREATE INDEX on leads blocks writes. [require-concurrent-index]")
        #expect(lines[1] == "    fix: Use CREATE INDEX CONCURRENTLY.")
        #expect(lines[2] == "postgres: medium: 92% of max_connections in use. [connection-saturation]")
        #expect(lines[4] == "\(Self.migration):30:1: waived (column unused since v2): DROP COLUMN leads.phone <old>. [ban-drop-column]")
        #expect(lines.last == "3 findings (1 HIGH, 1 MEDIUM, 1 LOW), 1 waived")
    }

    @Test func textSummaryEdgeCases() {
        #expect(TextFindingsRenderer.summary([]) == "no findings")
        #expect(TextFindingsRenderer.summary([findings[2]]) == "0 findings, 1 waived")
        #expect(TextFindingsRenderer.summary([findings[0]]) == "1 finding (1 HIGH)")
        #expect(TextFindingsRenderer.render(findings: []) == "no findings\n")
    }
}

@Suite struct FindingsJSONWriterTests {
    @Test func roundTripsThroughJSONDecoderWithHostileText() throws {
        let findings = [
            Finding(ruleID: "r-1", category: .migration, severity: .high, message: "quote \" backslash \\ tab\t nl\n ctl\u{01} é",
                    fix: "multi\nline", location: Location(file: "db/m.sql", line: 3, column: 7)),
            Finding(ruleID: "r-2", category: .schema, severity: .low, message: "m", fix: "f", location: .object("public.t"),
                    waiver: Waiver(reason: "accepted \"risk\"", location: Location(file: "db/m.sql", line: 2))),
        ]
        // r-1's fix is its rule's generic one (written once, in `rules`); r-2 has no description.
        let rules = [RuleDescription(id: "r-1", category: .migration, severity: .medium, summary: "s \"1\"",
                                     why: "w\u{02}\n", fix: "multi\nline", bad: [], good: [])]
        let report = LintReport(files: 2, findings: findings,
                                gate: GateVerdict(passed: false, reasons: ["1 HIGH finding (I001)"]))
        let text = FindingsJSONWriter.render(report, rules: rules)
        let decoded = try JSONRenderer.decoder().decode(LintReport.self, from: Data(text.utf8))
        #expect(decoded.findings == findings)
        #expect(decoded.files == 2 && decoded.gate == report.gate)
        let empty = FindingsJSONWriter.render(LintReport(files: 0, findings: [], gate: GateVerdict(passed: true, reasons: [])),
                                              rules: rules)
        #expect(try JSONRenderer.decoder().decode(LintReport.self, from: Data(empty.utf8)).findings.isEmpty)
        #expect(try JSONSerialization.jsonObject(with: Data(empty.utf8)) as? NSDictionary != nil)
    }
}
