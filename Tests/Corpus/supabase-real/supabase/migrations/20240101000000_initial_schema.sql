-- The project's first migration: tables, then RLS enabled and forced on all of them.
CREATE TABLE IF NOT EXISTS public.clinics (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text NOT NULL);
CREATE TABLE IF NOT EXISTS public.leads (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    clinic_id uuid NOT NULL REFERENCES public.clinics (id),
    phone_hash text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS public.patients (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), lead_id uuid REFERENCES public.leads (id));
CREATE INDEX IF NOT EXISTS idx_leads_clinic ON public.leads (clinic_id);
CREATE INDEX IF NOT EXISTS idx_patients_lead ON public.patients (lead_id);
ALTER TABLE public.clinics ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.leads ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.patients ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.clinics FORCE ROW LEVEL SECURITY;
ALTER TABLE public.leads FORCE ROW LEVEL SECURITY;
ALTER TABLE public.patients FORCE ROW LEVEL SECURITY;
CREATE OR REPLACE VIEW public.v_open_leads AS SELECT id, clinic_id FROM public.leads;
