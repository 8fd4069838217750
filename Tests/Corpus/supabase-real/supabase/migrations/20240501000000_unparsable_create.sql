SET lock_timeout = '5s';
CREATE TABLE IF NOT EXISTS public.notes (id bigint PRIMARY KEY, body text,);
ALTER TABLE public.notes ADD COLUMN IF NOT EXISTS title text;
CREATE INDEX IF NOT EXISTS idx_notes_title ON public.notes (title);
