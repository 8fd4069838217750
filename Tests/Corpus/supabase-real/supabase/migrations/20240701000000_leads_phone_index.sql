-- Supabase CLI 2.109+ runs a concurrent build standalone: alone in its file, it is all or nothing.
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_leads_phone_hash ON public.leads (phone_hash);
