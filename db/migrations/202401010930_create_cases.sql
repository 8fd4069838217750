-- migrate:up
-- Description: Create the cases table (treatment cases opened for a patient).
-- Author: INFRA_AGENT
-- Reversible: YES
SET lock_timeout = '5s';  -- the foreign key locks patients (SHARE ROW EXCLUSIVE): bound the wait
CREATE TABLE IF NOT EXISTS cases (
    id                    uuid        NOT NULL DEFAULT gen_random_uuid(),
    case_number           bigint      GENERATED ALWAYS AS IDENTITY,
    patient_id            uuid        NOT NULL,
    treatment_type        text        NOT NULL,
    status                text        NOT NULL DEFAULT 'open',
    estimated_value_cents bigint,
    currency              text        NOT NULL DEFAULT 'EUR',
    opened_at             timestamptz NOT NULL DEFAULT now(),
    closed_at             timestamptz,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT cases_pkey PRIMARY KEY (id),
    CONSTRAINT cases_case_number_key UNIQUE (case_number),
    CONSTRAINT cases_patient_id_fkey
        FOREIGN KEY (patient_id) REFERENCES patients (id) ON DELETE RESTRICT,
    CONSTRAINT cases_status_check
        CHECK (status IN ('open', 'in_treatment', 'closed', 'cancelled')),
    CONSTRAINT cases_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT cases_estimated_value_check
        CHECK (estimated_value_cents IS NULL OR estimated_value_cents >= 0),
    CONSTRAINT cases_closed_after_opened_check
        CHECK (closed_at IS NULL OR closed_at >= opened_at)
);

-- Foreign-key index: patient_id is the leading column (also serves "cases of a patient, newest first").
CREATE INDEX IF NOT EXISTS idx_cases_patient_id_opened_at ON cases (patient_id, opened_at DESC);
CREATE INDEX IF NOT EXISTS idx_cases_status ON cases (status);

COMMENT ON TABLE cases IS
    'Treatment cases. Linked to patient health data (GDPR Art. 9, HIPAA PHI); retained for the legal medical-record period.';

-- migrate:down
DROP INDEX IF EXISTS idx_cases_status;
DROP INDEX IF EXISTS idx_cases_patient_id_opened_at;
DROP TABLE IF EXISTS cases;
