-- Production drift, as `make demo` simulates it: changes made by hand on the live database,
-- outside the migrations in db/. Each one is something the live audit must notice.
-- (Nothing here is ever applied by the migrations; the demo runs it after db/workload.sql.)

-- A hotfix index created twice under two names: duplicate-index.
CREATE INDEX IF NOT EXISTS idx_leads_phone_hash_hotfix ON leads (phone_hash);

-- A constraint added NOT VALID during an incident and never validated: not-valid-constraint.
ALTER TABLE consents DROP CONSTRAINT IF EXISTS consents_purpose_not_blank;
ALTER TABLE consents ADD CONSTRAINT consents_purpose_not_blank CHECK (purpose <> '') NOT VALID;

-- A staging table for a lead import, UNLOGGED "for speed", without a primary key or a comment:
-- unlogged-table (rows vanish after a crash), table-without-primary-key, table-without-comment.
CREATE UNLOGGED TABLE IF NOT EXISTS lead_import_staging (
    phone_hash  text,
    source      text,
    imported_at timestamptz DEFAULT now()
);
