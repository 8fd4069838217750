import Foundation

/// Masks what looks like a credential in free text before it reaches any output: the password of a
/// connection URL (`postgres://user:***@host`), `password=…` keywords, and environment-style
/// assignments of secrets (`DATABASE_PASSWORD=…`, `API_TOKEN=…`, `AWS_SECRET_ACCESS_KEY=…`).
/// Used on everything an input can put into an error message or a report header.
public enum SecretMasking {
    public static func masked(_ text: String) -> String {
        var result = text
        for (regex, template) in rules {
            result = regex.stringByReplacingMatches(in: result, range: NSRange(result.startIndex..., in: result),
                                                    withTemplate: template)
        }
        return result
    }

    /// Control characters (terminal escape sequences among them) written as `\u{1B}`, and the text
    /// cut to `limit` characters: for quoting input in a one-line error message.
    public static func quotable(_ text: String, limit: Int = 120) -> String {
        var out = ""
        for scalar in masked(text).unicodeScalars {
            if out.count >= limit {
                out += "…"
                break
            }
            out += ControlCharacters.escaped(String(scalar))
        }
        return out
    }

    private static let rules: [(NSRegularExpression, String)] = [
        // scheme://user:password@  (any scheme; the user may be empty, as in redis://:pw@host)
        (#"([A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*:)[^@\s/]+@"#, "$1***@"),
        // password=… / pwd=… keywords (libpq conninfo, JDBC, ODBC), quoted or not
        (#"(?i)\b(password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key)(\s*[=:]\s*)('[^']*'|"[^"]*"|[^\s;&,'"]+)"#, "$1$2***"),
        // environment assignments whose name says secret: DATABASE_PASSWORD=…, GITHUB_TOKEN=…
        (#"\b([A-Z0-9_]*(?:PASSWORD|PASSWD|SECRET|TOKEN|APIKEY|API_KEY|PRIVATE_KEY|ACCESS_KEY|CREDENTIALS?)[A-Z0-9_]*=)\S+"#, "$1***"),
    ].compactMap { pattern, template in
        (try? NSRegularExpression(pattern: pattern)).map { ($0, template) }
    }
}
