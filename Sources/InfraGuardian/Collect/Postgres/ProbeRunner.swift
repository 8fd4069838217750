import Foundation

/// Measures the configured probes in the audit session: read-only, under statement_timeout, each run
/// one parameterized round trip (PQexecParams), after one warm-up run that is not counted.
///
/// Parameter values (given, or drawn by `params_query`) never leave this type: the result holds the
/// probe's name and latencies only, and server errors that quote a value have it masked.
enum ProbeRunner {
    static func run(_ probes: [ProbeDefinition], on connection: PostgresConnection,
                    statementTimeoutMillis: Int) -> [ProbeResult] {
        probes.map { run($0, on: connection, statementTimeoutMillis: statementTimeoutMillis) }
    }

    static func run(_ probe: ProbeDefinition, on connection: PostgresConnection,
                    statementTimeoutMillis: Int) -> ProbeResult {
        var result = ProbeResult(name: probe.name, runs: probe.runs, budgetMillis: probe.budgetMillis)
        var parameters: [String?] = probe.parameters
        do {
            if let parametersQuery = probe.parametersQuery {
                parameters = try drawParameters(parametersQuery, on: connection)
            }
            _ = try connection.timed(probe.sql, parameters)
            var samples: [Double] = []
            samples.reserveCapacity(max(probe.runs, 0))
            for _ in 0..<max(probe.runs, 0) {
                samples.append(try connection.timed(probe.sql, parameters))
            }
            result.latency = Percentiles.summarize(samples)
            result.meanMillis = samples.isEmpty ? nil : samples.reduce(0, +) / Double(samples.count)
        } catch let error as ProbeError {
            result.error = error.message
        } catch let error as PostgresError {
            result.error = explain(error, statementTimeoutMillis: statementTimeoutMillis,
                                   masking: parameters.compactMap { $0 })
        } catch {
            result.error = "probe failed: \(error)"
        }
        return result
    }

    /// The first row of `params_query`, its columns in order (NULL stays NULL).
    private static func drawParameters(_ sql: String, on connection: PostgresConnection) throws -> [String?] {
        let rows: [[String?]]
        do {
            rows = try connection.measure(sql)
        } catch let error as PostgresError {
            throw ProbeError(message: "params_query failed: \(error.message)" + (error.sqlState.map { " (SQLSTATE \($0))" } ?? ""))
        }
        guard let first = rows.first else {
            throw ProbeError(message: "params_query returned no row: the probe needs one row of parameters")
        }
        return first
    }

    private struct ProbeError: Error { var message: String }

    /// Replaces each value where it stands as a whole token (the server quotes values it rejects:
    /// `"PATIENT-42"`, `'...'`), so a short value such as `x` does not garble words like "syntax".
    /// Longest first, so a value containing another is masked whole.
    static func mask(_ values: [String], in text: String) -> String {
        var masked = text
        for value in Set(values).sorted(by: { $0.count > $1.count }) where !value.isEmpty {
            let pattern = "(?<![A-Za-z0-9_])" + NSRegularExpression.escapedPattern(for: value) + "(?![A-Za-z0-9_])"
            guard let regex = try? NSRegularExpression(pattern: pattern) else { continue }
            masked = regex.stringByReplacingMatches(in: masked, range: NSRange(masked.startIndex..., in: masked),
                                                    withTemplate: "***")
        }
        return masked
    }

    static func explain(_ error: PostgresError, statementTimeoutMillis: Int, masking values: [String]) -> String {
        let message = mask(values, in: error.message)
        switch error.sqlState {
        case "57014":
            return "exceeded statement_timeout (\(statementTimeoutMillis) ms): \(message)"
        case "25006":
            return "not read-only: probes run in a read-only session (\(message))"
        default:
            return message + (error.sqlState.map { " (SQLSTATE \($0))" } ?? "")
        }
    }
}
