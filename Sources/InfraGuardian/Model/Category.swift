/// The family a rule belongs to; shown in the report's "Category" column.
public enum Category: String, Codable, CaseIterable, Sendable {
    case migration
    case schema
    case index
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
        case .schema: "Schema"
        case .index: "Missing index"
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
