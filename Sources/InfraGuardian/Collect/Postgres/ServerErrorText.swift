import Foundation

/// PostgreSQL's error texts quote the values they reject (`invalid input syntax for type integer:
/// "alice@example.com"`), their DETAIL lines show whole keys (`Key (email)=(…) already exists`) and
/// their LINE lines repeat the statement. For errors of probe and pack queries, which read user tables,
/// only the message template leaves: quoted parts masked, DETAIL, HINT, CONTEXT and LINE dropped.
/// A quoted part that the query's own text contains (`column "no_such_column" does not exist`) came
/// from the configuration, not from the database, and stays readable.
enum ServerErrorText {
    static func redacted(_ message: String, query: String = "") -> String {
        var primary = message
        // `PostgresError.clean` joins libpq's lines with "; ": the first is the message itself.
        for marker in ["; DETAIL:", "; HINT:", "; CONTEXT:", "; LINE ", "; QUERY:", "; WHERE:"] {
            if let range = primary.range(of: marker) { primary = String(primary[..<range.lowerBound]) }
        }
        return SecretMasking.masked(maskQuoted(primary, keeping: query))
    }

    /// Every "…" and '…' becomes "***" unless `query` contains it (a value and a name look alike here).
    static func maskQuoted(_ text: String, keeping query: String = "") -> String {
        var out = ""
        var quote: Character?
        var quoted = ""
        for character in text {
            if let open = quote {
                if character == open {
                    out.append(!quoted.isEmpty && query.contains(quoted) ? quoted : "***")
                    out.append(character)
                    quote = nil
                    quoted = ""
                } else {
                    quoted.append(character)
                }
            } else {
                out.append(character)
                if character == "\"" || character == "'" { quote = character }
            }
        }
        if quote != nil { out.append("***") }
        return out
    }
}
