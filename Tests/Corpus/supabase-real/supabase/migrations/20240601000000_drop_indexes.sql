SET lock_timeout = '5s';
DROP INDEX IF EXISTS public.idx_patients_lead;
DROP INDEX IF EXISTS public.idx_from_the_dashboard;
