/// The family a rule belongs to; shown in the report's "Category" column.
public enum Category: String, Codable, CaseIterable, Sendable {
    case migration
    /// What `verify` observed running a migration on a scratch database.
    case verification
    case schema
    /// An index a query lacks (advice, a foreign key without one, sequential scans).
    case index
    /// An index another index of the table makes unnecessary (duplicate, redundant).
    case redundantIndex = "redundant_index"
    case unusedIndex = "unused_index"
    case invalidIndex = "invalid_index"
    /// Space held by dead rows or pages (table and index bloat).
    case bloat
    /// What widens the attack surface (a function's mutable search_path).
    case security
    case query
    case vector
    case redis
    case connection
    case version
    case adapter
    case configuration

    public var title: String {
        switch self {
        case .migration: "Migration"
        case .verification: "Migration verification"
        case .schema: "Schema"
        case .index: "Missing index"
        case .redundantIndex: "Redundant index"
        case .unusedIndex: "Unused index"
        case .invalidIndex: "Invalid index"
        case .bloat: "Bloat"
        case .security: "Security"
        case .query: "Slow query"
        case .vector: "pgvector"
        case .redis: "Redis"
        case .connection: "Connections"
        case .version: "Version"
        case .adapter: "Adapter"
        case .configuration: "Configuration"
        }
    }
}
