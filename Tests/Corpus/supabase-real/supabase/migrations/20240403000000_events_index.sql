SET lock_timeout = '5s';
-- An index on the now-partitioned table, in a later file.
CREATE INDEX IF NOT EXISTS idx_events_kind ON public.events (kind, at DESC);
