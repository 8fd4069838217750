import Foundation
import Testing
@testable import InfraGuardian

@Suite(.integration) struct PostgresConnectionTests {
    @Test func sessionIsReadOnlyAndBounded() throws {
        var settings = PostgresSettings()
        settings.statementTimeoutMillis = 1234
        settings.lockTimeoutMillis = 567
        let connection = try PostgresConnection.open(conninfo: try TestServers.url(.pg15), settings: settings)
        #expect(try connection.value("SHOW default_transaction_read_only") == "on")
        #expect(try connection.value("SHOW statement_timeout") == "1234ms")
        #expect(try connection.value("SHOW lock_timeout") == "567ms")
        #expect(try connection.value("SHOW idle_in_transaction_session_timeout") == "1min")
        #expect(try connection.value("SHOW application_name") == "infra-guardian")
        #expect(try connection.value("SELECT $1::int + 1", ["41"]) == "42")
        #expect(try connection.query("SELECT NULL::text, 't'::bool") == [[nil, "t"]])
        #expect(connection.queryCount == 7)
    }

    @Test func keywordStringsWorkAndTheUsersOptionsAreKept() throws {
        let url = try #require(URLComponents(string: try TestServers.url(.pg18)))
        let conninfo = "host=\(url.host ?? "") port=\(url.port ?? 5432) dbname=\(url.path.dropFirst())"
            + " user=\(url.user ?? "") options='-c search_path=audit,public -c default_transaction_read_only=off'"
        let connection = try PostgresConnection.open(conninfo: conninfo, settings: PostgresSettings())
        #expect(try connection.value("SHOW search_path") == "audit,public")
        // The user's options come first, so ours win even when they try to turn read-only off.
        #expect(try connection.value("SHOW default_transaction_read_only") == "on")
    }

    @Test func writesAreRefused() throws {
        let database = try ScratchDatabase(on: .pg15)
        try database.execute("CREATE TABLE notes (id int)")
        let connection = try PostgresConnection.open(conninfo: database.url, settings: PostgresSettings())
        let error = try #require(throws: PostgresError.self) {
            try connection.query("INSERT INTO notes VALUES ($1)", ["1"])
        }
        #expect(error.sqlState == "25006")
        #expect(error.message.contains("read-only transaction"))
        #expect(throws: PostgresError.self) { try connection.query("CREATE TABLE other (id int)") }
    }

    @Test func statementTimeoutCancelsLongQueries() throws {
        var settings = PostgresSettings()
        settings.statementTimeoutMillis = 200
        let connection = try PostgresConnection.open(conninfo: try TestServers.url(.pg18), settings: settings)
        let error = try #require(throws: PostgresError.self) { try connection.query("SELECT pg_sleep(5)") }
        #expect(error.sqlState == "57014")
        #expect(error.message.contains("statement timeout"))
    }

    @Test func pingMeasuresARoundTrip() throws {
        let connection = try PostgresConnection.open(conninfo: try TestServers.url(.pg18), settings: PostgresSettings())
        let millis = try connection.ping()
        #expect(millis > 0)
        #expect(connection.queryCount == 0)
        #expect(connection.pingCount == 1)
    }

    @Test func unreachableServerFailsWithinTheConnectTimeout() {
        var settings = PostgresSettings()
        settings.connectTimeoutSeconds = 2
        let clock = ContinuousClock()
        let start = clock.now
        let collected = PostgresCollector.collect(conninfo: "postgres://postgres@127.0.0.1:1/postgres", settings: settings)
        // A bound, not a speed measurement: the collector must give up by itself.
        #expect(clock.now - start < .seconds(settings.connectTimeoutSeconds + 3))
        #expect(collected.value == nil)
        #expect(collected.target == "postgres://postgres@127.0.0.1:1/postgres")
        let error = collected.error ?? ""
        #expect(error.contains("cannot connect to PostgreSQL"))
        #expect(error.contains("127.0.0.1"))
        #expect(error.contains("Connection refused"))
        #expect(!error.contains("\n"))
    }

    @Test func silentServerTimesOutInsteadOfHanging() throws {
        // Accepts TCP and never answers the startup packet, like a wedged server or proxy.
        let silent = try RedisSilentServer()
        var settings = PostgresSettings()
        settings.connectTimeoutSeconds = 2
        let clock = ContinuousClock()
        let start = clock.now
        let collected = PostgresCollector.collect(conninfo: "postgres://postgres@127.0.0.1:\(silent.port)/db",
                                                  settings: settings)
        #expect(clock.now - start < .seconds(settings.connectTimeoutSeconds + 3))
        // The client-side connect wait (PQconnectPoll + poll) ran out, not libpq's blocking connect.
        #expect(collected.error?.contains("connecting to PostgreSQL: no answer within 2 s") == true)
    }

    @Test func wrongPasswordIsReportedWithoutThePassword() throws {
        var components = try #require(URLComponents(string: try TestServers.url(.pg15Password)))
        components.password = "wrong-pw-4711"
        let url = try #require(components.string)
        let collected = PostgresCollector.collect(conninfo: url, settings: PostgresSettings())
        let error = try #require(collected.error)
        #expect(error.contains("password authentication failed"))
        #expect(!error.contains("wrong-pw-4711"))
        #expect(collected.target?.contains("wrong-pw-4711") == false)
        #expect(collected.target?.contains(":***@") == true)
    }

    @Test func malformedURLIsExplained() {
        let collected = PostgresCollector.collect(conninfo: "postgres://user@:notaport/db", settings: PostgresSettings())
        #expect(collected.value == nil)
        let error = collected.error ?? ""
        #expect(error.contains("invalid integer value \"notaport\" for connection option \"port\""))
    }

    @Test func malformedKeywordStringNeverEchoesThePassword() {
        let collected = PostgresCollector.collect(conninfo: "host=127.0.0.1 password='pw with spaces' bogus",
                                                  settings: PostgresSettings())
        let error = collected.error ?? ""
        #expect(!error.isEmpty)
        #expect(!error.contains("pw with spaces"))
        #expect(collected.target == "host=127.0.0.1 password=*** bogus")
    }
}
