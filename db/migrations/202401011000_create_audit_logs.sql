-- migrate:up
-- Description: Create the append-only audit_logs table (who did what to which resource).
--              UPDATE/DELETE/TRUNCATE are rejected by triggers and revoked from PUBLIC.
-- Author: INFRA_AGENT
-- Reversible: YES

CREATE TABLE IF NOT EXISTS audit_logs (
    id             uuid        NOT NULL DEFAULT gen_random_uuid(),
    occurred_at    timestamptz NOT NULL DEFAULT now(),
    actor_type     text        NOT NULL,
    actor_id       uuid,
    action         text        NOT NULL,
    resource_type  text        NOT NULL,
    resource_id    uuid,
    correlation_id uuid,
    ip_hash        text,
    metadata       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    CONSTRAINT audit_logs_pkey PRIMARY KEY (id),
    CONSTRAINT audit_logs_actor_type_check CHECK (actor_type IN ('user', 'system', 'service'))
);

CREATE INDEX IF NOT EXISTS idx_audit_logs_resource
    ON audit_logs (resource_type, resource_id, occurred_at DESC);
CREATE INDEX IF NOT EXISTS idx_audit_logs_actor_id_occurred_at
    ON audit_logs (actor_id, occurred_at DESC);
-- Append-only, time-ordered: a BRIN index is tiny and serves range scans on occurred_at.
CREATE INDEX IF NOT EXISTS idx_audit_logs_occurred_at_brin
    ON audit_logs USING brin (occurred_at);

CREATE OR REPLACE TRIGGER trg_audit_logs_append_only
    BEFORE UPDATE OR DELETE ON audit_logs
    FOR EACH ROW EXECUTE FUNCTION forbid_append_only_mutation();
CREATE OR REPLACE TRIGGER trg_audit_logs_no_truncate
    BEFORE TRUNCATE ON audit_logs
    FOR EACH STATEMENT EXECUTE FUNCTION forbid_append_only_mutation();

REVOKE UPDATE, DELETE, TRUNCATE ON audit_logs FROM PUBLIC;

COMMENT ON TABLE audit_logs IS
    'Append-only audit trail of access to patient data (HIPAA 164.312(b), GDPR Art. 30). Holds identifiers and hashes only, never PHI values.';

-- migrate:down
DROP TRIGGER IF EXISTS trg_audit_logs_no_truncate ON audit_logs;
DROP TRIGGER IF EXISTS trg_audit_logs_append_only ON audit_logs;
DROP INDEX IF EXISTS idx_audit_logs_occurred_at_brin;
DROP INDEX IF EXISTS idx_audit_logs_actor_id_occurred_at;
DROP INDEX IF EXISTS idx_audit_logs_resource;
DROP TABLE IF EXISTS audit_logs;
