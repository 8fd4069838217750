/// A column's type as the parse tree spells it: `varchar(20)` → name `varchar`, modifiers `[20]`.
struct ColumnType: Equatable, Sendable {
    var name: String
    /// Constant type modifiers (`numeric(10,2)` → `[10, 2]`); empty when unconstrained.
    var modifiers: [Int]
    var isArray: Bool

    init(name: String, modifiers: [Int] = [], isArray: Bool = false) {
        self.name = name
        self.modifiers = modifiers
        self.isArray = isArray
    }

    /// From a `TypeName` body; nil when there is none.
    init?(_ typeName: JSONValue) {
        guard let name = typeName[.names].array.last?.node(.string)[.sval].string else { return nil }
        self.name = name
        // libpg_query omits zero values: `{"ival": {}}` is 0.
        modifiers = typeName[.typmods].array.compactMap { modifier -> Int? in
            let constant = modifier.node(.aConst)[.ival]
            return constant.exists ? constant[.ival].int ?? 0 : nil
        }
        isArray = !typeName[.arrayBounds].array.isEmpty
    }

    var sql: String {
        let base = modifiers.isEmpty ? name : "\(name)(\(modifiers.map(String.init).joined(separator: ",")))"
        return isArray ? base + "[]" : base
    }

    /// Types whose modifier is a length or precision limit that can be raised without a rewrite.
    private static let widenable: Set<String> = ["varchar", "varbit", "timestamp", "timestamptz", "time", "timetz"]

    /// True when PostgreSQL changes the type without rewriting the table or scanning it: the new
    /// type is binary-coercible and accepts every old value (PostgreSQL 9.2+ skips the rewrite).
    /// timestamp → timestamptz skips it only when the session TimeZone is UTC: not assumed here.
    func changesWithoutRewrite(to new: ColumnType) -> Bool {
        guard isArray == new.isArray else { return false }
        if self == new { return true }
        switch (name, new.name) {
        case ("varchar", "text"), ("cidr", "inet"):
            return true
        case ("text", "varchar"):
            return new.modifiers.isEmpty
        case ("numeric", "numeric"):
            guard let oldPrecision = modifiers.first else { return new.modifiers.isEmpty }
            guard let newPrecision = new.modifiers.first else { return true }
            // Same scale (0 when omitted) and no lower precision: every stored value still fits as is.
            let oldScale = modifiers.count > 1 ? modifiers[1] : 0
            let newScale = new.modifiers.count > 1 ? new.modifiers[1] : 0
            return oldScale == newScale && newPrecision >= oldPrecision
        case let (old, target) where old == target && Self.widenable.contains(old):
            guard let newLimit = new.modifiers.first else { return true }
            guard let oldLimit = modifiers.first else { return false }
            return newLimit >= oldLimit
        default:
            return false
        }
    }
}
