/// The role the audit connected as, and what it could do beyond reading: the audit never writes,
/// but a role that could is one more thing to get wrong (a leaked CI secret, a tool with a bug).
public struct AuditRole: Codable, Sendable, Equatable {
    public var name: String
    public var superuser: Bool
    /// Tables outside the system schemas it may INSERT, UPDATE, DELETE or TRUNCATE.
    public var writableTables: Int
    /// A few of them, schema-qualified, for the report.
    public var writableExamples: [String]

    public init(name: String, superuser: Bool = false, writableTables: Int = 0, writableExamples: [String] = []) {
        self.name = name
        self.superuser = superuser
        self.writableTables = writableTables
        self.writableExamples = writableExamples
    }
}
