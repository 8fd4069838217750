import Testing
@testable import InfraGuardian

/// Probe and pack SQL comes from files a pull request can change: only one plain read passes the
/// shape check, and what it calls is collected for the catalog check.
@Suite struct HostileQueryTests {
    static let refused: [(sql: String, reason: String)] = [
        ("SET default_transaction_read_only = off", "not SET"),
        ("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE", "not SET"),
        ("BEGIN READ WRITE", "transaction control"),
        ("COMMIT", "transaction control"),
        ("START TRANSACTION READ WRITE", "transaction control"),
        ("ROLLBACK", "transaction control"),
        ("COPY (SELECT 1) TO PROGRAM 'touch /tmp/x'", "not COPY"),
        ("COPY (SELECT email FROM users) TO '/tmp/emails'", "not COPY"),
        ("COPY users TO STDOUT", "not COPY"),
        ("DELETE FROM users", "not DELETE"),
        ("UPDATE users SET email = ''", "not UPDATE"),
        ("INSERT INTO users VALUES (1)", "not INSERT"),
        ("WITH gone AS (DELETE FROM users RETURNING id) SELECT count(*) FROM gone", "modifies data (DELETE"),
        ("WITH x AS (SELECT 1), y AS (UPDATE users SET id = id RETURNING 1) SELECT * FROM x", "modifies data (UPDATE"),
        ("SELECT * INTO stolen FROM users", "SELECT … INTO"),
        ("SELECT * FROM users FOR UPDATE", "FOR UPDATE/SHARE"),
        ("SELECT * FROM users FOR SHARE SKIP LOCKED", "FOR UPDATE/SHARE"),
        ("DO $$ BEGIN DELETE FROM users; END $$", "not DO"),
        ("CALL purge()", "not CALL"),
        ("LOCK TABLE users IN ACCESS EXCLUSIVE MODE", "not LOCK"),
        ("NOTIFY channel, 'x'", "not NOTIFY"),
        ("EXPLAIN ANALYZE DELETE FROM users", "not DELETE"),
        ("PREPARE p AS DELETE FROM users", "not PREPARE"),
        ("CREATE TABLE stolen AS SELECT * FROM users", "CREATE TABLE AS"),
        ("SELECT 1; DELETE FROM users", "exactly one statement (found 2)"),
        ("SELECT 1;\u{0} DELETE FROM users", "NUL byte"),
        ("SELEC 1", "does not parse"),
        ("", "exactly one statement (found 0)"),
    ]

    @Test(arguments: refused) func everyEscapeIsRefusedByItsShape(_ sql: String, _ reason: String) {
        guard case .failure(let refusal) = ReadQueryShape.read(sql) else {
            Issue.record("\(sql) was accepted")
            return
        }
        #expect(refusal.reason.contains(reason), "\(sql): \(refusal.reason)")
    }

    @Test func plainReadsPassAndNameWhatTheyCall() throws {
        for sql in ["SELECT 1", "VALUES (1), (2)", "TABLE pg_class", "EXPLAIN SELECT * FROM leads WHERE id = $1",
                    "WITH recent AS (SELECT id FROM leads) SELECT count(*) FROM recent"] {
            #expect(throws: Never.self, "\(sql)") { try ReadQueryShape.read(sql).get() }
        }
        let shape = try ReadQueryShape.read("""
            WITH recent AS (SELECT id FROM public.leads)
            SELECT (SELECT set_config('default_transaction_read_only', 'off', false)), pg_catalog.now(), 1 OPERATOR(public.===) 2
            FROM recent JOIN patients p ON true
            """).get()
        #expect(shape.functions == ["set_config", "pg_catalog.now"])
        #expect(shape.operators == ["public.==="])
        #expect(shape.relations == ["public.leads", "patients"], "the CTE is not a relation")
        #expect(!shape.namesSensitiveColumns)
        #expect(try ReadQueryShape.read("SELECT a.query AS object FROM pg_stat_activity a").get().namesSensitiveColumns)
    }

    @Test func aVerdictRefusesVolatileFunctionsButTheReadOnlyOnes() {
        let catalog = QueryGuard.CatalogFacts(
            functions: ["set_config": .init(anyVolatile: true, volatileOnlyInCatalog: true),
                        "pg_relation_size": .init(anyVolatile: true, volatileOnlyInCatalog: true),
                        "public.pg_table_size": .init(anyVolatile: true, volatileOnlyInCatalog: false),
                        "now": .init(anyVolatile: false, volatileOnlyInCatalog: true)],
            volatileOperators: ["public.==="], catalogRelations: ["pg_class", "pg_stats"], sampleRelations: ["pg_stats"])
        func verdict(_ functions: Set<String>, operators: Set<String> = [], relations: Set<String> = []) -> QueryGuard.Verdict {
            QueryGuard.verdict(ReadQueryShape(functions: functions, operators: operators, relations: relations), catalog)
        }
        #expect(verdict(["set_config"]).refusal?.reason.contains("set_config(), which PostgreSQL marks volatile") == true)
        #expect(verdict(["pg_relation_size", "now"]).refusal == nil)
        #expect(verdict(["public.pg_table_size"]).refusal != nil, "a user's function of an allowed name is not the built-in")
        #expect(verdict([], operators: ["public.==="]).refusal != nil)
        #expect(verdict([], relations: ["pg_class"]).readsUserData == false)
        #expect(verdict([], relations: ["pg_stats"]).readsUserData, "pg_stats samples column values")
        #expect(verdict([], relations: ["pg_class", "users"]).userRelations == ["users"])
    }

    @Test func serverErrorsKeepTheirTemplateOnly() {
        let raw = #"ERROR: invalid input syntax for type integer: "alice.marker@example.com"; LINE 1: SELECT email::int FROM users; ^"#
        #expect(ServerErrorText.redacted(raw, query: "SELECT email::int FROM users")
                == #"ERROR: invalid input syntax for type integer: "***""#)
        let duplicate = #"ERROR: duplicate key value violates unique constraint "users_email_key"; DETAIL: Key (email)=(bob@example.com) already exists."#
        #expect(ServerErrorText.redacted(duplicate) == #"ERROR: duplicate key value violates unique constraint "***""#)
        #expect(ServerErrorText.redacted(#"ERROR: column "no_such_column" does not exist"#, query: "SELECT no_such_column FROM x")
                .contains(#""no_such_column""#), "names written in the query itself stay readable")
        #expect(ServerErrorText.redacted("ERROR: unterminated 'secret") == "ERROR: unterminated '***")
    }

    @Test func credentialsAreMaskedInFreeText() {
        let text = "DATABASE_URL=postgres://app:hunter2@db:5432/prod\0PGPASSWORD=pw1 API_TOKEN=tok-9 host=db password='p w' redis://:rpw@cache"
        let masked = SecretMasking.masked(text)
        for secret in ["hunter2", "pw1", "tok-9", "p w", "rpw"] {
            #expect(!masked.contains(secret), "\(secret) in \(masked)")
        }
        #expect(masked.contains("postgres://app:***@db:5432/prod"))
        #expect(SecretMasking.quotable("a\u{1B}[31mred\u{7}") == "a\\u{1B}[31mred\\u{7}")
        #expect(SecretMasking.quotable(String(repeating: "x", count: 500), limit: 10).count == 11)
    }
}
