/// Builds an `AppliedSchema`: the up sections' DDL applied in order (data statements skipped).
struct SchemaWalk {
    private var schema = AppliedSchema()
    private var tables: [String: ReplayedTable] = [:]
    /// View or materialized view → the relations its query reads.
    private var views: [String: (reads: Set<String>, materialized: Bool)] = [:]
    /// Unique index → its key, for `ADD CONSTRAINT … USING INDEX` and `DROP INDEX`.
    private var uniqueIndexes: [String: (table: String, key: UniqueKey)] = [:]
    /// Table → the tables that have (or had) a foreign key to it: renames and drops update those
    /// tables' keys without visiting every table. A superset: entries are checked when read.
    private var referencedBy: [String: Set<String>] = [:]
    private var facts = SchemaFacts()
    private var emptyStart = StartsFromEmpty()

    mutating func walk(_ file: FileAnalysis, offset: Int) {
        let statements = file.up?.statements ?? []
        let failed = (file.up?.syntaxErrors ?? []).sorted { $0.line < $1.line }
        var failedSeen = 0
        let isFirst = emptyStart.beginFile(createsTable: statements.contains { $0.kind == .createStmt })
        for statement in statements {
            let step = ApplyStep(file, statement)
            while failedSeen < failed.count, failed[failedSeen].line < statement.line {
                if let text = failed[failedSeen].statementText { applyUnparsed(text, at: step) }
                failedSeen += 1
            }
            guard SQLStatement.keepsTree(statement.kind) else { continue }
            emptyStart.observe(statement, relations: schema.relations, step: step, isFirstFile: isFirst)
            record(statement, position: offset + statement.index)
            apply(statement, step: step, position: offset + statement.index)
            facts.apply(statement)
        }
        for problem in failed[failedSeen...] {
            if let text = problem.statementText { applyUnparsed(text, at: ApplyStep(file: file.position, index: statements.count)) }
        }
    }

    mutating func finish() -> AppliedSchema {
        schema.finalTables = tables
        schema.startsFromEmptyDatabase = emptyStart.holds(schema.relations)
        return schema
    }

    private mutating func applyUnparsed(_ text: String, at step: ApplyStep) {
        schema.opaqueSQL += text.lowercased() + "\n"
        if let created = FailedCreate(text), !created.isIndex { schema.relations.begin(created.name, at: step) }
    }

    // MARK: What rules read about the state just before a statement

    private mutating func record(_ statement: SQLStatement, position: Int) {
        switch statement.kind {
        case .indexStmt:
            guard let table = statement.targetTable else { return }
            var types: [String: ColumnType] = [:]
            for element in Array(statement.node[.indexParams].array) + Array(statement.node[.indexIncludingParams].array) {
                guard let column = element.node(.indexElem)[.name].string, let type = facts.type(of: column, in: table) else { continue }
                types[column] = type
            }
            if !types.isEmpty { schema.indexColumnTypes[position] = types }
        case .dropStmt:
            guard let drop = statement.drop, drop.cascades,
                  [.table, .view, .matview, .foreignTable].contains(drop.objectType) else { return }
            let dependents = dependents(of: Set(statement.droppedObjects.map(SQLStatement.unqualified)))
            if !dependents.isEmpty { schema.cascadeDependents[position] = dependents }
        default:
            break
        }
    }

    /// What `DROP … CASCADE` of `dropped` also removes: foreign keys of other tables, and views
    /// reading them (and views reading those).
    private func dependents(of dropped: Set<String>) -> [String] {
        var found: [String] = []
        for name in Set(dropped.flatMap { referencedBy[$0] ?? [] }).sorted() where !dropped.contains(name) {
            for key in tables[name]?.foreignKeys ?? [] where dropped.contains(key.target) {
                found.append("the foreign key of \(name).\(key.columns.joined(separator: ", ")) (\(key.name))")
            }
        }
        var gone = dropped
        var changed = true
        var viewsFound: [String] = []
        while changed {
            changed = false
            for name in views.keys.sorted() where !gone.contains(name) {
                guard let view = views[name], !view.reads.isDisjoint(with: gone) else { continue }
                gone.insert(name)
                viewsFound.append("the \(view.materialized ? "materialized view" : "view") \(name)")
                changed = true
            }
        }
        return found + viewsFound
    }

    // MARK: Applying a statement

    private mutating func apply(_ statement: SQLStatement, step: ApplyStep, position: Int) {
        let node = statement.node
        switch statement.kind {
        case .createStmt:
            guard let name = statement.targetTable,
                  !(node[.ifNotExists].bool && schema.relations.exists(name, before: step)) else { return }
            create(name, node: node, step: step, position: position)
        case .createTableAsStmt:
            guard let name = statement.targetTable else { return }
            schema.relations.begin(name, at: step)
            if node[.objtype].equals(PG.ObjectType.matview) {
                views[name] = (Self.relationsRead(node[.query]), true)
            } else {
                var table = ReplayedTable(position: position)
                table.keys.complete = false
                setTable(name, table, at: step)
            }
        case .viewStmt:
            guard let name = node[.view][.relname].string else { return }
            schema.relations.begin(name, at: step)
            views[name] = (Self.relationsRead(node[.query]), false)
        case .indexStmt:
            addUniqueIndex(statement, step: step)
        case .alterTableStmt:
            guard let name = statement.targetTable, tables[name] != nil else { return }
            for command in statement.alterTable?.commands ?? [] { alter(name, command, step: step, position: position) }
            if let table = tables[name] { setTable(name, table, at: step) }
        case .renameStmt:
            rename(node, step: step)
        case .dropStmt:
            drop(statement, step: step)
        case .createExtensionStmt:
            guard let name = node[.extname].string else { return }
            schema.extensionSteps[name, default: []].append(step)
            // CASCADE installs what it requires: the PostGIS family needs postgis, earthdistance needs cube.
            if node[.options].array.contains(where: { $0.node(.defElem)[.defname].isString("cascade") }) {
                if name.hasPrefix("postgis_") { schema.extensionSteps["postgis", default: []].append(step) }
                if name == "earthdistance" { schema.extensionSteps["cube", default: []].append(step) }
            }
        case .compositeTypeStmt, .createEnumStmt, .createRangeStmt, .createDomainStmt, .defineStmt:
            for object in statement.createdObjects where object.kind == .type { schema.typesCreated.insert(object.name) }
        case .doStmt, .createFunctionStmt:
            schema.opaqueSQL += statement.text.lowercased() + "\n"
        default:
            break
        }
    }

    private mutating func setTable(_ name: String, _ table: ReplayedTable?, at step: ApplyStep) {
        store(name, table)
        schema.keyHistory[name, default: []].append((step, table?.keys))
    }

    private mutating func create(_ name: String, node: JSONValue, step: ApplyStep, position: Int) {
        schema.relations.begin(name, at: step)
        var table = ReplayedTable(position: position)
        table.partitionStrategy = node[.partspec].exists ? node[.partspec][.strategy].string : nil
        if !node[.inhRelations].array.isEmpty { table.keys.complete = false }
        for element in node[.tableElts].array {
            if element.node(.tableLikeClause).exists { table.keys.complete = false }
            let column = element.node(.columnDef)
            if let columnName = column[.colname].string {
                for constraint in column[.constraints].array {
                    add(ConstraintNode(body: constraint.node(.constraint)), columns: [columnName], to: &table, table: name)
                }
            }
            let constraint = element.node(.constraint)
            if constraint.exists { add(ConstraintNode(body: constraint), columns: nil, to: &table, table: name) }
        }
        if node[.partbound].exists, let parent = node[.inhRelations][0].node(.rangeVar)[.relname].string {
            table.parent = parent
            tables[parent]?.partitions.append(ReplayedPartition(name: name, upper: Self.upperBound(node[.partbound]), position: position))
        }
        setTable(name, table, at: step)
    }

    /// A column or table constraint: `columns` is the column for a column constraint.
    private func add(_ constraint: ConstraintNode, columns: [String]?, to table: inout ReplayedTable, table name: String) {
        let body = constraint.body
        switch constraint.type {
        case .primary, .unique:
            let keys = columns ?? SQLStatement.names(body[.keys]) ?? []
            if !keys.isEmpty { table.keys.keys.append(UniqueKey(columns: Set(keys), partial: false, name: constraint.name)) }
        case .exclusion:
            table.keys.hasExclusion = true
        case .foreign:
            let keys = columns ?? SQLStatement.names(body[.fkAttrs]) ?? []
            guard let target = body[.pktable][.relname].string, !keys.isEmpty else { return }
            table.foreignKeys.append(ReplayedForeignKey(name: constraint.name ?? "\(name)_\(keys.joined(separator: "_"))_fkey",
                                                        columns: keys, target: target))
        default:
            break
        }
    }

    private mutating func addUniqueIndex(_ statement: SQLStatement, step: ApplyStep) {
        guard let index = statement.createIndex, index.isUnique, let table = statement.targetTable, tables[table] != nil else { return }
        let elements = statement.node[.indexParams].array
        let columns = elements.compactMap { $0.node(.indexElem)[.name].string }
        guard columns.count == elements.count, !columns.isEmpty else { return }  // expression keys: not for plain inference
        let key = UniqueKey(columns: Set(columns), partial: statement.node[.whereClause].exists, name: index.name)
        if let name = index.name { uniqueIndexes[name] = (table, key) }
        tables[table]?.keys.keys.append(key)
        setTable(table, tables[table], at: step)
    }

    private mutating func alter(_ name: String, _ command: AlterTableCommand, step: ApplyStep, position: Int) {
        guard var table = tables[name] else { return }
        switch command.subtype {
        case .addColumn:
            if let column = command.column[.colname].string {
                for constraint in command.column[.constraints].array {
                    add(ConstraintNode(body: constraint.node(.constraint)), columns: [column], to: &table, table: name)
                }
            }
        case .addConstraint:
            if let index = command.constraint.body[.indexname].string {
                if let known = uniqueIndexes[index] { table.keys.keys.append(UniqueKey(columns: known.key.columns, partial: false, name: command.constraint.name)) }
            } else {
                add(command.constraint, columns: nil, to: &table, table: name)
            }
        case .dropConstraint:
            guard let constraint = command.name else { break }
            table.keys.keys.removeAll { $0.name == constraint }
            let before = table.foreignKeys.count
            table.foreignKeys.removeAll { $0.name == constraint }
            // A generated name the replay spelt differently: forget the table's foreign keys rather
            // than name one that is gone.
            if before == table.foreignKeys.count, constraint.hasSuffix("_fkey") || constraint.contains("fk") { table.foreignKeys = [] }
        case .dropColumn:
            guard let column = command.name else { break }
            table.keys.keys.removeAll { $0.columns.contains(column) }
            table.foreignKeys.removeAll { $0.columns.contains(column) }
        case .attachPartition:
            let partition = command.body[.def].node(.partitionCmd)
            if let child = partition[.name][.relname].string {
                table.partitions.append(ReplayedPartition(name: child, upper: Self.upperBound(partition[.bound]), position: position))
                tables[child]?.parent = name
            }
        case .detachPartition:
            if let child = command.body[.def].node(.partitionCmd)[.name][.relname].string {
                table.partitions.removeAll { $0.name == child }
                tables[child]?.parent = nil
            }
        default:
            break
        }
        store(name, table)
    }

    private mutating func store(_ name: String, _ table: ReplayedTable?) {
        tables[name] = table
        for key in table?.foreignKeys ?? [] { referencedBy[key.target, default: []].insert(name) }
    }

    private mutating func rename(_ node: JSONValue, step: ApplyStep) {
        guard let new = node[.newname].string else { return }
        let relation = node[.relation][.relname].string
        switch node[.renameType].decoded(PG.ObjectType.self) {
        case .table, .view, .matview, .foreignTable:
            guard let old = relation else { return }
            schema.relations.end(old, at: step)
            schema.relations.begin(new, at: step)
            if let view = views.removeValue(forKey: old) { views[new] = view }
            if let table = tables[old] {
                setTable(old, nil, at: step)
                setTable(new, table, at: step)
                if let parent = table.parent, let index = tables[parent]?.partitions.firstIndex(where: { $0.name == old }) {
                    tables[parent]?.partitions[index].name = new
                }
                for child in table.partitions.map(\.name) { tables[child]?.parent = new }
            }
            // Foreign keys and views follow the relation, not its name.
            for name in referencedBy.removeValue(forKey: old) ?? [] {
                for index in tables[name]?.foreignKeys.indices ?? 0..<0 where tables[name]?.foreignKeys[index].target == old {
                    tables[name]?.foreignKeys[index].target = new
                    referencedBy[new, default: []].insert(name)
                }
            }
            for name in Array(views.keys) where views[name]?.reads.contains(old) == true {
                views[name]?.reads.remove(old)
                views[name]?.reads.insert(new)
            }
        case .column:
            guard let table = relation, let old = node[.subname].string, var state = tables[table] else { return }
            for index in state.keys.keys.indices where state.keys.keys[index].columns.contains(old) {
                state.keys.keys[index].columns.remove(old)
                state.keys.keys[index].columns.insert(new)
            }
            for index in state.foreignKeys.indices {
                state.foreignKeys[index].columns = state.foreignKeys[index].columns.map { $0 == old ? new : $0 }
            }
            setTable(table, state, at: step)
        case .index:
            guard let old = relation, let known = uniqueIndexes.removeValue(forKey: old) else { return }
            var key = known.key
            key.name = new
            uniqueIndexes[new] = (known.table, key)
            if var state = tables[known.table], let index = state.keys.keys.firstIndex(where: { $0.name == old }) {
                state.keys.keys[index].name = new
                setTable(known.table, state, at: step)
            }
        case .tabconstraint:
            guard let table = relation, let old = node[.subname].string, var state = tables[table] else { return }
            for index in state.keys.keys.indices where state.keys.keys[index].name == old { state.keys.keys[index].name = new }
            for index in state.foreignKeys.indices where state.foreignKeys[index].name == old { state.foreignKeys[index].name = new }
            setTable(table, state, at: step)
        default:
            break
        }
    }

    private mutating func drop(_ statement: SQLStatement, step: ApplyStep) {
        guard let drop = statement.drop else { return }
        let names = Set(statement.droppedObjects.map(SQLStatement.unqualified))
        switch drop.objectType {
        case .table, .view, .matview, .foreignTable:
            var gone = names
            // Partitions go with their parent; with CASCADE, views reading what is dropped go too.
            for name in names { gone.formUnion(tables[name]?.partitions.map(\.name) ?? []) }
            if drop.cascades {
                var changed = true
                while changed {
                    changed = false
                    for (name, view) in views where !gone.contains(name) && !view.reads.isDisjoint(with: gone) {
                        gone.insert(name)
                        changed = true
                    }
                }
            }
            for name in gone.sorted() {
                schema.relations.end(name, at: step)
                views[name] = nil
                if let table = tables[name] {
                    if let parent = table.parent { tables[parent]?.partitions.removeAll { $0.name == name } }
                    setTable(name, nil, at: step)
                }
            }
            for name in Set(gone.flatMap { referencedBy.removeValue(forKey: $0) ?? [] }) {
                tables[name]?.foreignKeys.removeAll { gone.contains($0.target) }
            }
        case .index:
            for name in names {
                guard let known = uniqueIndexes.removeValue(forKey: name), var state = tables[known.table] else { continue }
                state.keys.keys.removeAll { $0.name == name }
                setTable(known.table, state, at: step)
            }
        default:
            break
        }
    }

    // MARK: Reading parse trees

    /// Every relation a query's `FROM` lists (subqueries and joins included).
    static func relationsRead(_ query: JSONValue) -> Set<String> {
        Set(query.descendants(named: .rangeVar).compactMap { $0[.relname].string })
    }

    /// The single upper bound of a range partition; nil for DEFAULT.
    static func upperBound(_ bound: JSONValue) -> PartitionUpperBound? {
        if bound.partitionBoundIsDefault { return nil }
        guard bound[.strategy].isString("r") else { return .unreadable }
        let datums = Array(bound[.upperdatums].array)
        guard datums.count == 1, let datum = datums.first else { return .unreadable }
        if datum.node(.columnRef)[.fields][0].node(.string)[.sval].isString("maxvalue") { return .maxValue }
        let constant = datum.node(.aConst).exists ? datum.node(.aConst) : datum.node(.typeCast)[.arg].node(.aConst)
        guard let text = constant[.sval][.sval].string else { return .unreadable }
        return .date(text)
    }
}

/// Whether the folder plausibly builds its database from empty: it creates tables, every foreign key
/// of the first file creating tables names a table some migration creates, and no DDL in any file
/// works on a table the migrations did not create before it (Supabase-managed schemas aside).
/// Anything else (a folder started on an existing database, tables made in DO blocks) means what the
/// migrations do not create may still exist, and rules about missing objects stay silent.
struct StartsFromEmpty {
    private var tableFilesSeen = 0
    private var unresolved = false
    /// What the first file's foreign keys reference: each must be created by some migration.
    private var firstFileTargets: Set<String> = []

    func holds(_ relations: RelationLifetimes) -> Bool {
        tableFilesSeen > 0 && !unresolved && firstFileTargets.allSatisfy(relations.everCreated)
    }

    /// True for the first file that creates tables (files before it create extensions, types…).
    mutating func beginFile(createsTable: Bool) -> Bool {
        guard createsTable else { return false }
        tableFilesSeen += 1
        return tableFilesSeen == 1
    }

    mutating func observe(_ statement: SQLStatement, relations: RelationLifetimes, step: ApplyStep, isFirstFile: Bool) {
        let node = statement.node
        if isFirstFile {
            for target in ForeignKeyTargets.of(statement) where !AppliedSchema.isManagedSchema(target.schema) {
                firstFileTargets.insert(target.name)
            }
        }
        switch statement.kind {
        case .alterTableStmt where node[.missingOk].bool:
            break
        case .alterTableStmt, .indexStmt, .createTrigStmt, .renameStmt:
            guard let name = node[.relation][.relname].string else { return }
            if AppliedSchema.isManagedSchema(node[.relation][.schemaname].string) { return }
            if !relations.exists(name, before: step) { unresolved = true }
        default:
            break
        }
    }
}

/// The tables a statement's `REFERENCES` name (column and table constraints of CREATE TABLE,
/// ADD COLUMN and ADD CONSTRAINT).
enum ForeignKeyTargets {
    struct Target {
        var name: String
        var schema: String?
    }

    static func of(_ statement: SQLStatement) -> [Target] {
        var constraints: [JSONValue] = []
        switch statement.kind {
        case .createStmt:
            for element in statement.node[.tableElts].array {
                constraints.append(element.node(.constraint))
                constraints += element.node(.columnDef)[.constraints].array.map { $0.node(.constraint) }
            }
        case .alterTableStmt:
            for command in statement.alterTable?.commands ?? [] {
                switch command.subtype {
                case .addConstraint: constraints.append(command.constraint.body)
                case .addColumn: constraints += command.column[.constraints].array.map { $0.node(.constraint) }
                default: break
                }
            }
        default:
            return []
        }
        return constraints.compactMap { constraint in
            guard constraint[.contype].equals(PG.ConstrType.foreign), let name = constraint[.pktable][.relname].string else { return nil }
            return Target(name: name, schema: constraint[.pktable][.schemaname].string)
        }
    }
}
