import Foundation

/// Runs rule-pack queries in the audit session: all of them in ONE round trip (each wrapped as a
/// JSON sub-select); only when that fails, one by one to name the broken rule.
///
/// Packs can come from a pull request, so before anything is sent each query must be one plain read
/// (`ReadQueryShape`) calling no volatile function (`QueryGuard`); a query that reads tables outside
/// the catalogs must say so (`reads_user_data: true`), and its `object`/`detail` values are then
/// hashed by the server: row values never reach this process. Everything runs inside
/// `BEGIN READ ONLY … ROLLBACK`; server errors keep their message template only.
enum PackQueryRunner {
    static func run(_ rules: [PackRuleDefinition], on connection: PostgresConnection) -> [String: PackResult] {
        guard !rules.isEmpty else { return [:] }
        var results: [String: PackResult] = [:]
        let runnable = vet(rules, on: connection, refusals: &results)
        guard !runnable.isEmpty else { return results }
        let combined = "\(CatalogQuery.marker) SELECT json_build_object(" + runnable.enumerated().map { index, rule in
            "$\(index + 1)::text, \(subquery(rule))"
        }.joined(separator: ", ") + ")::text"
        // The wrapping must not have changed what the statement is (a pack query that closes our
        // parenthesis would show here): it is still one plain read.
        if case .success = ReadQueryShape.read(combined),
           let text = try? readOnly(connection, { try connection.value(combined, runnable.map(\.id)) }),
           let decoded = decode(text) {
            return results.merging(decoded) { first, _ in first }
        }
        for rule in runnable {
            let single = "\(CatalogQuery.marker) SELECT json_build_object($1::text, \(subquery(rule)))::text"
            do {
                let text = try readOnly(connection) { try connection.value(single, [rule.id]) }
                results[rule.id] = text.flatMap(decode)?[rule.id] ?? PackResult(error: "the query returned nothing readable")
            } catch let error as PostgresError {
                results[rule.id] = PackResult(error: ServerErrorText.redacted(error.message, query: rule.query)
                                              + (error.sqlState.map { " (SQLSTATE \($0))" } ?? ""))
            } catch {
                results[rule.id] = PackResult(error: ServerErrorText.redacted("\(error)"))
            }
        }
        return results
    }

    /// The rules that may run; the others get their refusal in `refusals`.
    static func vet(_ rules: [PackRuleDefinition], on connection: PostgresConnection,
                    refusals: inout [String: PackResult]) -> [PackRuleDefinition] {
        let shapes = rules.map { ReadQueryShape.read(body($0)) }
        let verdicts: [QueryGuard.Verdict]
        do {
            verdicts = try QueryGuard.judge(shapes.map { try? $0.get() }, on: connection)
        } catch {
            for rule in rules {
                refusals[rule.id] = PackResult(refusal: "could not be checked against the catalog, so it was not sent: "
                                               + ServerErrorText.redacted("\(error)"))
            }
            return []
        }
        var runnable: [PackRuleDefinition] = []
        for (rule, (shape, verdict)) in zip(rules, zip(shapes, verdicts)) {
            if case .failure(let refusal) = shape {
                refusals[rule.id] = PackResult(refusal: "the query \(refusal.reason)")
            } else if let refusal = verdict.refusal {
                refusals[rule.id] = PackResult(refusal: "the query \(refusal.reason)")
            } else if verdict.readsUserData && !rule.readsUserData {
                let what = verdict.userRelations.isEmpty ? "catalog columns that hold statement texts or sampled values"
                    : verdict.userRelations.joined(separator: ", ")
                refusals[rule.id] = PackResult(refusal: "the query reads \(what), outside the catalogs: declare "
                                               + "`reads_user_data: true` in the pack (its rows are then shown as hashes, never as values)")
            } else {
                runnable.append(rule)
            }
        }
        return runnable
    }

    /// Runs `body` inside a read-only transaction that is always rolled back.
    private static func readOnly<T>(_ connection: PostgresConnection, _ body: () throws -> T) throws -> T {
        _ = try connection.measure("\(CatalogQuery.marker) BEGIN READ ONLY")
        defer { _ = try? connection.measure("\(CatalogQuery.marker) ROLLBACK") }
        return try body()
    }

    private static func body(_ rule: PackRuleDefinition) -> String {
        rule.query.trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: ";"))
    }

    /// Rows as a JSON array of {object, detail}; other columns are ignored and `detail` may be absent.
    /// The query stands on lines of its own, so a trailing `--` comment cannot swallow the wrapping.
    private static func subquery(_ rule: PackRuleDefinition) -> String {
        let object = rule.readsUserData ? hashed("to_jsonb(q)->>'object'") : "to_jsonb(q)->>'object'"
        let detail = rule.readsUserData ? hashed("to_jsonb(q)->>'detail'") : "to_jsonb(q)->>'detail'"
        return "(SELECT coalesce(json_agg(json_build_object('object', \(object), 'detail', \(detail))), "
            + "'[]'::json) FROM (\n\(body(rule))\n) AS q)"
    }

    /// A value as the first 12 hex digits of its SHA-256, computed by the server (NULL stays NULL).
    private static func hashed(_ expression: String) -> String {
        "CASE WHEN \(expression) IS NULL THEN NULL ELSE 'sha256:' || left(encode(sha256(convert_to(\(expression), 'UTF8')), 'hex'), 12) END"
    }

    /// Catalog values can still hold a credential (`primary_conninfo`, a role's connection string): masked.
    private static func decode(_ text: String) -> [String: PackResult]? {
        guard let data = text.data(using: .utf8),
              let object = try? JSONDecoder().decode([String: [PackResult.Row]].self, from: data) else { return nil }
        return object.mapValues { rows in
            PackResult(rows: rows.map { PackResult.Row(object: SecretMasking.masked($0.object), detail: $0.detail.map(SecretMasking.masked)) })
        }
    }
}
