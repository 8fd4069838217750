-- migrate:up
-- Description: Trigger function that makes a table append-only: any UPDATE, DELETE or
--              TRUNCATE raises an error. Used by audit_logs and events.
-- Author: INFRA_AGENT
-- Reversible: YES

CREATE OR REPLACE FUNCTION forbid_append_only_mutation()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
BEGIN
    RAISE EXCEPTION 'table %.% is append-only: % is not allowed', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Write a new row (e.g. a compensating event) instead of changing history.';
END;
$$;

COMMENT ON FUNCTION forbid_append_only_mutation() IS
    'Append-only guard for audit_logs and events (HIPAA 164.312(b) audit controls, tamper evidence).';

-- migrate:down
DROP FUNCTION IF EXISTS forbid_append_only_mutation();
