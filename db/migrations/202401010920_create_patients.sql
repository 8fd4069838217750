-- migrate:up
-- Description: Create the patients table. Identifying fields are encrypted by the
--              application (envelope encryption, bytea) and searchable only via hashes.
-- Author: INFRA_AGENT
-- Reversible: YES
SET lock_timeout = '5s';  -- the foreign key locks leads (SHARE ROW EXCLUSIVE): bound the wait
CREATE TABLE IF NOT EXISTS patients (
    id                      uuid        NOT NULL DEFAULT gen_random_uuid(),
    lead_id                 uuid,
    phone_hash              text        NOT NULL,
    email_hash              text,
    full_name_encrypted     bytea       NOT NULL,
    date_of_birth_encrypted bytea,
    preferred_clinic_id     uuid,
    status                  text        NOT NULL DEFAULT 'active',
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT patients_pkey PRIMARY KEY (id),
    CONSTRAINT patients_lead_id_fkey
        FOREIGN KEY (lead_id) REFERENCES leads (id) ON DELETE SET NULL,
    CONSTRAINT patients_status_check
        CHECK (status IN ('active', 'inactive', 'deceased'))
);

-- Foreign-key index: lead_id is the leading column.
CREATE INDEX IF NOT EXISTS idx_patients_lead_id ON patients (lead_id);
CREATE INDEX IF NOT EXISTS idx_patients_phone_hash ON patients (phone_hash);

COMMENT ON TABLE patients IS
    'Patients. Special-category health data (GDPR Art. 9, HIPAA PHI): names and birth dates are application-encrypted, contact details hashed. Access is audited in audit_logs.';
COMMENT ON COLUMN patients.full_name_encrypted IS 'AES-256-GCM ciphertext (envelope-encrypted, key in KMS).';

-- migrate:down
DROP INDEX IF EXISTS idx_patients_phone_hash;
DROP INDEX IF EXISTS idx_patients_lead_id;
DROP TABLE IF EXISTS patients;
