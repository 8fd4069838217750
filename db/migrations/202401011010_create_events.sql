-- migrate:up
-- Description: Create the append-only events table (domain event store, one stream per
--              aggregate, optimistic concurrency on stream_version).
-- Author: INFRA_AGENT
-- Reversible: YES

CREATE TABLE IF NOT EXISTS events (
    id              uuid        NOT NULL DEFAULT gen_random_uuid(),
    global_position bigint      GENERATED ALWAYS AS IDENTITY,
    stream_type     text        NOT NULL,
    stream_id       uuid        NOT NULL,
    stream_version  bigint      NOT NULL,
    event_type      text        NOT NULL,
    payload         jsonb       NOT NULL,
    metadata        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    occurred_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT events_pkey PRIMARY KEY (id),
    CONSTRAINT events_global_position_key UNIQUE (global_position),
    CONSTRAINT events_stream_version_key UNIQUE (stream_type, stream_id, stream_version),
    CONSTRAINT events_stream_version_check CHECK (stream_version > 0)
);

CREATE INDEX IF NOT EXISTS idx_events_event_type_occurred_at ON events (event_type, occurred_at);

CREATE OR REPLACE TRIGGER trg_events_append_only
    BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION forbid_append_only_mutation();
CREATE OR REPLACE TRIGGER trg_events_no_truncate
    BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION forbid_append_only_mutation();

REVOKE UPDATE, DELETE, TRUNCATE ON events FROM PUBLIC;

COMMENT ON TABLE events IS
    'Append-only domain event store. Payloads reference patients by id only; PHI is never written to events (GDPR Art. 5(1)(c) data minimisation).';

-- migrate:down
DROP TRIGGER IF EXISTS trg_events_no_truncate ON events;
DROP TRIGGER IF EXISTS trg_events_append_only ON events;
DROP INDEX IF EXISTS idx_events_event_type_occurred_at;
DROP TABLE IF EXISTS events;
