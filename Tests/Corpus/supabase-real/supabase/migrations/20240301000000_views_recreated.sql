SET lock_timeout = '5s';
-- A view dropped and re-created in the same file, and a materialized view made here.
DROP VIEW IF EXISTS public.v_open_leads;
CREATE OR REPLACE VIEW public.v_open_leads AS SELECT id, clinic_id, created_at FROM public.leads;
CREATE MATERIALIZED VIEW IF NOT EXISTS public.mv_lead_counts AS SELECT clinic_id, count(*) AS n FROM public.leads GROUP BY clinic_id;
CREATE UNIQUE INDEX IF NOT EXISTS idx_mv_lead_counts ON public.mv_lead_counts (clinic_id);
DROP MATERIALIZED VIEW IF EXISTS public.mv_lead_counts;
