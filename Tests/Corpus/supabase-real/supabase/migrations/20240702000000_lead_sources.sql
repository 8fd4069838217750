CREATE TABLE IF NOT EXISTS public.lead_sources (id uuid PRIMARY KEY, name text NOT NULL);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_leads_created_at ON public.leads (created_at);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_lead_sources_name ON public.lead_sources (name);
