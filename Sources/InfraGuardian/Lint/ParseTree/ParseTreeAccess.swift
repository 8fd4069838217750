/// What the generated enums of `PG` share: raw values spelt as libpg_query's JSON output spells them.
public protocol ParseTreeEnum: RawRepresentable, CaseIterable, Sendable, Hashable where RawValue == String {}

/// Typed reading of the parse tree: every name a rule reads is a case of a generated enum
/// (`ParseTreeNames.swift`), so a misspelt node kind, field or enum value does not compile.
///
///     statement.node[.relation][.relname].string
///     command[.def].node(.constraint)[.contype].equals(PG.ConstrType.foreign)
///     element.nodeKind == .columnDef
extension JSONValue {
    /// The member `field` of a node's body.
    public subscript(_ field: PG.Field) -> JSONValue { self[member: field.rawValue] }

    /// The body of this node when it is a `kind` node (`{"ColumnDef": {...}}` → `{...}`), else `.missing`.
    public func node(_ kind: PG.NodeKind) -> JSONValue { self[member: kind.rawValue] }

    /// The kind of a node (`{"ColumnDef": {...}}` → `.columnDef`).
    public var nodeKind: PG.NodeKind? { nodeKindName.flatMap(PG.NodeKind.init(rawValue:)) }

    /// An enum-valued member decoded: `command[.subtype].decoded(PG.AlterTableType.self)`.
    public func decoded<Value: ParseTreeEnum>(_ type: Value.Type) -> Value? { string.flatMap(Value.init(rawValue:)) }

    /// True when this is the enum value `value` (compared without decoding a string).
    public func equals<Value: ParseTreeEnum>(_ value: Value) -> Bool { isString(value.rawValue) }
}

/// Names the proto does not carry, spelt here once (PostgreSQL's gram.y and parsenodes.h).
extension PG {
    /// `DefElem.defname` of the options the rules read (`REINDEX (CONCURRENTLY)`, `VACUUM (FULL)`).
    public enum OptionName: String, ParseTreeEnum {
        case concurrently
        case full
    }

    /// `AlterDomainStmt.subtype`: a one-letter code in parsenodes.h.
    public enum AlterDomainType: String, ParseTreeEnum {
        case setDefault = "T"
        case dropNotNull = "N"
        case setNotNull = "O"
        case addConstraint = "C"
        case dropConstraint = "X"
        case validateConstraint = "V"
    }
}

extension JSONValue {
    /// `PartitionBoundSpec.is_default` (`… DEFAULT`): the generated `Field.isDefault` is another
    /// message's `isDefault`, the two proto fields having one Swift name.
    var partitionBoundIsDefault: Bool { self[member: "is_default"].bool }

    /// A list of `DefElem` nodes (`options`, `params`) holds the option `name`.
    public func containsOption(_ name: PG.OptionName) -> Bool {
        array.contains { $0.node(.defElem)[.defname].equals(name) }
    }
}

extension PG.ObjectType {
    /// The name without `OBJECT_` (`TABLE`, `MATVIEW`, `FOREIGN_TABLE`), for messages.
    public var name: String { String(rawValue.dropFirst("OBJECT_".count)) }

    /// In words, for messages: `constraint`, `materialized view`, `foreign table`...
    public var words: String {
        switch self {
        case .tabconstraint: "constraint"
        case .domconstraint: "domain constraint"
        case .matview: "materialized view"
        default: name.lowercased().replacingOccurrences(of: "_", with: " ")
        }
    }
}
