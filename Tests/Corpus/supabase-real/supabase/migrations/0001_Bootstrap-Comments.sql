-- Supabase accepts any digits: not a finding.
COMMENT ON SCHEMA public IS 'MedicalCor';
