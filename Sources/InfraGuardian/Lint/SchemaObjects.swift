/// A schema object a statement creates, renames or drops, named the way rules compare them: the
/// unqualified name, prefixed by its table for objects that live on a table.
///
/// Rules use it to tell an object made earlier in the same migration (nobody depends on it yet:
/// renaming or dropping it is quiet) from one that existed before, and to see a drop that the
/// same section re-creates (`DROP TRIGGER IF EXISTS t ON x; CREATE TRIGGER t …`).
public struct SchemaObject: Hashable, Sendable {
    /// Namespaces, coarse on purpose: tables, views, indexes and sequences share one in PostgreSQL.
    public enum Kind: String, Sendable {
        case relation, function, type, schema, `extension`, trigger, policy, constraint, column, database
    }

    public var kind: Kind
    /// `leads`; `leads.trg_name` for a trigger, policy, constraint or column.
    public var name: String

    public init(_ kind: Kind, _ name: String) {
        self.kind = kind
        self.name = name
    }

    /// The namespace of a `DropStmt.removeType` / `RenameStmt.renameType` without `OBJECT_`.
    static func kind(ofObjectType type: PG.ObjectType) -> Kind? {
        switch type {
        case .table, .view, .matview, .sequence, .foreignTable, .index: return .relation
        case .function, .procedure, .routine, .aggregate: return .function
        case .type, .domain: return .type
        case .schema: return .schema
        case .extension: return .extension
        case .trigger: return .trigger
        case .policy: return .policy
        case .tabconstraint: return .constraint
        case .column: return .column
        case .database: return .database
        default: return nil
        }
    }
}

extension SQLStatement {
    /// What the statement brings into existence, including the new name of a rename.
    public var createdObjects: [SchemaObject] {
        let table = targetTable ?? ""
        switch kind {
        case .createStmt, .createTableAsStmt, .createSeqStmt, .createForeignTableStmt:
            return targetTable.map { [SchemaObject(.relation, $0)] } ?? []
        case .viewStmt:
            return node[.view][.relname].string.map { [SchemaObject(.relation, $0)] } ?? []
        case .indexStmt:
            return node[.idxname].string.map { [SchemaObject(.relation, $0)] } ?? []
        case .compositeTypeStmt:
            return node[.typevar][.relname].string.map { [SchemaObject(.type, $0)] } ?? []
        case .createEnumStmt, .createRangeStmt:
            return Self.lastName(node[.typeName]).map { [SchemaObject(.type, $0)] } ?? []
        case .createDomainStmt:
            return Self.lastName(node[.domainname]).map { [SchemaObject(.type, $0)] } ?? []
        case .defineStmt:
            let kind: SchemaObject.Kind = node[.kind].equals(PG.ObjectType.aggregate) ? .function : .type
            return Self.lastName(node[.defnames]).map { [SchemaObject(kind, $0)] } ?? []
        case .createFunctionStmt:
            return Self.lastName(node[.funcname]).map { [SchemaObject(.function, $0)] } ?? []
        case .createSchemaStmt:
            return node[.schemaname].string.map { [SchemaObject(.schema, $0)] } ?? []
        case .createExtensionStmt:
            return node[.extname].string.map { [SchemaObject(.extension, $0)] } ?? []
        case .createTrigStmt:
            return node[.trigname].string.map { [SchemaObject(.trigger, "\(table).\($0)")] } ?? []
        case .createPolicyStmt:
            let on = node[.table][.relname].string ?? ""
            return node[.policyName].string.map { [SchemaObject(.policy, "\(on).\($0)")] } ?? []
        case .createdbStmt:
            return node[.dbname].string.map { [SchemaObject(.database, $0)] } ?? []
        case .alterTableStmt:
            return alterCommands.compactMap { command in
                switch command[.subtype].decoded(PG.AlterTableType.self) {
                case .addColumn:
                    return command[.def].node(.columnDef)[.colname].string.map { SchemaObject(.column, "\(table).\($0)") }
                case .addConstraint:
                    return command[.def].node(.constraint)[.conname].string.map { SchemaObject(.constraint, "\(table).\($0)") }
                default:
                    return nil
                }
            }
        case .renameStmt:
            return renamed.map { [$0.to] } ?? []
        default:
            return []
        }
    }

    /// A rename's object before and after (`RenameStmt`), when its namespace is one rules track.
    public var renamed: (from: SchemaObject, to: SchemaObject)? {
        guard kind == .renameStmt, let type = node[.renameType].decoded(PG.ObjectType.self),
              let kind = SchemaObject.kind(ofObjectType: type), let newName = node[.newname].string else { return nil }
        let table = targetTable ?? ""
        let old: String?
        switch kind {
        case .relation: old = targetTable
        case .trigger, .policy, .constraint, .column: old = node[.subname].string.map { "\(table).\($0)" }
        case .schema, .database: old = node[.subname].string
        case .function: old = Self.lastName(node[.object].node(.objectWithArgs)[.objname])
        case .type: old = Self.lastName(node[.object].node(.list)[.items]) ?? Self.lastName(node[.object].node(.typeName)[.names])
        case .extension: old = nil
        }
        guard let old else { return nil }
        let new = [.trigger, .policy, .constraint, .column].contains(kind) ? "\(table).\(newName)" : newName
        return (SchemaObject(kind, old), SchemaObject(kind, new))
    }

    /// The objects a `DROP` removes, with the name to show (qualified as written).
    public var droppedSchemaObjects: [(object: SchemaObject, display: String)] {
        guard kind == .dropStmt, let type = dropObjectType, let kind = SchemaObject.kind(ofObjectType: type) else { return [] }
        return node[.objects].array.compactMap { object in
            let parts: [String]
            if let list = Self.names(object.node(.list)[.items]), !list.isEmpty { parts = list }
            else if let function = Self.names(object.node(.objectWithArgs)[.objname]), !function.isEmpty { parts = function }
            else if let type = Self.names(object.node(.typeName)[.names]), !type.isEmpty { parts = type }
            else if let name = object.node(.string)[.sval].string { parts = [name] }
            else { return nil }
            guard let last = parts.last else { return nil }
            // Triggers, policies and rules are named `[schema.]table.name`.
            let onTable = [.trigger, .policy].contains(kind) && parts.count >= 2
            let key = onTable ? "\(parts[parts.count - 2]).\(last)" : last
            let display = onTable ? "\(last) ON \(parts.dropLast().joined(separator: "."))" : parts.joined(separator: ".")
            return (SchemaObject(kind, key), display)
        }
    }

    /// The `sval`s of a list of `String` nodes, nil when there is no such list.
    static func names(_ list: JSONValue) -> [String]? {
        guard list.isArray else { return nil }
        return list.array.compactMap { $0.node(.string)[.sval].string }
    }

    static func lastName(_ list: JSONValue) -> String? { names(list)?.last }
}

extension ParsedSection {
    /// True when a statement before position `index` created `object` (or renamed something to it).
    public func created(_ object: SchemaObject, before index: Int) -> Bool {
        statements.prefix(max(0, min(index, statements.count))).contains { $0.createdObjects.contains(object) }
    }

    /// True when a statement after position `index` creates `object` again (drop and re-create).
    public func created(_ object: SchemaObject, after index: Int) -> Bool {
        statements.dropFirst(index + 1).contains { $0.createdObjects.contains(object) }
    }
}
