/// A file of SQL checks (`rules/*.yml`), in the spirit of Supabase's splinter: each rule is one
/// read-only query returning rows in a fixed column set, plus the words that turn a row into a finding.
public struct RulePack: Sendable, Equatable {
    /// Where it came from: `rules/postgres-durability.yml` or `builtin:postgres-durability.yml`.
    public var source: String
    public var rules: [PackRuleDefinition]
}

/// One SQL rule. Its query returns one row per problem with the columns:
/// `object text` (required: the schema object, e.g. `public.leads`) and `detail text` (optional).
public struct PackRuleDefinition: Sendable, Equatable {
    public var id: String
    public var category: Category
    public var severity: Severity
    public var summary: String
    public var finds: String?
    public var why: String
    /// The fix shown for every finding; Mustache with `{{object}}` and `{{detail}}`.
    public var fix: String
    public var query: String
    /// The finding's message; Mustache with `{{object}}` and `{{detail}}`.
    public var message: String
    /// SQL that sets up a database where the rule must report (`bad`) or stay quiet (`good`): shown
    /// by `explain`, and run by the integration tests on a fresh database for each built-in pack rule.
    public var badExample: String?
    public var goodExample: String?
    public var source: String
    public var line: Int?
    /// The query reads tables outside the catalogs (`reads_user_data: true`): its rows are shown as
    /// hashes, never as values. A query that reads user tables without saying so is refused.
    public var readsUserData: Bool = false

    /// The two columns every pack query must return.
    public static let columns = ["object", "detail"]
}

/// Rows a pack query returned in the collect stage (or why it could not run).
public struct PackResult: Codable, Sendable, Equatable {
    public struct Row: Codable, Sendable, Equatable {
        public var object: String
        public var detail: String?

        public init(object: String, detail: String? = nil) {
            self.object = object
            self.detail = detail
        }
    }

    public var rows: [Row]
    public var error: String?
    /// Why the query was not sent: not one plain read, a volatile function, or user tables read
    /// without `reads_user_data: true`.
    public var refusal: String?

    public init(rows: [Row] = [], error: String? = nil, refusal: String? = nil) {
        self.rows = rows
        self.error = error
        self.refusal = refusal
    }
}
