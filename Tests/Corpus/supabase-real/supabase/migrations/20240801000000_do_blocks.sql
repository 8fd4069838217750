-- DDL inside DO blocks, as real repositories write it: guarded constraints, EXECUTE, loops.
SET lock_timeout = '5s';
ALTER TABLE public.patients ADD COLUMN IF NOT EXISTS clinic_id uuid;
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'patients_clinic_fk') THEN
    ALTER TABLE public.patients ADD CONSTRAINT patients_clinic_fk FOREIGN KEY (clinic_id) REFERENCES public.clinics (id);
  END IF;
END $$;
DO $$
BEGIN
  ALTER TABLE public.clinics ADD CONSTRAINT clinics_name_key UNIQUE (name);
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;
DO $$
BEGIN
  EXECUTE 'CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_patients_clinic_id ON public.patients (clinic_id)';
END $$;
DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT unnest(ARRAY['clinics', 'leads']) LOOP
    EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', t);
  END LOOP;
END $$;
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'lead_status') THEN
    CREATE TYPE public.lead_status AS ENUM ('new', 'won');
  END IF;
END $$;
