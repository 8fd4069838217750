SET lock_timeout = '5s';
-- The events table becomes partitioned: rename, re-create, attach.
CREATE TABLE IF NOT EXISTS public.events (id bigint NOT NULL, at timestamptz NOT NULL, kind text);
