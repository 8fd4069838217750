/// Which indexes another index of the same table makes unnecessary. Shared by `duplicate-index` and
/// `redundant-index` so that one index is reported by one of them only.
struct IndexOverlap {
    struct Pair {
        /// The index to drop.
        var extra: Index
        /// The index that does its job.
        var kept: Index
    }

    var duplicates: [Pair] = []
    var redundant: [Pair] = []

    init(_ pg: PostgresSnapshot) {
        let lookup = CatalogLookup(pg)
        // Only valid, finished indexes serve queries; partitions are reported through their parent.
        let candidates = pg.indexes.filter { $0.isValid && !lookup.isCoveredByParent(schema: $0.schema, table: $0.table) }
        let byTable = Dictionary(grouping: candidates) { "\($0.schema).\($0.table)" }
        for key in byTable.keys.sorted() {
            guard let indexes = byTable[key] else { continue }
            let flagged = findDuplicates(indexes, lookup)
            findRedundant(indexes.filter { index in !flagged.contains(index.name) }, lookup)
        }
    }

    /// Same method, key, operator classes, predicate, INCLUDE list and NULLS treatment: one is enough.
    private mutating func findDuplicates(_ indexes: [Index], _ pg: CatalogLookup) -> Set<String> {
        var flagged: Set<String> = []
        // The full signature searches the definition text; only indexes that share a cheap shape can
        // share it, so the others (almost all) skip that search.
        let shapes = Dictionary(grouping: indexes, by: Self.shape).values.filter { $0.count > 1 }
        let groups = Dictionary(grouping: shapes.joined(), by: Self.signature)
        for signature in groups.keys.sorted() {
            guard let group = groups[signature], group.count > 1 else { continue }
            let ordered = group.sorted { Self.keepRank($0, pg) < Self.keepRank($1, pg) }
            guard let kept = ordered.first else { continue }
            for extra in ordered.dropFirst() where Self.droppable(extra, pg) && (!extra.isUnique || kept.isUnique) {
                duplicates.append(Pair(extra: extra, kept: kept))
                flagged.insert(extra.name)
            }
        }
        return flagged
    }

    /// A plain btree whose key is a strict leading part of another btree with the same predicate.
    private mutating func findRedundant(_ indexes: [Index], _ pg: CatalogLookup) {
        let btrees = indexes.filter { $0.method == "btree" }.sorted { $0.name < $1.name }
        for extra in btrees where Self.droppable(extra, pg) && !extra.isUnique {
            let covering = btrees.filter { other in
                other.name != extra.name && other.predicate == extra.predicate
                    && other.columns.count > extra.columns.count
                    && Array(other.columns.prefix(extra.columns.count)) == extra.columns
                    && Self.prefixClasses(other, extra.columns.count) == Self.prefixClasses(extra, extra.columns.count)
                    && Self.sameOrder(extra, prefixOf: other)
            }
            // The shortest covering index is the one a reader will recognise.
            guard let kept = covering.min(by: { ($0.columns.count, $0.name) < ($1.columns.count, $1.name) }),
                  IndexDefinition.includeClause(extra.definition).isEmpty else { continue }
            redundant.append(Pair(extra: extra, kept: kept))
        }
    }

    /// The part of `signature` read from fields, not from the definition text.
    private static func shape(_ index: Index) -> [String] {
        [index.method, index.columns.joined(separator: ","), index.operatorClasses.joined(separator: ","), index.predicate ?? ""]
    }

    /// The key's own text counts too: collations and `DESC`/`NULLS` order, which the column names
    /// and operator classes do not carry (a btree read backwards serves the reversed order).
    private static func signature(_ index: Index) -> String {
        [index.method, index.columns.joined(separator: ","), index.operatorClasses.joined(separator: ","),
         IndexKey.of(index).normalizedColumns().map(\.text).joined(separator: ","),
         index.predicate ?? "", IndexDefinition.includeClause(index.definition),
         index.definition.contains(" NULLS NOT DISTINCT") ? "nnd" : ""].joined(separator: "\u{1F}")
    }

    /// Keep the primary key first, then a constraint's index, then a unique one, then the first by name.
    private static func keepRank(_ index: Index, _ pg: CatalogLookup) -> (Int, String) {
        let rank = index.isPrimary ? 0 : pg.backsConstraint(index) ? 1 : index.isUnique ? 2 : 3
        return (rank, index.name)
    }

    /// Key and constraint indexes are never proposed for dropping.
    private static func droppable(_ index: Index, _ pg: CatalogLookup) -> Bool {
        !index.isPrimary && !pg.backsConstraint(index)
    }

    /// The shorter index's key columns, collations and order are the longer one's leading ones (in
    /// the same or the reversed scan direction).
    private static func sameOrder(_ extra: Index, prefixOf other: Index) -> Bool {
        let count = extra.columns.count
        return IndexKey.of(extra).normalizedColumns(count) == IndexKey.of(other).normalizedColumns(count)
    }

    private static func prefixClasses(_ index: Index, _ count: Int) -> [String] {
        Array(index.operatorClasses.prefix(count))
    }
}

extension IndexOverlap.Pair {
    func dropFix(_ pg: PostgresSnapshot) -> String {
        """
        In a migration with `-- migrate:up transaction:false`: \
        DROP INDEX CONCURRENTLY IF EXISTS \(pg.sqlName(extra.schema, extra.name)); \
        down section: \(IndexDefinition.concurrently(extra.definition));
        """
    }
}
