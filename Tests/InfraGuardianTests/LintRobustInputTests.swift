import Testing
@testable import InfraGuardian

/// Input that cannot crash the linter or hide anything from it (issue 9): deep statements, NUL
/// bytes, control characters in file names.
@Suite struct LintRobustInputTests {
    static func deepFile(_ deep: String) -> String {
        "-- migrate:up\nCREATE TABLE IF NOT EXISTS t (id bigint);\n\(deep);\nDROP TABLE users;\n-- migrate:down\nSELECT 1;\n"
    }

    static let plusChain = "SELECT 1" + String(repeating: "+1", count: 70_000)
    static let concatChain = "SELECT 'a'" + String(repeating: "||'a'", count: 70_000)
    static let parentheses = "SELECT " + String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)

    @Test(arguments: [plusChain, concatChain, parentheses])
    func tooDeepIsASyntaxErrorAtItsLineAndTheRestIsLinted(_ deep: String) throws {
        let findings = Lint.evaluate(Lint.dbmate(Self.deepFile(deep)))
        let syntax = try #require(findings.first { $0.ruleID == "sql-syntax-error" }, "\(findings.map(\.ruleID))")
        #expect(syntax.message.contains("too deeply nested for the parser"))
        #expect(syntax.location.line == 3)
        // The statements around it are still parsed and linted.
        #expect(findings.contains { $0.ruleID == "ban-drop-table" && $0.location.line == 4 })
        #expect(findings.filter { $0.ruleID == "sql-syntax-error" }.count == 1)
    }

    @Test func deepButUnderTheLimitParsesOnALargeStack() throws {
        // PostgreSQL 15 (max_stack_depth 2 MB) answers a 4,000-term chain; 5,000 exceeds its stack.
        let chain = "SELECT 1" + String(repeating: "+1", count: 3_990)
        let nested = "SELECT " + String(repeating: "(", count: 3_990) + "1" + String(repeating: ")", count: 3_990)
        for sql in [chain, nested] {
            #expect(NestingGuard.estimate(Array(sql.utf8)[...]).depth > NestingGuard.inlineLimit)
            let analysis = Lint.analyze(Lint.dbmate("-- migrate:up\n\(sql);\n-- migrate:down\nSELECT 1;\n"))
            let up = try #require(analysis.files.first?.up)
            #expect(up.syntaxErrors.isEmpty, "\(up.syntaxErrors)")
            #expect(up.statements.map(\.kind) == [.selectStmt])
        }
    }

    @Test func theGuardIgnoresStringsCommentsAndSiblings() {
        func depth(_ sql: String) -> Int { NestingGuard.estimate(Array(sql.utf8)[...]).depth }
        // Operators and parentheses inside literals, identifiers and comments do not count.
        #expect(depth("SELECT '" + String(repeating: "+(", count: 5_000) + "';") < 10)
        #expect(depth("SELECT $body$" + String(repeating: "+(", count: 5_000) + "$body$;") < 10)
        #expect(depth("SELECT 1; -- " + String(repeating: "+(", count: 5_000)) < 10)
        #expect(depth("SELECT 1 /* " + String(repeating: "+(", count: 5_000) + " */;") < 10)
        #expect(depth("SELECT \"" + String(repeating: "+(", count: 5_000) + "\";") < 10)
        // Siblings are not nested: long VALUES lists, OR-lists, many statements.
        #expect(depth("INSERT INTO t VALUES " + Array(repeating: "(-1, 2 + 3)", count: 5_000).joined(separator: ", ") + ";") < 10)
        #expect(depth("SELECT 1 WHERE " + Array(repeating: "a = 1", count: 5_000).joined(separator: " OR ") + ";") < 10)
        #expect(depth(String(repeating: "SELECT 1 + 2;\n", count: 5_000)) < 10)
        // What nests counts.
        #expect(depth("SELECT 1" + String(repeating: "+1", count: 5_000)) > NestingGuard.limit)
        #expect(depth(Array(repeating: "SELECT 1", count: 5_000).joined(separator: " UNION ")) > NestingGuard.limit)
        #expect(depth("SELECT ARRAY" + String(repeating: "[", count: 5_000) + "1" + String(repeating: "]", count: 5_000)) > NestingGuard.limit)
    }

    @Test func probeAndNormalizerEntryPointsRefuseDeepTextWithoutCrashing() {
        if case .success = PgQuery.parse(Array(Self.plusChain.utf8)[...]) { Issue.record("a 70,000-term chain parsed") }
        #expect(SQLText.normalized(Self.concatChain) == nil)
        #expect(SQLText.normalized("SELECT 1" + String(repeating: "+1", count: 500)) != nil)
        #expect(!SQLText.isSingleSelect(Self.parentheses))
    }

    @Test func probeVettingReadsDeepQueriesUnderTheLimitAndRefusesDeeperOnes() {
        let under = "SELECT " + String(repeating: "(", count: 3_900) + "1" + String(repeating: ")", count: 3_900)
            + " + 1" + String(repeating: "+1", count: 50)
        guard case .success = ReadQueryShape.read(under) else { Issue.record("a query under the limit was refused"); return }
        let over = "SELECT 1" + String(repeating: "+1", count: 5_000)  // under the 64 KB size cap
        guard case .failure(let refusal) = ReadQueryShape.read(over) else { Issue.record("a 5,000-term chain was read"); return }
        #expect("\(refusal)".contains("too deeply nested"))
    }

    @Test func largeStackReturnsTheWorkResult() {
        #expect(LargeStack.run { (1...1_000).reduce(0, +) } == 500_500)
    }

    @Test func nulByteIsAFindingAtItsLineAndColumnAndHidesNothing() throws {
        let file = Lint.dbmate("-- migrate:up\nSELECT 1;\u{0} DROP TABLE users;\n-- migrate:down\nSELECT 1;\n")
        let findings = Lint.evaluate(file)
        let nul = try #require(findings.first { $0.ruleID == "nul-byte-in-migration" })
        #expect((nul.location.line, nul.location.column) == (2, 10))
        #expect(nul.severity == .high)
        let drop = try #require(findings.first { $0.ruleID == "ban-drop-table" }, "\(findings.map(\.ruleID))")
        #expect((drop.location.line, drop.location.column) == (2, 12))
    }

    @Test func nulBytesAreReportedOncePerLineAndCapped() {
        #expect(NulByteInMigration.nulPositions(in: "a\u{0}\u{0}\nbé\u{0}\n").map { [$0.line, $0.column] } == [[1, 2], [2, 3]])
        #expect(NulByteInMigration.nulPositions(in: "SELECT 1;").isEmpty)
        let many = String(repeating: "\u{0}\n", count: 50)
        let findings = NulByteInMigration().check(AuditInput(migrations: MigrationSet(files: [Lint.dbmate(many)])), RuleContext())
        #expect(findings.count == NulByteInMigration.maximumPerFile)
        #expect(findings.last?.message.contains("30 more lines") == true)
    }

    @Test func controlCharactersInFileNamesAreEscapedInEveryTextOutput() throws {
        let name = "202401011200_x\u{1B}[31mred\nforged.sql"
        let findings = Lint.evaluate(Lint.dbmate("-- migrate:up\nCREATE INDEX i ON t (a);\n", name: name))
        #expect(!findings.isEmpty)
        let text = TextFindingsRenderer.render(findings: findings)
        let github = GitHubAnnotationRenderer.render(findings: findings)
        let report = LintReport(files: 1, findings: findings,
                                gate: QualityGate.evaluate(findings: findings, issueID: { Finding.issueID($0 + 1) },
                                                           components: [], policy: Configuration().gate))
        let markdown = Linter.markdown(report)
        for output in [text, github, markdown] {
            #expect(!output.unicodeScalars.contains("\u{1B}"), "raw ESC in:\n\(output)")
            #expect(!output.contains("red\nforged"), "raw newline in a file name:\n\(output)")
            #expect(output.contains("x\\u{1B}[31mred\\u{A}forged.sql"))
        }
        // Every line of the text output is a finding, its fix, or the summary: none forged.
        #expect(text.split(separator: "\n").allSatisfy { $0.hasPrefix("db/migrations/") || $0.hasPrefix("    fix:") || $0.contains("finding") })
        #expect(github.split(separator: "\n").allSatisfy { $0.hasPrefix("::") })
        #expect(Location(file: name, line: 2).description == "202401011200_x\\u{1B}[31mred\\u{A}forged.sql:2")
    }

    @Test func oneEscaperForQuotedInputAndFileNames() {
        #expect(ControlCharacters.escaped("a\u{1B}b\u{9B}c\u{7F}") == "a\\u{1B}b\\u{9B}c\\u{7F}")
        #expect(ControlCharacters.escaped("a\nb", keeping: ControlCharacters.isLineBreak) == "a\nb")
        #expect(SecretMasking.quotable("a\u{1B}[2Jb") == ControlCharacters.escaped("a\u{1B}[2Jb"))
        #expect(ControlCharacters.escaped("plain é") == "plain é")
    }
}

/// Sections larger than `SectionParser.streamThreshold` are parsed a chunk at a time: the same
/// statements, positions, states and findings as a whole-section parse.
@Suite struct LintStreamedSectionTests {
    @Test func aLargeSeedIsStreamedWithEveryStatementPositionAndFinding() throws {
        let rows = 160_000
        var text = "-- migrate:up\nSET lock_timeout = '5s';\nCREATE TABLE IF NOT EXISTS seed (id bigint PRIMARY KEY);\n"
        text += (1...rows).map { "INSERT INTO seed VALUES (\($0));\n" }.joined()
        text += "CREATE TABLE select (id int);\nALTER TABLE leads DROP COLUMN IF EXISTS legacy;\n-- migrate:down\nSELECT 1;\n"
        #expect(text.utf8.count > SectionParser.streamThreshold)
        let file = Lint.dbmate(text)
        let analysis = Lint.analyze(file)
        let up = try #require(analysis.files.first?.up)
        #expect(up.statements.count == rows + 3)
        #expect(up.statements.map(\.index) == Array(0..<(rows + 3)))
        let last = try #require(up.statements.last)
        #expect(last.kind == .alterTableStmt && last.line == rows + 5 && last.column == 1)
        #expect(last.alterSubtypes == [.dropColumn] && last.lockTimeoutSet && last.targetTable == "leads")
        #expect(last.text == "ALTER TABLE leads DROP COLUMN IF EXISTS legacy")
        let insert = up.statements[2]
        #expect(insert.kind == .insertStmt && insert.targetTable == "seed" && insert.line == 4)
        #expect(insert.text == "INSERT INTO seed VALUES (1)")
        // Data statements keep no tree; it can be had again.
        #expect(!insert.node.exists)
        let again = try #require(insert.reparsed())
        #expect(again.node[.relation][.relname].string == "seed")
        // The syntax error is one finding at its line; what follows it is linted.
        #expect(up.syntaxErrors.map(\.line) == [rows + 4])
        let findings = Lint.evaluate(file)
        #expect(findings.contains { $0.ruleID == "ban-drop-column" && $0.location.line == rows + 5 })
        #expect(findings.filter { $0.ruleID == "sql-syntax-error" }.count == 1)
    }
}
