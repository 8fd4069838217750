import Foundation

/// Measures the configured probes in the audit session, each run one parameterized round trip
/// (PQexecParams), after one warm-up run that is not counted.
///
/// A probe comes from the configuration, which a pull request can change: before anything is sent,
/// its SQL and `params_query` must be one plain read (`ReadQueryShape`) calling no volatile function
/// (`QueryGuard`, one round trip for all probes); then each probe runs inside its own
/// `BEGIN READ ONLY … ROLLBACK`, so nothing it does survives it. Probes stop when `budget` is spent.
///
/// Parameter values (given, or drawn by `params_query`) never leave this type: the result holds the
/// probe's name and latencies only, and server errors are reduced to their message template.
enum ProbeRunner {
    static func run(_ probes: [ProbeDefinition], on connection: PostgresConnection,
                    statementTimeoutMillis: Int, budget: Duration = .seconds(60)) -> [ProbeResult] {
        guard !probes.isEmpty else { return [] }
        let refusals = vet(probes, on: connection)
        let clock = ContinuousClock()
        let deadline = clock.now + budget
        return zip(probes, refusals).map { probe, refusal in
            if let refusal {
                return ProbeResult(name: probe.name, runs: probe.runs, budgetMillis: probe.budgetMillis, refusal: refusal.reason)
            }
            guard clock.now < deadline else {
                return ProbeResult(name: probe.name, runs: probe.runs, budgetMillis: probe.budgetMillis,
                                   error: "not measured: the probes' time budget (postgres.probe_budget_s, \(budget.components.seconds) s) was spent")
            }
            return run(probe, on: connection, statementTimeoutMillis: statementTimeoutMillis, until: deadline)
        }
    }

    /// Why each probe may not run (nil: it may).
    static func vet(_ probes: [ProbeDefinition], on connection: PostgresConnection) -> [QueryRefusal?] {
        let shapes = probes.map { probe -> Result<[ReadQueryShape], QueryRefusal> in
            ReadQueryShape.read(probe.sql).flatMap { sql in
                guard let parametersQuery = probe.parametersQuery else { return .success([sql]) }
                return ReadQueryShape.read(parametersQuery)
                    .mapError { QueryRefusal("params_query \($0.reason)") }
                    .map { [sql, $0] }
            }
        }
        let judged = shapes.flatMap { (try? $0.get()) ?? [] }
        let verdicts: [QueryGuard.Verdict]
        do {
            verdicts = judged.isEmpty ? [] : try QueryGuard.judge(judged, on: connection)
        } catch {
            let reason = QueryRefusal("could not be checked against the catalog, so it was not sent: \(ServerErrorText.redacted("\(error)"))")
            return shapes.map { (try? $0.get()).map { _ in reason } ?? $0.failure }
        }
        var next = 0
        return shapes.map { shape in
            switch shape {
            case .failure(let refusal): return refusal
            case .success(let parts):
                defer { next += parts.count }
                return verdicts[next..<next + parts.count].compactMap(\.refusal).first
            }
        }
    }

    static func run(_ probe: ProbeDefinition, on connection: PostgresConnection,
                    statementTimeoutMillis: Int, until deadline: ContinuousClock.Instant) -> ProbeResult {
        var result = ProbeResult(name: probe.name, runs: probe.runs, budgetMillis: probe.budgetMillis)
        var parameters: [String?] = probe.parameters
        do {
            _ = try connection.measure("BEGIN READ ONLY")
            defer { _ = try? connection.measure("ROLLBACK") }
            if let parametersQuery = probe.parametersQuery {
                parameters = try drawParameters(parametersQuery, on: connection)
            }
            _ = try connection.timed(probe.sql, parameters)
            var samples: [Double] = []
            samples.reserveCapacity(max(probe.runs, 0))
            let clock = ContinuousClock()
            for _ in 0..<max(probe.runs, 0) {
                guard clock.now < deadline else {
                    result.note = "stopped after \(samples.count) of \(probe.runs) runs: the probes' time budget was spent"
                    break
                }
                samples.append(try connection.timed(probe.sql, parameters))
            }
            result.latency = Percentiles.summarize(samples)
            result.meanMillis = samples.isEmpty ? nil : samples.reduce(0, +) / Double(samples.count)
        } catch let error as ProbeError {
            result.error = error.message
        } catch let error as PostgresError {
            result.error = explain(error, statementTimeoutMillis: statementTimeoutMillis,
                                   masking: parameters.compactMap { $0 }, query: probe.sql + "\n" + (probe.parametersQuery ?? ""))
        } catch {
            result.error = "probe failed: \(ServerErrorText.redacted("\(error)"))"
        }
        return result
    }

    /// The first row of `params_query`, its columns in order (NULL stays NULL).
    private static func drawParameters(_ sql: String, on connection: PostgresConnection) throws -> [String?] {
        let rows: [[String?]]
        do {
            rows = try connection.measure(sql)
        } catch let error as PostgresError {
            throw ProbeError(message: "params_query failed: \(ServerErrorText.redacted(error.message, query: sql))"
                             + (error.sqlState.map { " (SQLSTATE \($0))" } ?? ""))
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

    static func explain(_ error: PostgresError, statementTimeoutMillis: Int, masking values: [String],
                        query: String = "") -> String {
        let message = ServerErrorText.redacted(mask(values, in: error.message), query: query)
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

private extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
