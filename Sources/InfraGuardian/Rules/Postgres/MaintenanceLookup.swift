/// `MaintenanceStats.table(_:_:)` scans every table's maintenance facts: asked once per table of a
/// 20,000-table schema that is 400 million comparisons. Rules that ask for every table use this
/// dictionary, built once per check (the first entry wins, as `table(_:_:)` answers).
struct MaintenanceLookup {
    private struct Key: Hashable {
        let schema: String
        let name: String
    }

    private let tables: [Key: TableMaintenance]

    init(_ stats: MaintenanceStats?) {
        tables = Dictionary((stats?.tables ?? []).map { (Key(schema: $0.schema, name: $0.name), $0) }) { first, _ in first }
    }

    func table(_ schema: String, _ name: String) -> TableMaintenance? { tables[Key(schema: schema, name: name)] }
}
