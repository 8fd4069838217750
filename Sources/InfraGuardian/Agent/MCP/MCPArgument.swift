import MCP

/// One argument of a tool: its property in the tool's JSON Schema, and the check a call's value
/// must pass (the schema is a promise to the client; the check keeps it when a client does not).
struct MCPArgument: Sendable {
    enum Kind: Sendable {
        case string, boolean, strings
        case integer(ClosedRange<Int>)
        /// A time limit: above 0, at most `Deadline.maximumSeconds`.
        case seconds
        case choice([String])
    }

    let name: String
    let kind: Kind
    let description: String
    var required = false
    var defaultValue: Value?

    var schema: Value {
        var property: [String: Value] = ["description": .string(description)]
        switch kind {
        case .string: property["type"] = "string"
        case .boolean: property["type"] = "boolean"
        case .strings:
            property["type"] = "array"
            property["items"] = ["type": "string"]
        case .integer(let range):
            property["type"] = "integer"
            property["minimum"] = .int(range.lowerBound)
            property["maximum"] = .int(range.upperBound)
        case .seconds:
            property["type"] = "number"
            property["exclusiveMinimum"] = 0
            property["maximum"] = .double(Deadline.maximumSeconds)
        case .choice(let values):
            property["type"] = "string"
            property["enum"] = .array(values.map { .string($0) })
        }
        if let defaultValue { property["default"] = defaultValue }
        return .object(property)
    }

    /// Throws a one-line `MCPToolError` when `value` is not of this argument's type and range.
    func check(_ value: Value) throws {
        let ok: Bool
        switch kind {
        case .string: ok = value.stringValue != nil
        case .boolean: ok = value.boolValue != nil
        case .strings: ok = value.arrayValue?.allSatisfy { $0.stringValue != nil } ?? false
        case .integer(let range): ok = Self.integer(value).map(range.contains) ?? false
        case .seconds: ok = Self.number(value).map { $0 > 0 && $0 <= Deadline.maximumSeconds } ?? false
        case .choice(let values): ok = value.stringValue.map(values.contains) ?? false
        }
        guard ok else { throw MCPToolError("argument \"\(name)\" must be \(expected), got \(Self.shown(value))") }
    }

    private var expected: String {
        switch kind {
        case .string: "a string"
        case .boolean: "true or false"
        case .strings: "an array of strings"
        case .integer(let range): "a whole number from \(range.lowerBound) to \(range.upperBound)"
        case .seconds: "a number of seconds above 0 and at most \(Int(Deadline.maximumSeconds))"
        case .choice(let values): "one of " + values.joined(separator: ", ")
        }
    }

    static func integer(_ value: Value) -> Int? {
        if let int = value.intValue { return int }
        guard let double = value.doubleValue, double.rounded() == double, abs(double) < 1e15 else { return nil }
        return Int(double)
    }

    static func number(_ value: Value) -> Double? { value.doubleValue ?? value.intValue.map(Double.init) }

    /// The value as a caller would recognise it, short and on one line.
    private static func shown(_ value: Value) -> String {
        switch value {
        case .string(let text): "the string \"\(SecretMasking.quotable(text, limit: 60))\""
        case .array: "an array"
        case .object: "an object"
        default: SecretMasking.quotable(value.description, limit: 60)
        }
    }
}

/// The arguments several tools share, described once.
extension MCPArgument {
    static let directory = MCPArgument(name: "directory", kind: .string, description:
        "The project folder (absolute, or relative to the server's working directory; default: the server's working "
            + "directory). Every other path argument must lie inside it, after `..` and symbolic links are resolved.")
    static let config = MCPArgument(name: "config", kind: .string, description:
        "Configuration file inside the project (default: .infra-guardian.yml in the project, when present).")
    static let databaseURL = MCPArgument(name: "database_url", kind: .string, description:
        "PostgreSQL URL or libpq keyword string (default: the server's DATABASE_URL, postgres.url_env or PG* variables). "
            + "Prefer the server's environment: a password given here is masked in every output, but it stays in the client's transcript.")
    static let redisURL = MCPArgument(name: "redis_url", kind: .string, description:
        "Redis URL redis://[user:pass@]host:port/db (default: the server's REDIS_URL or redis.url_env); masked in every output.")
    static let migrations = MCPArgument(name: "migrations", kind: .strings, description:
        "Migration folders inside the project (default: paths.migrations, else db/migrations and supabase/migrations where they exist).")
    static let source = MCPArgument(name: "source", kind: .string, description:
        "Root of the TypeScript source tree, inside the project (default: paths.source).")
    static let base = MCPArgument(name: "base", kind: .string, description:
        "A git revision (e.g. origin/main): migrations that existed there and changed since are CRITICAL findings.")
    static let baseline = MCPArgument(name: "baseline", kind: .string, description:
        "A baseline file inside the project (from `infra-guardian baseline`): findings recorded there do not fail the gate "
            + "(default: gate.baseline).")
    static let details = MCPArgument(name: "details", kind: .boolean, description:
        "md and html: append `## Details` with every finding's row, including those of rules the table summarises.",
        defaultValue: false)

    static func deadline(default seconds: Double) -> MCPArgument {
        MCPArgument(name: "deadline", kind: .seconds, description:
            "Overall time limit in seconds for reading PostgreSQL and Redis; when it expires the result names what was cut "
                + "and the gate fails (audit incomplete).", defaultValue: .double(seconds))
    }

    static func format(_ values: [String], default value: String, _ description: String) -> MCPArgument {
        MCPArgument(name: "format", kind: .choice(values), description: description, defaultValue: .string(value))
    }
}
