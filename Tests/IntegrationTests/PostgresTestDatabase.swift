import CLibPQ
import Foundation
@testable import InfraGuardian

/// A plain read-write libpq session for building fixtures: the collector's own connection is
/// read-only by design, so it cannot create what it is tested on.
final class AdminConnection {
    private let handle: OpaquePointer

    init(_ url: String) throws {
        guard let handle = PQconnectdb(url) else { throw AdminError(message: "PQconnectdb returned NULL") }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(handle))
            PQfinish(handle)
            throw AdminError(message: "fixture connection failed: \(message)")
        }
        self.handle = handle
    }

    deinit { PQfinish(handle) }

    /// Runs a script of one or more statements (simple protocol, so several may be separated by `;`).
    func execute(_ sql: String) throws {
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            throw AdminError(message: "fixture SQL failed: \(String(cString: PQerrorMessage(handle)))")
        }
    }

    /// Rows of one query, for assertions about the state of a database.
    func rows(_ sql: String) throws -> [[String?]] {
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_TUPLES_OK else {
            throw AdminError(message: "fixture query failed: \(String(cString: PQerrorMessage(handle)))")
        }
        return (0..<PQntuples(result)).map { row in
            (0..<PQnfields(result)).map { column in
                PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
            }
        }
    }
}

extension AdminConnection {
    /// The first column of the first row of one query, as text (nil for NULL or no row).
    func value(_ sql: String) throws -> String? {
        try rows(sql).first?.first ?? nil
    }
}

struct AdminError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// A database created for one test and dropped afterwards, so tests running in parallel (and other
/// suites using `medicalcor_test`) never see each other's tables, including `public.schema_migrations`.
final class ScratchDatabase {
    let name: String
    /// The server URL pointing at this database.
    let url: String
    private let admin: AdminConnection

    init(on server: TestServers.Server, extensions: [String] = []) throws {
        let serverURL = try TestServers.url(server)
        name = "ig_test_" + UUID().uuidString.prefix(8).lowercased()
        url = try Self.url(serverURL, database: name)
        admin = try AdminConnection(serverURL)
        try admin.execute("CREATE DATABASE \(name)")
        if !extensions.isEmpty {
            let fixture = try AdminConnection(url)
            try fixture.execute(extensions.map { "CREATE EXTENSION IF NOT EXISTS \($0);" }.joined())
        }
    }

    deinit {
        // FORCE: a connection leaked by a failing test must not leave the database behind.
        try? admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// Runs fixture SQL in this database through a fresh read-write session.
    func execute(_ sql: String) throws {
        try AdminConnection(url).execute(sql)
    }

    static func url(_ serverURL: String, database: String) throws -> String {
        guard var components = URLComponents(string: serverURL) else {
            throw AdminError(message: "not a URL: \(ConnectionTarget.maskedPostgres(serverURL))")
        }
        components.path = "/" + database
        guard let url = components.string else { throw AdminError(message: "cannot build a URL for \(database)") }
        return url
    }
}
