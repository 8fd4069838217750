import Testing
@testable import InfraGuardian

/// Statements, positions and syntax errors as PostgreSQL's parser sees them.
@Suite struct LintParserTests {
    static let file = """
        -- migrate:up
        -- Create leads
        CREATE TABLE IF NOT EXISTS leads (
          id uuid PRIMARY KEY
        );
          CREATE INDEX IF NOT EXISTS idx ON leads (id); ALTER TABLE leads ADD COLUMN IF NOT EXISTS x int;

        -- migrate:down
        DROP TABLE IF EXISTS leads;
        """

    @Test func statementsCarryFileLineAndColumn() throws {
        let analysis = Lint.analyze(Lint.dbmate(Self.file))
        let file = try #require(analysis.files.first)
        let up = try #require(file.up).statements
        #expect(up.map(\.kind) == [.createStmt, .indexStmt, .alterTableStmt])
        #expect((up[0].line, up[0].column, up[0].endLine) == (3, 1, 5))
        #expect(up[0].text.hasPrefix("CREATE TABLE") && up[0].text.hasSuffix(")"))
        #expect((up[1].line, up[1].column) == (6, 3))
        #expect(up[1].text == "CREATE INDEX IF NOT EXISTS idx ON leads (id)")
        #expect((up[2].line, up[2].column) == (6, 49))
        #expect(up.allSatisfy { $0.file == "db/migrations/202401011200_example.sql" && $0.section == .up })
        let down = try #require(file.down).statements
        #expect(down.map(\.kind) == [.dropStmt] && (down[0].line, down[0].column) == (9, 1) && down[0].section == .down)
        #expect(down[0].droppedObjects == ["leads"] && down[0].dropObjectType == .table)
    }

    @Test func nodeAccessorsReadTheParseTree() throws {
        let up = try #require(Lint.analyze(Lint.dbmate(Self.file)).files.first?.up).statements
        #expect(up[1].node[.relation][.relname].string == "leads")
        #expect(up[1].node[.ifNotExists].bool && !up[1].node[.concurrent].bool)
        #expect(up[1].node[.indexParams][0].node(.indexElem)[.name].string == "id")
        #expect(up[2].alterCommands(.addColumn).first?[.def].node(.columnDef)[.colname].string == "x")
        #expect(up[0].node[member: "nothing"][member: "here"].string == nil && !up[0].node[member: "nothing"].exists)
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let up = try #require(Lint.analyze(Lint.dbmate("-- migrate:up\nSELECT 'é'; SELECT 2;\n")).files.first?.up)
        #expect(up.statements.map(\.column) == [1, 13])
    }

    @Test func syntaxErrorHasPostgresMessageAndPositionAndTheRestIsLinted() throws {
        let text = """
            -- migrate:up
            CREATE TABLE IF NOT EXISTS a (id int);
            CREATE TABLE IF NOT EXISTS t (select int);
            CREATE INDEX idx_b ON b (id);
            -- migrate:down
            DROP TABLE IF EXISTS a;
            """
        let file = try #require(Lint.analyze(Lint.dbmate(text)).files.first)
        let errors = file.syntaxErrors
        #expect(errors.count == 1)
        #expect(errors.first?.message == "syntax error at or near \"select\"")
        #expect(errors.first.map { ($0.line, $0.column) } ?? (0, 0) == (3, 31))
        #expect(file.up?.statements.map(\.kind) == [.createStmt, .indexStmt])
        let findings = Lint.evaluate(Lint.dbmate(text))
        #expect(findings.filter { $0.ruleID == "sql-syntax-error" }.count == 1)
        // The statement after the bad one is still linted.
        #expect(findings.contains { $0.ruleID == "require-concurrent-index" && $0.location.line == 4 })
    }

    @Test func reservedWordAsColumnNameIsASyntaxError() {
        let findings = Lint.evaluate(Lint.dbmate("-- migrate:up\nCREATE TABLE t (select int);\n-- migrate:down\nSELECT 1;\n"))
        let error = findings.first { $0.ruleID == "sql-syntax-error" }
        #expect(error?.location.line == 2 && error?.location.column == 17)
        #expect(error?.message.contains("syntax error at or near \"select\"") == true)
    }

    @Test func unterminatedStringIsOneErrorNotACrash() throws {
        let file = try #require(Lint.analyze(Lint.dbmate("-- migrate:up\nSELECT 1;\nSELECT 'abc;\n")).files.first)
        #expect(file.syntaxErrors.count == 1)
        #expect(file.syntaxErrors.first?.message.contains("unterminated") == true)
    }

    @Test func commentsInStringsAndDollarQuotesAreNotComments() throws {
        let text = """
            -- migrate:up
            SELECT '-- not a comment', $body$ /* nor this */ $body$;
            -- a real one
            SELECT 1;
            """
        let up = try #require(Lint.analyze(Lint.dbmate(text)).files.first?.up)
        #expect(up.comments.map(\.text) == ["a real one"])
        #expect(up.statements.map(\.line) == [2, 4])
    }

    @Test func jsonTapeDecodesEscapesAndSurvivesGarbage() {
        let document = JSONDocument(bytes: Array(#"{"a":{"b":["x\"y\\n\u00e9",-12,true,null]},"c":false}"#.utf8))
        #expect(document.root[member: "a"][member: "b"][0].string == "x\"y\\n\u{e9}")
        #expect(document.root[member: "a"][member: "b"][1].int == -12)
        #expect(document.root[member: "a"][member: "b"][2].bool && !document.root[member: "c"].bool)
        #expect(document.root[member: "a"][member: "b"].array.count == 4 && document.root.nodeKindName == "a")
        let broken = JSONDocument(bytes: Array(#"{"a":[1,{"b":"#.utf8))
        #expect(broken.root[member: "a"][1][member: "b"].string == nil)
        #expect(JSONDocument(bytes: []).root[member: "x"].exists == false)
    }

    /// A value keeps its document alive: read after the document and every statement are gone.
    @Test func valuesOutliveTheirDocument() throws {
        func firstIndexName() throws -> JSONValue {
            let up = try #require(Lint.analyze(Lint.dbmate(Self.file)).files.first?.up).statements
            return up[1].node[.idxname]
        }
        let name = try firstIndexName()
        #expect(name.string != nil && name.exists)
    }

    /// Every name the rules read exists in the installed libpg_query (the enums are generated from
    /// its pg_query.proto): node kinds come back from the parser spelt as the enum spells them.
    @Test func generatedNodeKindsMatchTheParser() throws {
        let up = try #require(Lint.analyze(Lint.dbmate(Self.file)).files.first?.up).statements
        #expect(up.map(\.kind.rawValue) == ["CreateStmt", "IndexStmt", "AlterTableStmt"])
        #expect(up[2].alterSubtypes == [.addColumn])
    }
}
