import Testing
@testable import InfraGuardian

@Suite struct ConnectionTargetTests {
    @Test func explicitWinsThenDatabaseURLThenLibpqVariables() {
        let env = ["DATABASE_URL": "postgres://env/db", "PGHOST": "h"]
        #expect(ConnectionTarget.resolvePostgres(explicit: "postgres://flag/db", environment: env) == "postgres://flag/db")
        #expect(ConnectionTarget.resolvePostgres(explicit: nil, environment: env) == "postgres://env/db")
        #expect(ConnectionTarget.resolvePostgres(explicit: "", environment: env) == "postgres://env/db")
        #expect(ConnectionTarget.resolvePostgres(explicit: nil, environment: ["PGSERVICE": "prod"]) == "")
        #expect(ConnectionTarget.resolvePostgres(explicit: nil, environment: ["PGPORT": "5433"]) == "")
        // A password alone says nothing about where to connect.
        #expect(ConnectionTarget.resolvePostgres(explicit: nil, environment: ["PGPASSWORD": "x", "PGUSER": "u"]) == nil)
        #expect(ConnectionTarget.resolvePostgres(explicit: nil, environment: [:]) == nil)
    }

    @Test(arguments: [
        ("postgres://user:secret@h/db", "postgres://user:***@h/db"),
        ("postgresql://user:secret@h:5432/db?sslmode=require", "postgresql://user:***@h:5432/db?sslmode=require"),
        ("postgres://user@h/db", "postgres://user@h/db"),
        ("postgres://h/db?user=u&password=secret&sslmode=require", "postgres://h/db?user=u&password=***&sslmode=require"),
        ("postgres://user:p%40ss@h/db?password=again", "postgres://user:***@h/db?password=***"),
        ("postgres://user:p@ss@h/db", "postgres://user:***@h/db"),
        ("host=h password=secret dbname=d", "host=h password=*** dbname=d"),
        ("host=h password = 'se cret' dbname=d", "host=h password = *** dbname=d"),
        ("password='it\\'s' host=h", "password=*** host=h"),
        ("host=h PASSWORD=secret", "host=h PASSWORD=***"),
        ("host=h dbname=d", "host=h dbname=d"),
    ])
    func masksPasswords(input: String, masked: String) {
        #expect(ConnectionTarget.maskedPostgres(input, environment: [:]) == masked)
    }

    @Test func describesLibpqDefaultsWithoutThePassword() {
        let env = ["PGHOST": "db.internal", "PGDATABASE": "app", "PGPASSWORD": "secret", "PGUSER": "auditor"]
        let shown = ConnectionTarget.maskedPostgres("", environment: env)
        #expect(shown == "libpq defaults (PGHOST=db.internal, PGDATABASE=app, PGUSER=auditor)")
        #expect(!shown.contains("secret"))
        #expect(ConnectionTarget.maskedPostgres("", environment: [:]) == "libpq defaults")
    }

    @Test func findsSecretsToScrubFromErrors() {
        #expect(ConnectionTarget.secrets(in: "postgres://u:p%40ss@h/db").contains("p@ss"))
        #expect(ConnectionTarget.secrets(in: "host=h password='se cret'") == ["se cret"])
        #expect(PostgresError.clean("bad \"se cret\"\n  more  \n", redacting: ["se cret"]) == "bad \"***\"; more")
        #expect(PostgresError.clean("failed: FATAL:  password authentication failed for user \"u\"\n")
                == "failed: FATAL: password authentication failed for user \"u\"")
    }

    @Test func sessionOptionsKeepTheUsersAndOverrideThem() {
        var settings = PostgresSettings()
        settings.statementTimeoutMillis = 1234
        let options = SessionParameters.options(conninfo: "host=h options='-c search_path=app'",
                                                settings: settings, environment: [:])
        #expect(options.hasPrefix("-c search_path=app -c default_transaction_read_only=on"))
        #expect(options.contains("-c statement_timeout=1234"))
        let fromEnvironment = SessionParameters.options(conninfo: "", settings: settings,
                                                        environment: ["PGOPTIONS": "-c work_mem=64MB"])
        #expect(fromEnvironment.hasPrefix("-c work_mem=64MB -c default_transaction_read_only=on"))
    }
}
