/// The persistence adapters of a TypeScript source tree, the ports they implement and the tests
/// that cover them (see `AdapterGraphBuilder`). Saved in snapshots with the rest of the input.
public struct AdapterGraph: Codable, Sendable, Equatable {
    public enum AdapterKind: String, Codable, Sendable {
        case postgres, pgvector, redis
        /// Named an adapter by `adapters.adapters` globs, with no database use recognised.
        case configured
    }

    /// A port an adapter names in `implements`, and where it is declared when that was found.
    public struct PortReference: Codable, Sendable, Equatable {
        public var name: String
        /// The declaring file (relative to the source root); nil when the name resolves to nothing read.
        public var file: String?
    }

    public struct Adapter: Codable, Sendable, Equatable {
        public var name: String
        public var file: String
        public var line: Int
        public var kind: AdapterKind
        public var ports: [PortReference]
        /// The domain entity it stores: `PostgresLeadRepository` → `Lead`.
        public var entity: String
        /// Test files that import its module or name it.
        public var tests: [String]
    }

    public struct Port: Codable, Sendable, Equatable {
        public var name: String
        public var file: String
        public var line: Int
        public var entity: String
        /// Classes anywhere in the tree (adapters or not) that implement it, as `file#Class`.
        public var implementedBy: [String] = []
    }

    /// Where a fact's finding lands.
    public func location(of fact: SourceFact) -> Location {
        Location(file: displayPath(fact.file), line: fact.line)
    }

    /// `root/file`: a path the reader can open (the root as it was given).
    public func displayPath(_ file: String) -> String {
        root.isEmpty || root == "." ? file : (root.hasSuffix("/") ? root + file : root + "/" + file)
    }

    /// Something an adapter's code does that a persistence rule judges (see `SourceFacts`).
    public struct SourceFact: Codable, Sendable, Equatable {
        public enum Kind: String, Codable, Sendable {
            /// A pooled client not released in a `finally` on every path; `detail` says how.
            case clientNotReleased
            /// `BEGIN` sent with no `ROLLBACK` in a `catch`.
            case beginWithoutRollback
            /// A value concatenated or interpolated into SQL text; `detail` is the expression.
            case sqlBuiltFromValue
            /// A Redis `set` with no expiry in session, lock, token or rate-limit code; `detail` is the call.
            case redisSetWithoutExpiry
            /// Domain or application code importing infrastructure or a database driver; `detail` is the import.
            case layerViolation
            /// A port name declared in more than one file; `detail` lists the other files.
            case duplicatePort
        }

        public var kind: Kind
        public var file: String
        public var line: Int
        /// `Class.method`.
        public var symbol: String
        public var detail: String
    }

    public var root: String
    public var adapters: [Adapter] = []
    public var ports: [Port] = []
    public var testFiles: Int = 0
    public var facts: [SourceFact] = []
    /// Files not read and other limits met, with their paths.
    public var notes: [String] = []

    public init(root: String) { self.root = root }
}
