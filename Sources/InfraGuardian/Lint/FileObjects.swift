/// The relations (tables, partitions, views, materialized views) and indexes an up section has
/// created so far: nobody else uses them yet, so locks on them contend with nobody and they hold no
/// rows. Followed through renames (`ALTER TABLE t RENAME TO t_old` frees the name `t`; a new table
/// renamed keeps being new) and drops, and through statements that failed to parse: a name a failed
/// `CREATE` introduces is not taken for a pre-existing object.
struct FileObjects: Sendable {
    private(set) var relations: Set<String> = []
    private(set) var indexes: Set<String> = []
    /// Every table the section created, under each name it had (`FileAnalysis.tablesCreatedHere`).
    private(set) var tablesEverCreated: Set<String> = []

    func isNew(_ relation: String) -> Bool { relations.contains(relation) }
    func isNewIndex(_ index: String) -> Bool { indexes.contains(index) }

    mutating func apply(kind: PG.NodeKind, node: JSONValue) {
        switch kind {
        case .createStmt, .createTableAsStmt:
            guard let name = SectionParser.createdTable(kind: kind, node: node) else { return }
            relations.insert(name)
            tablesEverCreated.insert(name)
        case .viewStmt:
            if let name = node[.view][.relname].string { relations.insert(name) }
        case .indexStmt:
            if let name = node[.idxname].string { indexes.insert(name) }
        case .renameStmt:
            rename(node)
        case .dropStmt:
            drop(node)
        default:
            break
        }
    }

    private mutating func rename(_ node: JSONValue) {
        guard let new = node[.newname].string else { return }
        switch node[.renameType].decoded(PG.ObjectType.self) {
        case .table, .view, .matview, .foreignTable:
            guard let old = node[.relation][.relname].string else { return }
            if relations.remove(old) != nil {
                relations.insert(new)
                if tablesEverCreated.contains(old) { tablesEverCreated.insert(new) }
            }
        case .index:
            guard let old = node[.relation][.relname].string else { return }
            if indexes.remove(old) != nil { indexes.insert(new) }
        default:
            break
        }
    }

    /// A `DROP` (its node) names only tables, views or indexes created earlier in the section.
    func createdAll(droppedBy node: JSONValue) -> Bool {
        let names = Self.droppedNames(node)
        guard !names.isEmpty else { return false }
        switch node[.removeType].decoded(PG.ObjectType.self) {
        case .table, .view, .matview, .foreignTable: return names.allSatisfy(relations.contains)
        case .index: return names.allSatisfy(indexes.contains)
        default: return false
        }
    }

    private static func droppedNames(_ node: JSONValue) -> [String] {
        node[.objects].array.compactMap { object in
            object.node(.list)[.items].array.compactMap { $0.node(.string)[.sval].string }.last
        }
    }

    private mutating func drop(_ node: JSONValue) {
        let names = Self.droppedNames(node)
        switch node[.removeType].decoded(PG.ObjectType.self) {
        case .table, .view, .matview, .foreignTable:
            for name in names { relations.remove(name) }
        case .index:
            for name in names { indexes.remove(name) }
        default:
            break
        }
    }

    /// A statement that did not parse: the name its `CREATE TABLE|VIEW|MATERIALIZED VIEW|INDEX`
    /// introduces, read from its tokens, counts as created (PostgreSQL would have failed on it, but the
    /// statements after it were written for the object it meant to make).
    mutating func applyUnparsed(_ text: String) {
        guard let created = FailedCreate(text) else { return }
        if created.isIndex { indexes.insert(created.name) } else { relations.insert(created.name) }
    }
}

/// The object a `CREATE` statement that failed to parse meant to create, from its leading words.
struct FailedCreate: Equatable {
    var name: String
    var isIndex: Bool

    init?(_ text: String) {
        var words = Self.words(text)[...]
        guard words.popFirst() == "create" else { return nil }
        if words.first == "or", words.dropFirst().first == "replace" { words = words.dropFirst(2) }
        while let word = words.first, ["unlogged", "temp", "temporary", "global", "local", "unique", "recursive"].contains(word) {
            words = words.dropFirst()
        }
        switch words.popFirst() {
        case "table", "view": isIndex = false
        case "materialized" where words.first == "view": words = words.dropFirst(); isIndex = false
        case "index":
            isIndex = true
            if words.first == "concurrently" { words = words.dropFirst() }
        default: return nil
        }
        if words.first == "if", words.dropFirst().first == "not", words.dropFirst(2).first == "exists" { words = words.dropFirst(3) }
        guard let qualified = words.first, qualified != "on", qualified != "(" else { return nil }
        guard let last = qualified.split(separator: ".").last, !last.isEmpty else { return nil }
        name = String(last)
    }

    /// Words in order: identifiers lowercased unless quoted (quotes dropped), a dotted name kept
    /// whole, punctuation split off.
    private static func words(_ text: String) -> [String] {
        var words: [String] = [], current = "", quoted = false, wasQuoted = false
        func flush() {
            if !current.isEmpty { words.append(current) }
            current = ""
            wasQuoted = false
        }
        for character in text.prefix(400) {
            if quoted {
                if character == "\"" { quoted = false } else { current.append(character) }
                continue
            }
            switch character {
            case "\"": quoted = true; wasQuoted = true
            case ".": current.append(".")
            case "(", ")", ",", ";": flush(); words.append(String(character))
            case _ where character.isWhitespace: flush()
            default: current += wasQuoted ? String(character) : character.lowercased()
            }
        }
        flush()
        return words
    }
}
