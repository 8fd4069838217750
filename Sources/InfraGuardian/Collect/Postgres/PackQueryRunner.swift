import Foundation

/// Runs rule-pack queries in the read-only session: all of them in ONE round trip (each wrapped as a
/// JSON sub-select); only when that fails, one by one to name the broken rule.
enum PackQueryRunner {
    static func run(_ rules: [PackRuleDefinition], on connection: PostgresConnection) -> [String: PackResult] {
        guard !rules.isEmpty else { return [:] }
        let combined = "SELECT json_build_object(" + rules.enumerated().map { index, rule in
            "$\(index + 1)::text, \(subquery(rule))"
        }.joined(separator: ", ") + ")::text"
        if let text = try? connection.value(combined, rules.map(\.id)), let decoded = decode(text) {
            return decoded
        }
        var results: [String: PackResult] = [:]
        for rule in rules {
            do {
                let text = try connection.value("SELECT json_build_object($1::text, \(subquery(rule)))::text", [rule.id])
                results[rule.id] = text.flatMap(decode)?[rule.id] ?? PackResult(error: "the query returned nothing readable")
            } catch {
                results[rule.id] = PackResult(error: "\(error)")
            }
        }
        return results
    }

    /// Rows as a JSON array of {object, detail}; other columns are ignored and `detail` may be absent.
    private static func subquery(_ rule: PackRuleDefinition) -> String {
        let body = rule.query.trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: ";"))
        return "(SELECT coalesce(json_agg(json_build_object('object', to_jsonb(q)->>'object', 'detail', to_jsonb(q)->>'detail')), "
            + "'[]'::json) FROM (\(body)) AS q)"
    }

    private static func decode(_ text: String) -> [String: PackResult]? {
        guard let data = text.data(using: .utf8),
              let object = try? JSONDecoder().decode([String: [PackResult.Row]].self, from: data) else { return nil }
        return object.mapValues { PackResult(rows: $0) }
    }
}
