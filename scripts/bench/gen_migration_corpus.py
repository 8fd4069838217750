#!/usr/bin/env python3
"""Generate a deterministic corpus of dbmate migration files for lint benchmarks.

    gen_migration_corpus.py OUTDIR [--files 1000] [--seed 42] [--profile default|clean]

Files are named YYYYMMDDHHMM_description.sql, hold `-- migrate:up` / `-- migrate:down`
sections and use the MedicalCor domain (leads, patients, cases, consents, audit_logs, events,
embeddings...). The `default` profile mixes safe and unsafe statements, tens per file (about
4 KB each on average, ~33 infra-guardian findings per file). The `clean` profile is mostly safe
migrations written the way the linter's fixes say (lock_timeout set, bigint identity keys,
text/jsonb/timestamptz, nullable ADD COLUMN, constraints NOT VALID then validated in a later
file, CREATE INDEX CONCURRENTLY alone in a `transaction:false` file): about 1 KB each and
~0.16 findings per file, all from the one-in-eight files that slip in a default-profile statement.
Every statement is valid PostgreSQL 15 syntax: check it with `infra-guardian lint`, which parses
both sections with libpg_query (PostgreSQL 15's grammar) and reports no `sql-syntax-error` on
either profile. The files are meant to be linted, not applied in order. The same seed and
profile always give byte-identical files.
"""

import argparse
import datetime
import os
import random
import sys

ENTITIES = ["leads", "patients", "cases", "consents", "audit_logs", "events", "embeddings",
            "appointments", "messages", "clinics", "practitioners", "invoices"]
PARENTS = ["leads", "patients", "cases", "clinics", "practitioners"]
SUFFIXES = ["notes", "history", "attachments", "tags", "scores", "snapshots", "links", "reminders",
            "assignments", "outcomes", "revisions", "metrics"]

# (name, type) pools; the unsafe types (json, timestamp, int, varchar, char) appear on purpose.
COLUMNS = [
    ("phone_hash", "text"), ("email_hash", "text"), ("full_name", "varchar(255)"),
    ("country_code", "char(2)"), ("source", "text"), ("utm_campaign", "varchar(128)"),
    ("status", "text"), ("priority", "smallint"), ("score", "integer"), ("attempts", "int"),
    ("amount_cents", "bigint"), ("amount", "numeric(12,2)"), ("is_active", "boolean"),
    ("metadata", "jsonb"), ("payload", "json"), ("raw_payload", "jsonb"), ("locale", "text"),
    ("created_at", "timestamptz"), ("updated_at", "timestamptz"), ("deleted_at", "timestamp"),
    ("scheduled_for", "timestamp"), ("consented_at", "timestamptz"), ("birth_date", "date"),
    ("external_id", "uuid"), ("correlation_id", "uuid"), ("channel", "varchar(32)"),
    ("notes", "text"), ("risk_level", "smallint"), ("version", "integer"), ("ip_address", "inet"),
    ("tags", "text[]"), ("checksum", "bytea"), ("duration", "interval"), ("retries", "int4"),
]
DEFAULTS = {
    "text": ["''", "'new'", "'unknown'"], "varchar(255)": ["''"], "varchar(128)": ["''"],
    "varchar(32)": ["'web'"], "char(2)": ["'RO'"], "smallint": ["0", "1"], "integer": ["0"],
    "int": ["0"], "int4": ["0"], "bigint": ["0"], "numeric(12,2)": ["0"], "boolean": ["true", "false"],
    "jsonb": ["'{}'::jsonb"], "json": ["'{}'::json"], "timestamptz": ["now()", "clock_timestamp()"],
    "timestamp": ["now()"], "date": ["CURRENT_DATE"], "uuid": ["gen_random_uuid()"],
    "inet": ["'0.0.0.0'::inet"], "text[]": ["'{}'::text[]"], "bytea": ["'\\x'::bytea"],
    "interval": ["'0 seconds'::interval"],
}
STATUSES = ["new", "contacted", "qualified", "scheduled", "converted", "lost", "archived"]
WORDS = ["lead", "patient", "case", "consent", "audit", "event", "embedding", "status", "score",
         "index", "constraint", "backfill", "rename", "cleanup", "retention", "triage", "gdpr",
         "channel", "scheduling", "billing", "vector", "search", "dedupe", "timeline"]


class Generator:
    def __init__(self, rng):
        self.rng = rng
        self.counter = 0

    def uid(self):
        self.counter += 1
        return self.counter

    def table(self):
        r = self.rng
        if r.random() < 0.6:
            return r.choice(ENTITIES)
        return f"{r.choice(PARENTS)[:-1]}_{r.choice(SUFFIXES)}"

    def column(self):
        return self.rng.choice(COLUMNS)

    def default(self, kind):
        return self.rng.choice(DEFAULTS.get(kind, ["NULL"]))

    # --- statements -----------------------------------------------------------------------

    def create_table(self, name=None):
        r = self.rng
        name = name or f"{r.choice(PARENTS)[:-1]}_{r.choice(SUFFIXES)}_{self.uid()}"
        parent = r.choice(PARENTS)
        pk = r.choice([
            "id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
            "id bigserial PRIMARY KEY",
            "id serial PRIMARY KEY",
            "id uuid PRIMARY KEY DEFAULT gen_random_uuid()",
            "id integer PRIMARY KEY",
        ])
        lines = [pk, f"{parent[:-1]}_id bigint NOT NULL REFERENCES {parent}(id) ON DELETE CASCADE"]
        used = {"id", f"{parent[:-1]}_id"}
        for _ in range(r.randint(6, 18)):
            col, kind = self.column()
            if col in used:
                continue
            used.add(col)
            spec = f"{col} {kind}"
            if r.random() < 0.35:
                spec += " NOT NULL"
            if r.random() < 0.4:
                spec += f" DEFAULT {self.default(kind)}"
            lines.append(spec)
        if "embeddings" in name or r.random() < 0.08:
            lines.append(f"embedding vector({r.choice([384, 768, 1536, 3072])})")
        if r.random() < 0.5:
            lines.append("created_at timestamptz NOT NULL DEFAULT now()" if "created_at" not in used
                         else "inserted_by text")
        if r.random() < 0.3 and "status" not in used:
            lines.append(f"status text NOT NULL DEFAULT 'new' CHECK (status IN ({self.status_list()}))")
        body = ",\n    ".join(lines)
        ine = "IF NOT EXISTS " if r.random() < 0.8 else ""
        return name, f"CREATE TABLE {ine}{name} (\n    {body}\n);"

    def status_list(self):
        picked = self.rng.sample(STATUSES, self.rng.randint(2, 5))
        return ", ".join(f"'{s}'" for s in picked)

    def create_index(self, table=None):
        r = self.rng
        table = table or self.table()
        col, _ = self.column()
        n = self.uid()
        concurrently = "CONCURRENTLY " if r.random() < 0.5 else ""
        unique = "UNIQUE " if r.random() < 0.15 else ""
        ine = "IF NOT EXISTS " if r.random() < 0.7 else ""
        if table == "embeddings" and r.random() < 0.5:
            ops = r.choice(["vector_cosine_ops", "vector_l2_ops", "vector_ip_ops"])
            return (f"CREATE INDEX {concurrently}{ine}idx_embeddings_hnsw_{n} ON embeddings "
                    f"USING hnsw (embedding {ops}) WITH (m = 16, ef_construction = {r.choice([64, 128, 200])});")
        if col in ("metadata", "raw_payload") and r.random() < 0.7:
            return f"CREATE INDEX {concurrently}{ine}idx_{table}_{col}_{n} ON {table} USING gin ({col} jsonb_path_ops);"
        cols = col
        if r.random() < 0.4:
            cols += f", {r.choice(['created_at', 'status', 'updated_at'])} DESC"
        where = ""
        if r.random() < 0.25:
            where = r.choice([" WHERE deleted_at IS NULL", " WHERE status <> 'archived'", " WHERE is_active"])
        return f"CREATE {unique}INDEX {concurrently}{ine}idx_{table}_{col}_{n} ON {table} ({cols}){where};"

    def drop_index(self):
        r = self.rng
        concurrently = "CONCURRENTLY " if r.random() < 0.5 else ""
        return f"DROP INDEX {concurrently}IF EXISTS idx_{self.table()}_{self.column()[0]}_{self.uid()};"

    def add_column(self, table=None):
        r = self.rng
        table = table or self.table()
        col, kind = self.column()
        col = f"{col}_{r.choice(['v2', 'new', 'ext', str(self.uid())])}"
        spec = f"ALTER TABLE {table} ADD COLUMN {'IF NOT EXISTS ' if r.random() < 0.6 else ''}{col} {kind}"
        roll = r.random()
        if roll < 0.2:
            spec += " NOT NULL"
        elif roll < 0.45:
            spec += f" NOT NULL DEFAULT {self.default(kind)}"
        elif roll < 0.6:
            spec += f" DEFAULT {self.default(kind)}"
        return spec + ";"

    def add_fk(self, table=None):
        r = self.rng
        table = table or self.table()
        parent = r.choice(PARENTS)
        name = f"fk_{table}_{parent}_{self.uid()}"
        not_valid = " NOT VALID" if r.random() < 0.5 else ""
        stmt = (f"ALTER TABLE {table} ADD CONSTRAINT {name} FOREIGN KEY ({parent[:-1]}_id) "
                f"REFERENCES {parent}(id) ON DELETE {r.choice(['CASCADE', 'RESTRICT', 'SET NULL'])}{not_valid};")
        if not_valid and r.random() < 0.7:
            stmt += f"\nALTER TABLE {table} VALIDATE CONSTRAINT {name};"
        return stmt

    def add_check(self, table=None):
        r = self.rng
        table = table or self.table()
        name = f"chk_{table}_{self.uid()}"
        expr = r.choice([f"status IN ({self.status_list()})", "score >= 0", "amount_cents >= 0",
                         "char_length(phone_hash) = 64", "updated_at >= created_at", "priority BETWEEN 0 AND 5"])
        not_valid = " NOT VALID" if r.random() < 0.5 else ""
        stmt = f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({expr}){not_valid};"
        if not_valid and r.random() < 0.7:
            stmt += f"\nALTER TABLE {table} VALIDATE CONSTRAINT {name};"
        return stmt

    def add_unique(self):
        table = self.table()
        col = self.column()[0]
        return f"ALTER TABLE {table} ADD CONSTRAINT uq_{table}_{col}_{self.uid()} UNIQUE ({col});"

    def set_not_null(self):
        return f"ALTER TABLE {self.table()} ALTER COLUMN {self.column()[0]} SET NOT NULL;"

    def drop_not_null(self):
        return f"ALTER TABLE {self.table()} ALTER COLUMN {self.column()[0]} DROP NOT NULL;"

    def change_type(self):
        r = self.rng
        col = self.column()[0]
        kind = r.choice(["bigint", "text", "jsonb", "timestamptz", "numeric(14,2)", "varchar(512)"])
        using = f" USING {col}::{kind}" if r.random() < 0.5 else ""
        return f"ALTER TABLE {self.table()} ALTER COLUMN {col} TYPE {kind}{using};"

    def set_default(self):
        col, kind = self.column()
        return f"ALTER TABLE {self.table()} ALTER COLUMN {col} SET DEFAULT {self.default(kind)};"

    def rename_column(self):
        col = self.column()[0]
        return f"ALTER TABLE {self.table()} RENAME COLUMN {col} TO {col}_old;"

    def rename_table(self):
        table = self.table()
        return f"ALTER TABLE IF EXISTS {table}_legacy RENAME TO {table}_archive_{self.uid()};"

    def drop_column(self):
        ie = "IF EXISTS " if self.rng.random() < 0.6 else ""
        return f"ALTER TABLE {self.table()} DROP COLUMN {ie}{self.column()[0]};"

    def insert(self):
        r = self.rng
        rows = []
        for _ in range(r.randint(2, 8)):
            rows.append(f"('{r.choice(STATUSES)}', '{r.choice(['web', 'whatsapp', 'phone', 'referral'])}', "
                        f"{r.randint(0, 100)}, '{{\"campaign\": \"c{r.randint(1, 99)}\"}}'::jsonb)")
        values = ",\n    ".join(rows)
        conflict = " ON CONFLICT DO NOTHING" if r.random() < 0.6 else ""
        return f"INSERT INTO {self.table()} (status, channel, score, metadata) VALUES\n    {values}{conflict};"

    def update(self):
        r = self.rng
        table = self.table()
        return r.choice([
            f"UPDATE {table} SET status = '{r.choice(STATUSES)}' WHERE status IS NULL;",
            f"UPDATE {table} SET updated_at = now() WHERE updated_at IS NULL AND created_at < now() - interval '{r.randint(1, 90)} days';",
            f"UPDATE {table} SET metadata = coalesce(metadata, '{{}}'::jsonb) || jsonb_build_object('migrated', true);",
            f"UPDATE {table} SET score = 0;",
            f"DELETE FROM {table} WHERE deleted_at < now() - interval '{r.randint(1, 3)} years';",
        ])

    def function(self, table=None):
        r = self.rng
        table = table or self.table()
        name = f"{table}_touch_{self.uid()}"
        body = r.choice([
            "    NEW.updated_at := now();\n    RETURN NEW;",
            "    IF NEW.status IS DISTINCT FROM OLD.status THEN\n"
            "        INSERT INTO audit_logs (entity, entity_id, action, created_at)\n"
            f"        VALUES ('{table}', NEW.id, 'status_changed', now());\n    END IF;\n    RETURN NEW;",
            "    PERFORM pg_notify('events', json_build_object('table', TG_TABLE_NAME, 'op', TG_OP)::text);\n"
            "    RETURN COALESCE(NEW, OLD);",
        ])
        security = " SECURITY DEFINER" if r.random() < 0.2 else ""
        search_path = "\nSET search_path = public, pg_temp" if r.random() < 0.5 else ""
        fn = (f"CREATE OR REPLACE FUNCTION {name}()\nRETURNS trigger\nLANGUAGE plpgsql{security}{search_path}\n"
              f"AS $$\nBEGIN\n{body}\nEND;\n$$;")
        when = r.choice(["BEFORE UPDATE", "AFTER INSERT OR UPDATE", "BEFORE INSERT OR UPDATE"])
        create = "CREATE OR REPLACE TRIGGER" if r.random() < 0.5 else "CREATE TRIGGER"
        trigger = f"{create} trg_{name} {when} ON {table}\n    FOR EACH ROW EXECUTE FUNCTION {name}();"
        return fn + "\n\n" + trigger

    def sql_function(self):
        r = self.rng
        name = f"count_{r.choice(PARENTS)}_{self.uid()}"
        return (f"CREATE OR REPLACE FUNCTION {name}(p_since timestamptz)\nRETURNS bigint\nLANGUAGE sql STABLE\n"
                f"AS $fn$\n    SELECT count(*) FROM {r.choice(PARENTS)} WHERE created_at >= p_since\n$fn$;")

    def comment(self):
        r = self.rng
        table = self.table()
        if r.random() < 0.5:
            return f"COMMENT ON TABLE {table} IS 'MedicalCor {table.replace('_', ' ')}; owned by the CRM team.';"
        return f"COMMENT ON COLUMN {table}.{self.column()[0]} IS 'Hashed or derived value; never raw PII.';"

    def timeouts(self):
        r = self.rng
        return r.choice([f"SET lock_timeout = '{r.choice([1, 2, 5, 10])}s';",
                         f"SET statement_timeout = '{r.choice([15, 30, 60])}s';",
                         "SET LOCAL lock_timeout = '3s';"])

    def enum(self):
        r = self.rng
        name = f"{r.choice(['lead', 'case', 'consent'])}_state_{self.uid()}"
        if r.random() < 0.5:
            return f"CREATE TYPE {name} AS ENUM ({self.status_list()});"
        return f"ALTER TYPE {name} ADD VALUE IF NOT EXISTS '{r.choice(STATUSES)}_v2';"

    def rls(self):
        table = self.table()
        return (f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;\n"
                f"CREATE POLICY {table}_tenant_{self.uid()} ON {table}\n"
                f"    USING (clinic_id = current_setting('app.clinic_id')::bigint);")

    def misc(self):
        r = self.rng
        table = self.table()
        return r.choice([
            f"DROP TABLE IF EXISTS {table}_tmp_{self.uid()};",
            f"TRUNCATE {table}_staging_{self.uid()};",
            "CREATE EXTENSION IF NOT EXISTS vector;",
            "CREATE EXTENSION IF NOT EXISTS pgcrypto;",
            f"VACUUM (ANALYZE) {table};",
            f"ANALYZE {table};",
            f"REINDEX INDEX idx_{table}_status_{self.uid()};",
            f"CREATE OR REPLACE VIEW {table}_active_{self.uid()} AS\n    SELECT id, status, created_at FROM {table} WHERE deleted_at IS NULL;",
            f"ALTER TABLE {table} ALTER COLUMN metadata SET STATISTICS 500;",
            f"ALTER TABLE {table} SET (autovacuum_vacuum_scale_factor = 0.02);",
        ])

    # --- files ----------------------------------------------------------------------------

    WEIGHTED = [("create_index", 14), ("add_column", 14), ("add_fk", 6), ("add_check", 6),
                ("add_unique", 2), ("set_not_null", 4), ("drop_not_null", 1), ("change_type", 4),
                ("set_default", 3), ("rename_column", 2), ("rename_table", 1), ("drop_column", 3),
                ("drop_index", 3), ("insert", 6), ("update", 6), ("function", 5), ("sql_function", 2),
                ("comment", 8), ("timeouts", 4), ("enum", 2), ("rls", 2), ("misc", 5)]

    def statement(self):
        names, weights = zip(*self.WEIGHTED)
        return getattr(self, self.rng.choices(names, weights)[0])()

    def migration(self):
        r = self.rng
        up, down = [], []
        if r.random() < 0.45:
            up.append(self.timeouts())
        for _ in range(r.choice([0, 1, 1, 2])):
            name, create = self.create_table()
            up.append(create)
            up.append(self.create_index(name))
            down.append(f"DROP TABLE IF EXISTS {name};")
        for _ in range(max(3, int(r.gauss(26, 9)))):
            up.append(self.statement())
        if r.random() < 0.6:
            down.extend(self.drop_column() for _ in range(r.randint(1, 3)))
            down.append(self.drop_index())
        if not down:
            down.append("SELECT 1;")
        text = "\n\n".join(up)
        transaction = " transaction:false" if "CONCURRENTLY" in text and r.random() < 0.85 else ""
        words = r.sample(WORDS, r.randint(2, 4))
        header = f"-- {' '.join(words).capitalize()} for the MedicalCor CRM.\n" if r.random() < 0.6 else ""
        body = (f"{header}-- migrate:up{transaction}\n{text}\n\n-- migrate:down\n" + "\n".join(down) + "\n")
        return "_".join(words), body


# --- the clean profile ----------------------------------------------------------------------

# Column types a careful team uses: text over varchar/char, jsonb over json, timestamptz over
# timestamp, bigint for anything that may grow.
CLEAN_COLUMNS = [
    ("phone_hash", "text"), ("email_hash", "text"), ("full_name", "text"), ("country_code", "text"),
    ("source", "text"), ("utm_campaign", "text"), ("status", "text"), ("priority", "smallint"),
    ("score", "integer"), ("attempts", "integer"), ("amount_cents", "bigint"), ("amount", "numeric(12,2)"),
    ("is_active", "boolean"), ("metadata", "jsonb"), ("payload", "jsonb"), ("locale", "text"),
    ("updated_at", "timestamptz"), ("deleted_at", "timestamptz"), ("scheduled_for", "timestamptz"),
    ("consented_at", "timestamptz"), ("birth_date", "date"), ("external_id", "uuid"),
    ("correlation_id", "uuid"), ("channel", "text"), ("notes", "text"), ("risk_level", "smallint"),
    ("version", "integer"), ("ip_address", "inet"), ("tags", "text[]"), ("checksum", "bytea"),
    ("duration", "interval"), ("retries", "integer"),
]
# Constant defaults only: PostgreSQL 11+ stores them in the catalog, no rewrite of an existing table.
CLEAN_DEFAULTS = {
    "text": ["''", "'unknown'"], "smallint": ["0", "1"], "integer": ["0"],
    "bigint": ["0"], "numeric(12,2)": ["0"], "boolean": ["true", "false"], "jsonb": ["'{}'::jsonb"],
    "text[]": ["'{}'::text[]"], "interval": ["'0 seconds'::interval"], "inet": ["'0.0.0.0'::inet"],
}
# Expressions that can fill a new column from the row itself, for the batched backfills.
BACKFILL = {
    "text": "coalesce(source, 'unknown')", "smallint": "0", "integer": "0", "bigint": "0",
    "numeric(12,2)": "0", "boolean": "false", "jsonb": "coalesce(metadata, '{}'::jsonb)",
    "timestamptz": "created_at", "date": "created_at::date", "uuid": "gen_random_uuid()",
    "inet": "'0.0.0.0'::inet", "text[]": "'{}'::text[]", "bytea": "'\\x'::bytea",
    "interval": "'0 seconds'::interval",
}


class CleanGenerator(Generator):
    """Mostly safe migrations, written the way the linter's fixes say to write them.

    Each file takes its locks behind `SET lock_timeout`; new tables have bigint identity keys and
    text/jsonb/timestamptz columns; an existing table gets one ALTER TABLE, last in its file
    (nullable columns, constant defaults, constraints NOT VALID); constraints are validated and
    columns made NOT NULL (after a validated CHECK) in later files; indexes on existing tables are
    built CONCURRENTLY, alone in a `transaction:false` file. About one file in eight slips in one
    statement of the default profile, so the linter still has a little to report.
    """

    KINDS = [("feature", 40), ("concurrent_index", 20), ("validate", 10), ("backfill", 9),
             ("not_null", 6), ("functions", 7), ("reference_data", 5), ("tuning", 3)]
    SLIP = 0.12

    def __init__(self, rng):
        super().__init__(rng)
        self.tables = list(ENTITIES)        # tables every file may assume exist
        self.to_validate = []               # (table, constraint) added NOT VALID, not yet validated
        self.to_backfill = []               # (table, column, type) added nullable
        self.to_set_not_null = []           # (table, column, check) with a NOT VALID IS NOT NULL check
        self.indexable = []                 # (table, column, type) that a later file may index

    def clean_column(self):
        return self.rng.choice(CLEAN_COLUMNS)

    def clean_default(self, kind):
        return self.rng.choice(CLEAN_DEFAULTS[kind]) if kind in CLEAN_DEFAULTS else None

    def existing(self):
        return self.rng.choice(self.tables)

    @staticmethod
    def timeouts(statement=True):
        lines = ["SET lock_timeout = '5s';"]
        if statement:
            lines.append("SET statement_timeout = '60s';")
        return lines

    # --- pieces -------------------------------------------------------------------------------

    def new_table(self):
        """CREATE TABLE with its comment, indexes, trigger, policy and view, and their down."""
        r = self.rng
        parent = r.choice(PARENTS)
        name = f"{parent[:-1]}_{r.choice(SUFFIXES)}_{self.uid()}"
        fk = f"{parent[:-1]}_id"
        lines = ["id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
                 f"{fk} bigint NOT NULL REFERENCES {parent}(id) ON DELETE CASCADE"]
        used, columns = {"id", fk, "created_at"}, []
        for _ in range(r.randint(5, 14)):
            col, kind = self.clean_column()
            if col in used:
                continue
            used.add(col)
            spec = f"{col} {kind}"
            default = self.clean_default(kind)
            if default is not None and r.random() < 0.45:
                spec += f" NOT NULL DEFAULT {default}"
            lines.append(spec)
            columns.append((col, kind))
        if "status" not in used and r.random() < 0.4:
            lines.append(f"status text NOT NULL DEFAULT 'new' CHECK (status IN ({self.status_list()}))")
            columns.append(("status", "text"))
        if "embeddings" in name or r.random() < 0.06:
            lines.append("embedding vector(1536)")
        lines.append("created_at timestamptz NOT NULL DEFAULT now()")
        body = ",\n    ".join(lines)
        down = [f"DROP TABLE IF EXISTS {name};"]
        out = [f"CREATE TABLE IF NOT EXISTS {name} (\n    {body}\n);",
               f"COMMENT ON TABLE {name} IS 'MedicalCor {name.replace('_', ' ')}; owned by the CRM team.';",
               f"CREATE INDEX IF NOT EXISTS idx_{name}_{fk} ON {name} ({fk});"]
        for col, kind in r.sample(columns, min(len(columns), r.randint(0, 2))):
            if kind == "jsonb":
                out.append(f"CREATE INDEX IF NOT EXISTS idx_{name}_{col} ON {name} USING gin ({col} jsonb_path_ops);")
            elif kind not in ("bytea", "text[]", "interval"):
                out.append(f"CREATE INDEX IF NOT EXISTS idx_{name}_{col} ON {name} ({col}, created_at DESC);")
        if "updated_at" in used and r.random() < 0.6:
            fn = f"{name}_touch"
            out.append(f"CREATE OR REPLACE FUNCTION {fn}()\nRETURNS trigger\nLANGUAGE plpgsql\n"
                       f"SET search_path = public, pg_temp\nAS $$\nBEGIN\n    NEW.updated_at := now();\n"
                       f"    RETURN NEW;\nEND;\n$$;")
            out.append(f"CREATE OR REPLACE TRIGGER trg_{fn} BEFORE UPDATE ON {name}\n"
                       f"    FOR EACH ROW EXECUTE FUNCTION {fn}();")
            down.append(f"DROP FUNCTION IF EXISTS {fn}();")
        if r.random() < 0.3:
            out.append(f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY;")
            out.append(f"CREATE POLICY {name}_tenant ON {name}\n"
                       f"    USING ({fk} IN (SELECT id FROM {parent} WHERE clinic_id = "
                       f"current_setting('app.clinic_id')::bigint));")
        if r.random() < 0.3:
            out.append(f"CREATE OR REPLACE VIEW {name}_recent AS\n    SELECT id, {fk}, created_at FROM {name}\n"
                       f"    WHERE created_at > now() - interval '30 days';")
            down.insert(0, f"DROP VIEW IF EXISTS {name}_recent;")
        self.tables.append(name)
        self.indexable.extend((name, col, kind) for col, kind in columns)
        return out, down

    def alter_existing(self, table):
        """One ALTER TABLE: nullable columns, constant defaults, constraints NOT VALID."""
        r = self.rng
        actions, comments, down = [], [], []
        for _ in range(r.randint(1, 4)):
            col, kind = self.clean_column()
            col = f"{col}_{self.uid()}"
            spec = f"ADD COLUMN IF NOT EXISTS {col} {kind}"
            default = self.clean_default(kind)
            if default is not None and r.random() < 0.35:
                spec += f" DEFAULT {default}"
            elif kind in BACKFILL:
                self.to_backfill.append((table, col, kind))
            actions.append(spec)
            down.append(f"DROP COLUMN IF EXISTS {col}")
            self.indexable.append((table, col, kind))
            if r.random() < 0.5:
                comments.append(f"COMMENT ON COLUMN {table}.{col} IS 'Added for the MedicalCor CRM; nullable until backfilled.';")
        if r.random() < 0.4:
            name = f"chk_{table}_{self.uid()}"
            expr = r.choice(["score >= 0", "amount_cents >= 0", "char_length(phone_hash) = 64",
                             "updated_at >= created_at", "priority BETWEEN 0 AND 5",
                             f"status IN ({self.status_list()})"])
            actions.append(f"ADD CONSTRAINT {name} CHECK ({expr}) NOT VALID")
            down.insert(0, f"DROP CONSTRAINT IF EXISTS {name}")
            self.to_validate.append((table, name))
        stmt = f"ALTER TABLE {table}\n    " + ",\n    ".join(actions) + ";"
        return [stmt] + comments, f"ALTER TABLE {table} " + ", ".join(down) + ";"

    def foreign_key(self, table):
        """A foreign key NOT VALID: SHARE ROW EXCLUSIVE on both tables, no scan."""
        r = self.rng
        parent = r.choice([p for p in PARENTS if p != table])
        name = f"fk_{table}_{parent}_{self.uid()}"
        self.to_validate.append((table, name))
        return (f"ALTER TABLE {table} ADD CONSTRAINT {name} FOREIGN KEY ({parent[:-1]}_id) "
                f"REFERENCES {parent}(id) ON DELETE {r.choice(['CASCADE', 'RESTRICT', 'SET NULL'])} NOT VALID;",
                f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name};")

    def slip(self):
        """One statement of the default profile: what review lets through now and then."""
        return getattr(self, self.rng.choice([
            "create_index", "add_column", "add_fk", "add_check", "set_not_null", "change_type",
            "rename_column", "drop_column", "drop_index", "update", "misc"]))()

    # --- files --------------------------------------------------------------------------------

    def feature(self):
        r = self.rng
        up, down = self.timeouts(r.random() < 0.6), []
        for _ in range(r.choice([0, 1, 1, 1, 2])):
            statements, undo = self.new_table()
            up.extend(statements)
            down[:0] = undo
        if r.random() < 0.3:
            up.append(self.seed_rows(r.choice(["clinics", "practitioners"])))
        if r.random() < 0.3:
            fk, undo = self.foreign_key(self.existing())
            up.append(fk)
            down.insert(0, undo)
        if r.random() < 0.75 or len(up) < 4:
            statements, undo = self.alter_existing(self.existing())
            up.extend(statements)
            down.insert(0, undo)
        return up, down, False

    def concurrent_index(self):
        r = self.rng
        n = self.uid()
        candidates = [c for c in self.indexable if c[2] not in ("bytea", "text[]", "interval", "boolean")]
        if candidates and r.random() < 0.7:
            table, col, kind = r.choice(candidates[-200:])
        else:
            table, (col, kind) = self.existing(), r.choice(CLEAN_COLUMNS[:12])
        name = f"idx_{table}_{col}_{n}"
        if table == "embeddings" and r.random() < 0.5:
            name = f"idx_embeddings_hnsw_{n}"
            stmt = (f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON embeddings "
                    f"USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64);")
        elif kind == "jsonb":
            stmt = f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} USING gin ({col} jsonb_path_ops);"
        else:
            unique = "UNIQUE " if col.startswith(("external_id", "correlation_id")) else ""
            cols = col + (", created_at DESC" if r.random() < 0.4 else "")
            where = r.choice(["", "", " WHERE deleted_at IS NULL", f" WHERE {col} IS NOT NULL"])
            stmt = f"CREATE {unique}INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} ({cols}){where};"
        return [stmt], [f"DROP INDEX CONCURRENTLY IF EXISTS {name};"], True

    def validate(self):
        r = self.rng
        if not self.to_validate:
            return self.feature()
        up = self.timeouts(r.random() < 0.5)
        for _ in range(min(len(self.to_validate), r.randint(1, 3))):
            table, name = self.to_validate.pop(0)
            up.append(f"ALTER TABLE {table} VALIDATE CONSTRAINT {name};")
        return up, ["SELECT 1;"], False

    def backfill(self):
        """Batched UPDATEs of a nullable column, then a NOT VALID `IS NOT NULL` check."""
        r = self.rng
        if not self.to_backfill:
            return self.feature()
        table, col, kind = self.to_backfill.pop(r.randrange(len(self.to_backfill)))
        up = self.timeouts()
        step = r.choice([5000, 10000, 50000])
        for batch in range(r.randint(2, 6)):
            up.append(f"UPDATE {table} SET {col} = {BACKFILL[kind]}\n"
                      f"    WHERE id BETWEEN {batch * step + 1} AND {(batch + 1) * step} AND {col} IS NULL;")
        check = f"chk_{table}_{col}_nn"[:63]
        up.append(f"ALTER TABLE {table} ADD CONSTRAINT {check} CHECK ({col} IS NOT NULL) NOT VALID;")
        self.to_set_not_null.append((table, col, check))
        return up, [f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {check};"], False

    def not_null(self):
        """SET NOT NULL once a validated CHECK proves it: PostgreSQL 12+ skips the scan."""
        if not self.to_set_not_null:
            return self.backfill()
        table, col, check = self.to_set_not_null.pop(0)
        up = self.timeouts() + [f"ALTER TABLE {table} VALIDATE CONSTRAINT {check};",
                                f"ALTER TABLE {table} ALTER COLUMN {col} SET NOT NULL;"]
        return up, [f"ALTER TABLE {table} ALTER COLUMN {col} DROP NOT NULL;"], False

    def functions(self):
        r = self.rng
        up, down = self.timeouts(False), []
        for _ in range(r.randint(1, 3)):
            parent = r.choice(PARENTS)
            name = f"count_{parent}_{self.uid()}"
            up.append(f"CREATE OR REPLACE FUNCTION {name}(p_since timestamptz)\nRETURNS bigint\n"
                      f"LANGUAGE sql STABLE\nSET search_path = public, pg_temp\nAS $fn$\n"
                      f"    SELECT count(*) FROM {parent} WHERE created_at >= p_since\n$fn$;")
            up.append(f"COMMENT ON FUNCTION {name}(timestamptz) IS 'Dashboard counter; read-only.';")
            down.append(f"DROP FUNCTION IF EXISTS {name}(timestamptz);")
        if r.random() < 0.5:
            table = self.existing()
            view = f"{table}_active_{self.uid()}"
            up.append(f"CREATE OR REPLACE VIEW {view} AS\n    SELECT id, created_at FROM {table}\n"
                      f"    WHERE deleted_at IS NULL;")
            down.append(f"DROP VIEW IF EXISTS {view};")
        return up, down, False

    def seed_rows(self, table):
        r = self.rng
        rows = ",\n    ".join(f"('{r.choice(STATUSES)}', '{r.choice(['web', 'whatsapp', 'phone', 'referral'])}', "
                               f"{r.randint(0, 100)})" for _ in range(r.randint(2, 8)))
        return f"INSERT INTO {table} (status, channel, score) VALUES\n    {rows}\nON CONFLICT DO NOTHING;"

    def reference_data(self):
        r = self.rng
        up = self.timeouts(False)
        up.append(self.seed_rows(r.choice(["clinics", "practitioners", "consents"])))
        kind = f"{r.choice(['lead', 'case', 'consent'])}_state"
        up.append(f"ALTER TYPE {kind} ADD VALUE IF NOT EXISTS '{r.choice(STATUSES)}_{self.uid()}';")
        return up, ["SELECT 1;"], False

    def tuning(self):
        r = self.rng
        table = self.existing()
        up = self.timeouts(False) + [f"ANALYZE {table};",
                                     f"ALTER TABLE {table} SET (autovacuum_vacuum_scale_factor = "
                                     f"{r.choice(['0.01', '0.02', '0.05'])});"]
        return up, [f"ALTER TABLE {table} RESET (autovacuum_vacuum_scale_factor);"], False

    def migration(self):
        r = self.rng
        names, weights = zip(*self.KINDS)
        up, down, concurrent = getattr(self, r.choices(names, weights)[0])()
        if not concurrent and r.random() < self.SLIP:
            up.insert(r.randint(len(up) // 2, len(up)), self.slip())
        words = r.sample(WORDS, r.randint(2, 4))
        header = f"-- {' '.join(words).capitalize()} for the MedicalCor CRM.\n" if r.random() < 0.6 else ""
        flag = " transaction:false" if concurrent else ""
        body = (f"{header}-- migrate:up{flag}\n" + "\n\n".join(up) + f"\n\n-- migrate:down{flag}\n"
                + "\n".join(down) + "\n")
        return "_".join(words), body


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir")
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--profile", choices=["default", "clean"], default="default",
                        help="default: safe and unsafe mixed; clean: mostly safe, few findings per file")
    args = parser.parse_args()
    if args.files < 1:
        parser.error("--files must be at least 1")

    os.makedirs(args.outdir, exist_ok=True)
    rng = random.Random(args.seed)
    generator = (CleanGenerator if args.profile == "clean" else Generator)(rng)
    stamp = datetime.datetime(2023, 1, 2, 9, 0)
    total = 0
    for _ in range(args.files):
        stamp += datetime.timedelta(minutes=rng.randint(7, 60 * 30))
        slug, body = generator.migration()
        path = os.path.join(args.outdir, f"{stamp:%Y%m%d%H%M}_{slug}.sql")
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(body)
        total += len(body.encode("utf-8"))
    print(f"{args.files} files, {total / 1e6:.2f} MB in {args.outdir}", file=sys.stderr)


if __name__ == "__main__":
    main()
