-- migrate:up
-- Description: Create the consents table (GDPR consent records per patient and purpose).
--              A consent is never deleted; revocation sets revoked_at.
-- Author: INFRA_AGENT
-- Reversible: YES
SET lock_timeout = '5s';  -- the foreign key locks patients (SHARE ROW EXCLUSIVE): bound the wait
CREATE TABLE IF NOT EXISTS consents (
    id           uuid        NOT NULL DEFAULT gen_random_uuid(),
    patient_id   uuid        NOT NULL,
    purpose      text        NOT NULL,
    channel      text        NOT NULL,
    legal_basis  text        NOT NULL DEFAULT 'consent',
    text_version text        NOT NULL,
    granted_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT consents_pkey PRIMARY KEY (id),
    CONSTRAINT consents_patient_id_fkey
        FOREIGN KEY (patient_id) REFERENCES patients (id) ON DELETE RESTRICT,
    CONSTRAINT consents_channel_check
        CHECK (channel IN ('whatsapp', 'sms', 'email', 'phone', 'in_person', 'web')),
    CONSTRAINT consents_revoked_after_granted_check
        CHECK (revoked_at IS NULL OR revoked_at >= granted_at)
);

-- Foreign-key index: patient_id is the leading column.
CREATE INDEX IF NOT EXISTS idx_consents_patient_id_purpose ON consents (patient_id, purpose);
-- At most one active consent per patient and purpose.
CREATE UNIQUE INDEX IF NOT EXISTS uq_consents_active_patient_purpose
    ON consents (patient_id, purpose) WHERE revoked_at IS NULL;

COMMENT ON TABLE consents IS
    'Patient consent records (GDPR Art. 6(1)(a), 7 and 9(2)(a)): proof of consent per purpose; rows are revoked, never deleted.';

-- migrate:down
DROP INDEX IF EXISTS uq_consents_active_patient_purpose;
DROP INDEX IF EXISTS idx_consents_patient_id_purpose;
DROP TABLE IF EXISTS consents;
