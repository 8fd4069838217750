import Foundation
import Testing
@testable import InfraGuardian

/// Statements that fail when applied, seen from the replayed migrations (issue 11, item 6): each
/// rule's findings and its pinned silences.
@Suite struct LintApplyFailureTests {
    private func file(_ name: String, _ sql: String) -> MigrationFile {
        Lint.dbmate("-- migrate:up\n\(sql)\n-- migrate:down\nSELECT 1;\n", name: name)
    }

    private func up(_ sql: String) -> MigrationFile { file("202401011200_example.sql", sql) }

    /// Unwaived findings of one rule, every built-in rule run as the CLI runs them.
    private func raised(_ rule: String, _ files: MigrationFile..., now: Date = Date(timeIntervalSince1970: 0),
                        configuration: Configuration = Configuration()) -> [Finding] {
        Evaluator().evaluate(AuditInput(migrations: MigrationSet(files: files), collectedAt: now), configuration: configuration)
            .filter { $0.ruleID == rule && $0.waiver == nil }
    }

    private static let leads = "CREATE TABLE IF NOT EXISTS leads (id bigint PRIMARY KEY, email text, created_at timestamptz NOT NULL DEFAULT now());"

    // MARK: non-immutable-expression

    @Test func nonImmutableCallsInIndexesAndGeneratedColumnsAreFlagged() {
        let findings = raised("non-immutable-expression", up("""
            \(Self.leads)
            CREATE INDEX IF NOT EXISTS idx_a ON leads (created_at) WHERE created_at > now() - interval '1 day';
            CREATE INDEX IF NOT EXISTS idx_b ON leads ((age(created_at)));
            ALTER TABLE leads ADD COLUMN IF NOT EXISTS token text GENERATED ALWAYS AS (md5(random()::text || current_user)) STORED;
            CREATE INDEX IF NOT EXISTS idx_c ON leads ((pg_catalog.clock_timestamp()));
            """))
        #expect(findings.map(\.location.line) == [3, 4, 5, 6])
        #expect(findings[0].message.contains("now() in its WHERE"))
        #expect(findings[1].message.contains("age() in its key"))
        #expect(findings[2].message.contains("leads.token calls random(), current_user"))
        #expect(findings.allSatisfy { $0.severity == .high })
    }

    @Test func immutableLookalikesStaySilent() {
        let findings = raised("non-immutable-expression", up("""
            \(Self.leads)
            CREATE INDEX IF NOT EXISTS idx_a ON leads ((created_at::date));
            CREATE INDEX IF NOT EXISTS idx_b ON leads ((age(created_at, created_at)));
            CREATE INDEX IF NOT EXISTS idx_c ON leads ((app.now()));
            CREATE INDEX IF NOT EXISTS idx_d ON leads (lower(email)) WHERE created_at > '2024-01-01';
            ALTER TABLE leads ADD COLUMN IF NOT EXISTS seen_at timestamptz DEFAULT now();
            ALTER TABLE leads ADD CONSTRAINT leads_recent CHECK (created_at <= now()) NOT VALID;
            """))
        #expect(findings.isEmpty, "\(findings.map(\.message))")
    }

    // MARK: missing-extension-for-opclass-or-type

    @Test func extensionTypesNeedTheirExtensionFirst() {
        let findings = raised("missing-extension-for-opclass-or-type",
                              file("202401010900_tables.sql", """
                                  CREATE TABLE IF NOT EXISTS documents (id bigint PRIMARY KEY, embedding vector(3), tags citext);
                                  CREATE INDEX IF NOT EXISTS idx_documents_embedding ON documents USING hnsw (embedding vector_cosine_ops);
                                  """),
                              file("202401011000_extensions.sql", "CREATE EXTENSION IF NOT EXISTS vector;"))
        #expect(findings.count == 3)
        let embedding = findings.first { $0.message.contains("documents.embedding") }
        #expect(embedding?.message.contains("The extension vector is needed by documents.embedding (vector), but it is created only later, in 202401011000_extensions.sql") == true)
        #expect(findings.contains { $0.message.contains("documents.tags (citext)") && $0.message.contains("no migration creates") })
        #expect(findings.last?.location.line == 3)
        #expect(findings.last?.message.contains("needed by the index method hnsw and the operator class vector_cosine_ops of idx_documents_embedding") == true)
        #expect(embedding?.fix.contains("CREATE EXTENSION IF NOT EXISTS vector;") == true)
    }

    @Test func extensionsCreatedFirstOrOutOfSightStaySilent() {
        let created = raised("missing-extension-for-opclass-or-type", up("""
            CREATE EXTENSION IF NOT EXISTS vector WITH SCHEMA extensions;
            CREATE EXTENSION IF NOT EXISTS pg_trgm;
            CREATE TABLE IF NOT EXISTS documents (id bigint PRIMARY KEY, embedding extensions.vector(3), title text);
            CREATE INDEX IF NOT EXISTS idx_documents_title ON documents USING gin (title gin_trgm_ops);
            """))
        #expect(created.isEmpty)
        // A database prepared beforehand: no extension created, DDL on a table the migrations did not create.
        let prepared = raised("missing-extension-for-opclass-or-type", up("""
            ALTER TABLE leads ADD COLUMN IF NOT EXISTS embedding vector(3);
            CREATE TABLE IF NOT EXISTS notes (id bigint PRIMARY KEY, body text);
            CREATE INDEX IF NOT EXISTS idx_notes_body ON notes USING gin (body gin_trgm_ops);
            """))
        #expect(prepared.isEmpty)
        let inDoBlock = raised("missing-extension-for-opclass-or-type", up("""
            DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS citext; EXCEPTION WHEN OTHERS THEN NULL; END $$;
            CREATE TABLE IF NOT EXISTS leads (id bigint PRIMARY KEY, email citext);
            """))
        #expect(inDoBlock.isEmpty)
        let ownDomain = raised("missing-extension-for-opclass-or-type", up("""
            CREATE DOMAIN ltree AS text;
            CREATE TABLE IF NOT EXISTS paths (id bigint PRIMARY KEY, path ltree);
            """))
        #expect(ownDomain.isEmpty)
    }

    @Test func supabaseFilesDoNotJudgeItsPreinstalledExtensions() {
        let sql = "CREATE TABLE IF NOT EXISTS leads (id uuid PRIMARY KEY DEFAULT uuid_generate_v4(), salt text DEFAULT gen_salt('bf'));"
        #expect(raised("missing-extension-for-opclass-or-type", Lint.supabase(sql)).isEmpty)
        let plain = raised("missing-extension-for-opclass-or-type", up(sql))
        #expect(Set(plain.map(\.message)) == [
            "The extension uuid-ossp is needed by the DEFAULT uuid_generate_v4() of leads.id, but no migration creates it before this statement: the statement fails on a database without it.",
            "The extension pgcrypto is needed by the DEFAULT gen_salt() of leads.salt, but no migration creates it before this statement: the statement fails on a database without it.",
        ])
        #expect(plain.contains { $0.fix.contains("CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\";") })
        let vector = raised("missing-extension-for-opclass-or-type", Lint.supabase("CREATE TABLE IF NOT EXISTS docs (id bigint PRIMARY KEY, embedding vector(3));"))
        #expect(vector.first?.fix.contains("CREATE EXTENSION IF NOT EXISTS vector WITH SCHEMA extensions;") == true)
    }

    // MARK: references-missing-table

    @Test func referencesToTablesCreatedLaterOrNeverAreFlagged() {
        let findings = raised("references-missing-table",
                              file("202401010900_base.sql", "CREATE TABLE IF NOT EXISTS clinics (id bigint PRIMARY KEY);"),
                              file("202401011000_notes.sql", """
                                  CREATE TABLE IF NOT EXISTS notes (id bigint PRIMARY KEY, lead_id bigint REFERENCES leads (id), parent_id bigint REFERENCES notes (id));
                                  ALTER TABLE notes ADD CONSTRAINT notes_case_fkey FOREIGN KEY (id) REFERENCES public.cases (id) NOT VALID;
                                  ALTER TABLE notes ADD COLUMN IF NOT EXISTS user_id uuid REFERENCES auth.users (id);
                                  ALTER TABLE notes ADD COLUMN IF NOT EXISTS billing_id bigint REFERENCES billing.accounts (id);
                                  """),
                              file("202401011100_leads.sql", "CREATE TABLE IF NOT EXISTS leads (id bigint PRIMARY KEY, clinic_id bigint REFERENCES clinics (id));"))
        #expect(findings.map(\.location.line) == [2, 3])
        #expect(findings.first?.message.contains("notes REFERENCES leads, which is created only later, in 202401011100_leads.sql") == true)
        #expect(findings.last?.message.contains("cases, which no migration creates") == true)
    }

    @Test func referencesStaySilentUnlessTheFolderStartsFromEmpty() {
        // The first file creating tables references one no migration creates: the folder started on a
        // database that already had it.
        let legacy = raised("references-missing-table",
                            file("202401010900_a.sql", "CREATE TABLE IF NOT EXISTS notes (id bigint PRIMARY KEY, lead_id bigint REFERENCES leads (id));"),
                            file("202401011000_b.sql", "CREATE TABLE IF NOT EXISTS tasks (id bigint PRIMARY KEY, case_id bigint REFERENCES cases (id));"))
        #expect(legacy.isEmpty)
        let altersUnknown = raised("references-missing-table", up("""
            ALTER TABLE leads ADD COLUMN IF NOT EXISTS score int;
            CREATE TABLE IF NOT EXISTS notes (id bigint PRIMARY KEY, case_id bigint REFERENCES cases (id));
            """))
        #expect(altersUnknown.isEmpty)
        let renamed = raised("references-missing-table", up("""
            CREATE TABLE IF NOT EXISTS lead (id bigint PRIMARY KEY);
            ALTER TABLE lead RENAME TO leads;
            CREATE TABLE IF NOT EXISTS notes (id bigint PRIMARY KEY, lead_id bigint REFERENCES leads (id));
            CREATE TABLE IF NOT EXISTS tasks (id bigint PRIMARY KEY, lead_id bigint REFERENCES lead (id));
            """))
        #expect(renamed.map(\.location.line) == [5])
        #expect(renamed.first?.message.contains("is dropped or renamed before this statement") == true)
    }

    @Test func theReferenceMigrationsStartFromEmpty() {
        let set = MigrationCollector.collect(folders: ["db/migrations"], root: repositoryRoot)
        #expect(set.files.count > 5)
        #expect(MigrationAnalysis(set).shared(AppliedSchema.self).startsFromEmptyDatabase)
    }

    // MARK: on-conflict-without-unique

    @Test func onConflictNeedsAKeyOnExactlyItsColumns() {
        let findings = raised("on-conflict-without-unique", up("""
            CREATE TABLE IF NOT EXISTS settings (id bigint PRIMARY KEY, clinic_id bigint, key text, value text, UNIQUE (key));
            INSERT INTO settings VALUES (1, 1, 'a', 'b') ON CONFLICT (id) DO NOTHING;
            INSERT INTO settings VALUES (1, 1, 'a', 'b') ON CONFLICT (clinic_id, key) DO UPDATE SET value = EXCLUDED.value;
            CREATE UNIQUE INDEX IF NOT EXISTS idx_settings_clinic_key ON settings (clinic_id, key) WHERE clinic_id IS NOT NULL;
            INSERT INTO settings VALUES (1, 1, 'a', 'b') ON CONFLICT (key, clinic_id) DO NOTHING;
            ALTER TABLE settings ADD CONSTRAINT settings_clinic_key UNIQUE (key, clinic_id);
            INSERT INTO settings VALUES (1, 1, 'a', 'b') ON CONFLICT (clinic_id, key) DO NOTHING;
            INSERT INTO settings VALUES (1, 1, 'a', 'b') ON CONFLICT ON CONSTRAINT settings_pkey DO NOTHING;
            INSERT INTO settings VALUES (1, 1, 'a', 'b') ON CONFLICT DO NOTHING;
            INSERT INTO settings VALUES (1, 1, 'a', 'b') ON CONFLICT (value) DO NOTHING;
            """))
        #expect(findings.map(\.location.line) == [4, 6, 11])
        #expect(findings[1].message.contains("idx_settings_clinic_key is partial"))
        #expect(findings[0].fix.contains("ALTER TABLE settings ADD CONSTRAINT settings_clinic_id_key_key UNIQUE (clinic_id, key);"))
    }

    @Test func onConflictStaysSilentWhereKeysAreUnknown() {
        let findings = raised("on-conflict-without-unique",
                              file("202401010900_a.sql", """
                                  CREATE TABLE IF NOT EXISTS copy (LIKE settings INCLUDING ALL);
                                  CREATE TABLE IF NOT EXISTS tags (id bigint PRIMARY KEY, label text);
                                  DO $$ BEGIN EXECUTE 'CREATE UNIQUE INDEX tags_label ON tags (label)'; END $$;
                                  CREATE TABLE IF NOT EXISTS notes (id bigint PRIMARY KEY, slug text UNIQUE);
                                  ALTER TABLE notes RENAME COLUMN slug TO handle;
                                  """),
                              file("202401011000_b.sql", """
                                  INSERT INTO settings (key) VALUES ('a') ON CONFLICT (key) DO NOTHING;
                                  INSERT INTO copy (key) VALUES ('a') ON CONFLICT (key) DO NOTHING;
                                  INSERT INTO tags (label) VALUES ('a') ON CONFLICT (label) DO NOTHING;
                                  INSERT INTO notes (id, handle) VALUES (1, 'a') ON CONFLICT (handle) DO NOTHING;
                                  INSERT INTO notes (id, handle) VALUES (1, 'a') ON CONFLICT (lower(handle)) DO NOTHING;
                                  """))
        #expect(findings.isEmpty, "\(findings.map(\.message))")
    }

    // MARK: concurrent-index-on-partitioned-table

    @Test func concurrentIndexOnARenamedAndSwappedPartitionedTable() {
        let create = file("202401010900_a.sql", "CREATE TABLE IF NOT EXISTS events (id bigint, lead_id bigint, at date NOT NULL);")
        let swap = Lint.dbmate("""
            -- migrate:up transaction:false
            ALTER TABLE events RENAME TO events_old;
            CREATE TABLE events (id bigint, lead_id bigint, at date NOT NULL) PARTITION BY RANGE (at);
            CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
            CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_events_lead ON events (lead_id);
            CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_events_old_lead ON events_old (lead_id);
            -- migrate:down
            SELECT 1;
            """, name: "202401011000_b.sql")
        let findings = raised("concurrent-index-on-partitioned-table", create, swap)
        #expect(findings.map(\.location.line) == [5])
        #expect(findings.first?.fix.contains("CREATE INDEX IF NOT EXISTS idx_events_lead ON ONLY events (lead_id);") == true)
        #expect(findings.first?.fix.contains("ALTER INDEX idx_events_lead ATTACH PARTITION events_2024_idx_events_lead;") == true)
    }

    // MARK: btree-include-oversized-column

    @Test func btreeIncludesOfUnboundedOrLargeColumns() {
        let findings = raised("btree-include-oversized-column", up("""
            CREATE TABLE IF NOT EXISTS docs (id bigint PRIMARY KEY, title varchar(200), body text, meta jsonb, tiny vector(3), embedding vector(1536), half halfvec(1024));
            CREATE INDEX IF NOT EXISTS idx_a ON docs (id) INCLUDE (meta, title);
            CREATE INDEX IF NOT EXISTS idx_b ON docs USING btree (embedding);
            CREATE INDEX IF NOT EXISTS idx_c ON docs (body);
            CREATE INDEX IF NOT EXISTS idx_d ON docs (tiny) INCLUDE (half);
            CREATE INDEX IF NOT EXISTS idx_e ON docs USING hnsw (embedding vector_l2_ops);
            ALTER TABLE docs ADD COLUMN IF NOT EXISTS notes text;
            CREATE INDEX IF NOT EXISTS idx_f ON docs (id) INCLUDE (notes);
            """))
        #expect(findings.map(\.location.line) == [3, 4, 9])
        #expect(findings[0].message.contains("INCLUDE meta (jsonb, unbounded)") && !findings[0].message.contains("title"))
        #expect(findings[1].message.contains("the key embedding (vector(1536), 6152 bytes)"))
        #expect(findings.allSatisfy { $0.severity == .medium })
    }

    // MARK: drop-cascade-removes-dependents

    @Test func cascadeNamesWhatItAlsoDrops() {
        let create = file("202401010900_a.sql", """
            CREATE TABLE IF NOT EXISTS leads (id bigint PRIMARY KEY);
            CREATE TABLE IF NOT EXISTS notes (id bigint PRIMARY KEY, lead_id bigint REFERENCES leads (id));
            CREATE TABLE IF NOT EXISTS tasks (id bigint PRIMARY KEY, lead_id bigint, CONSTRAINT tasks_lead FOREIGN KEY (lead_id) REFERENCES leads (id));
            CREATE VIEW v_leads AS SELECT id FROM leads;
            CREATE VIEW v_leads_count AS SELECT count(*) FROM v_leads;
            CREATE MATERIALIZED VIEW mv_notes AS SELECT * FROM notes JOIN leads ON leads.id = notes.lead_id;
            """)
        let drop = file("202401011000_b.sql", """
            ALTER TABLE tasks DROP CONSTRAINT tasks_lead;
            DROP TABLE IF EXISTS leads, notes CASCADE;
            """)
        let findings = raised("drop-cascade-removes-dependents", create, drop)
        #expect(findings.map(\.message) == ["DROP TABLE leads, notes CASCADE also drops the materialized view mv_notes, the view v_leads and the view v_leads_count."])
        let noCascade = raised("drop-cascade-removes-dependents", create, file("202401011000_b.sql", "DROP VIEW IF EXISTS v_leads_count;\nDROP VIEW v_leads CASCADE;"))
        #expect(noCascade.isEmpty)
        let foreignKeys = raised("drop-cascade-removes-dependents", create, file("202401011000_b.sql", "DROP TABLE leads CASCADE;"))
        #expect(foreignKeys.first?.message.contains("the foreign key of notes.lead_id (notes_lead_id_fkey), the foreign key of tasks.lead_id (tasks_lead)") == true)
    }

    // MARK: partition-horizon

    private static let partitioned = """
        CREATE TABLE IF NOT EXISTS events (id bigint, at date NOT NULL) PARTITION BY RANGE (at);
        CREATE TABLE IF NOT EXISTS events_2025_01 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2025-02-01');
        CREATE TABLE IF NOT EXISTS events_2025_02 PARTITION OF events FOR VALUES FROM ('2025-02-01') TO ('2025-03-01 00:00:00+00');
        """

    private static func day(_ text: String) -> Date { PartitionHorizon.date(text) ?? Date(timeIntervalSince1970: 0) }

    @Test func lastPartitionNearOrPastIsFlagged() {
        let past = raised("partition-horizon", up(Self.partitioned), now: Self.day("2025-03-11"))
        #expect(past.map(\.location.line) == [4])
        #expect(past.first?.message.contains("events_2025_02 ends at 2025-03-01 00:00:00+00, 10 days ago") == true)
        #expect(raised("partition-horizon", up(Self.partitioned), now: Self.day("2025-02-10")).first?.message.contains("in 19 days") == true)
        #expect(raised("partition-horizon", up(Self.partitioned), now: Self.day("2024-12-01")).isEmpty)
        var wide = Configuration()
        wide.thresholds.partitionHorizonDays = 100
        #expect(raised("partition-horizon", up(Self.partitioned), now: Self.day("2024-12-01"), configuration: wide).count == 1)
        let detached = raised("partition-horizon", up(Self.partitioned + "\nALTER TABLE events DETACH PARTITION events_2025_02;"), now: Self.day("2025-01-20"))
        #expect(detached.first?.message.contains("events_2025_01 ends at 2025-02-01") == true)
    }

    @Test func partitionHorizonSilences() {
        let now = Self.day("2026-01-01")
        #expect(raised("partition-horizon", up(Self.partitioned + "\nCREATE TABLE events_default PARTITION OF events DEFAULT;"), now: now).isEmpty)
        #expect(raised("partition-horizon", up(Self.partitioned + "\nCREATE TABLE events_rest PARTITION OF events FOR VALUES FROM ('2025-03-01') TO (MAXVALUE);"), now: now).isEmpty)
        #expect(raised("partition-horizon", up("CREATE TABLE IF NOT EXISTS n (id bigint NOT NULL) PARTITION BY RANGE (id);\nCREATE TABLE n_1 PARTITION OF n FOR VALUES FROM (0) TO (1000);"), now: now).isEmpty)
        #expect(raised("partition-horizon", up("CREATE EXTENSION IF NOT EXISTS pg_partman;\n" + Self.partitioned), now: now).isEmpty)
        let function = "CREATE FUNCTION make_partition() RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE format('CREATE TABLE %I PARTITION OF events FOR VALUES FROM (%L) TO (%L)', 'x', 'a', 'b'); END $$;"
        #expect(raised("partition-horizon", up(Self.partitioned + "\n" + function), now: now).isEmpty)
    }

    @Test func partitionHorizonDaysIsValidated() throws {
        #expect(try ConfigurationLoader.parse("thresholds:\n  partition_horizon_days: 45\n").thresholds.partitionHorizonDays == 45)
        #expect(throws: (any Error).self) { try ConfigurationLoader.parse("thresholds:\n  partition_horizon_days: 0\n") }
        #expect(throws: (any Error).self) { try ConfigurationLoader.parse("thresholds:\n  partition_horizon_days: soon\n") }
    }
}
