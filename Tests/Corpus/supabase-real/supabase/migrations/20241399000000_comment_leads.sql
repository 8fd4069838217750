-- An impossible month in 14 digits: LOW at most.
COMMENT ON TABLE public.leads IS 'Leads';
