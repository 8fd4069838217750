SET lock_timeout = '5s';
ALTER TABLE public.events RENAME TO events_old;
CREATE TABLE IF NOT EXISTS public.events (id bigint NOT NULL, at timestamptz NOT NULL, kind text) PARTITION BY RANGE (at);
CREATE TABLE IF NOT EXISTS public.events_2024 PARTITION OF public.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE IF NOT EXISTS public.events_2025 PARTITION OF public.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE IF NOT EXISTS public.events_default PARTITION OF public.events DEFAULT;
CREATE INDEX IF NOT EXISTS idx_events_at ON public.events (at);
