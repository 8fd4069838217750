import Testing
@testable import InfraGuardian

/// Index messages show the key PostgreSQL prints; duplicates and redundant indexes compare its order.
@Suite struct IndexKeyTests {
    static func index(_ name: String, _ key: String, unique: Bool = false, predicate: String? = nil,
                      columns: [String], classes: [String]) -> Index {
        let definition = "CREATE \(unique ? "UNIQUE " : "")INDEX \(name) ON public.events USING btree (\(key))"
            + (predicate.map { " WHERE \($0)" } ?? "")
        return Index(table: "events", name: name, definition: definition, isUnique: unique, columns: columns,
                     operatorClasses: classes, predicate: predicate)
    }

    static func snapshot(_ indexes: [Index]) -> AuditInput {
        AuditInput(postgres: Collected(target: "postgres://example",
                                       value: PostgresSnapshot(tables: [Table(name: "events")], indexes: indexes)))
    }

    @Test func keysAreReadFromTheDefinition() throws {
        let key = try #require(IndexKey(definition: """
            CREATE INDEX "odd USING name" ON public."we(ird" USING btree (lower((email)::text) text_pattern_ops DESC NULLS LAST, \
            created_at NULLS FIRST, "Name" COLLATE "C", coalesce(a, ',')) INCLUDE (b) WHERE (status = 'a, b)')
            """))
        #expect(key.method == "btree")
        #expect(key.columns.map(\.text) == ["lower((email)::text) text_pattern_ops DESC NULLS LAST", "created_at NULLS FIRST",
                                             "\"Name\" COLLATE \"C\"", "coalesce(a, ',')"])
        #expect(key.columns[0].descending && !key.columns[0].nullsFirst)
        #expect(!key.columns[1].descending && key.columns[1].nullsFirst)
        #expect(key.tail == " INCLUDE (b) WHERE (status = 'a, b)')")
        #expect(IndexKey(definition: "") == nil)
        // DESC alone implies NULLS FIRST and prints as PostgreSQL prints it.
        #expect(IndexKey.Column("a DESC").text == "a DESC")
        #expect(IndexKey.Column("a DESC").reversed.text == "a")
        #expect(IndexKey.Column("a NULLS FIRST").reversed.text == "a DESC NULLS LAST")
    }

    @Test func duplicateMessagesShowOrderOperatorClassAndPredicate() throws {
        let first = Self.index("idx_a", "lower(email) text_pattern_ops DESC", predicate: "(deleted_at IS NULL)",
                               columns: ["lower(email)"], classes: ["text_pattern_ops"])
        var second = first
        second.name = "idx_b"
        second.definition = second.definition.replacingOccurrences(of: "idx_a", with: "idx_b")
        let findings = DuplicateIndex().check(Self.snapshot([first, second]), RuleContext())
        let message = try #require(findings.first?.message)
        #expect(findings.count == 1)
        #expect(message.contains("btree (lower(email) text_pattern_ops DESC) WHERE (deleted_at IS NULL)"), "\(message)")
        #expect(findings.first?.category == .redundantIndex)
        #expect(findings.first?.category.title == "Redundant index")
    }

    @Test func differentOrderIsNotADuplicate() {
        let plain = Self.index("idx_plain", "account_id, created_at", columns: ["account_id", "created_at"],
                               classes: ["uuid_ops", "timestamptz_ops"])
        let mixed = Self.index("idx_mixed", "account_id, created_at DESC", columns: ["account_id", "created_at"],
                               classes: ["uuid_ops", "timestamptz_ops"])
        #expect(DuplicateIndex().check(Self.snapshot([plain, mixed]), RuleContext()).isEmpty)
        // Both columns reversed: a backward scan of one serves the other.
        let reversed = Self.index("idx_reversed", "account_id DESC, created_at DESC", columns: ["account_id", "created_at"],
                                  classes: ["uuid_ops", "timestamptz_ops"])
        let findings = DuplicateIndex().check(Self.snapshot([plain, reversed]), RuleContext())
        #expect(findings.map(\.location.object) == ["public.events.idx_reversed"])
        #expect(findings.first?.message.contains("(btree (account_id DESC, created_at DESC))") == true)
    }

    @Test func redundantNeedsTheSameLeadingOrder() {
        let long = Self.index("idx_long", "account_id, created_at DESC", columns: ["account_id", "created_at"],
                              classes: ["uuid_ops", "timestamptz_ops"])
        let short = Self.index("idx_short", "account_id DESC", columns: ["account_id"], classes: ["uuid_ops"])
        let findings = RedundantIndex().check(Self.snapshot([long, short]), RuleContext())
        #expect(findings.map(\.location.object) == ["public.events.idx_short"])
        #expect(findings.first?.message == "Index public.events.idx_short (btree (account_id DESC)) is covered by idx_long (btree (account_id, created_at DESC)).")
        let collated = Self.index("idx_collated", "account_id COLLATE \"C\"", columns: ["account_id"], classes: ["uuid_ops"])
        #expect(RedundantIndex().check(Self.snapshot([long, collated]), RuleContext()).isEmpty)
    }

    @Test func unusedAndInvalidMessagesShowTheKey() {
        var unused = Self.index("idx_u", "(payload ->> 'kind'::text)", predicate: "(kind IS NOT NULL)",
                                columns: ["(payload ->> 'kind'::text)"], classes: ["text_ops"])
        unused.sizeBytes = 64 << 20
        let message = UnusedIndex().check(Self.snapshot([unused]), RuleContext()).first?.message ?? ""
        #expect(message.contains("(btree ((payload ->> 'kind'::text)) WHERE (kind IS NOT NULL), 64MB)"), "\(message)")
        var invalid = Self.index("idx_i", "a DESC NULLS LAST", columns: ["a"], classes: ["int4_ops"])
        invalid.isValid = false
        let invalidMessage = InvalidIndex().check(Self.snapshot([invalid]), RuleContext()).first?.message ?? ""
        #expect(invalidMessage.hasPrefix("Index public.events.idx_i (btree (a DESC NULLS LAST)) is invalid"), "\(invalidMessage)")
    }
}
