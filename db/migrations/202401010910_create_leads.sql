-- migrate:up
-- Description: Create the leads table (marketing leads before they become patients).
--              Contact details are stored only as keyed hashes, never in clear text.
-- Author: INFRA_AGENT
-- Reversible: YES

CREATE TABLE IF NOT EXISTS leads (
    id               uuid        NOT NULL DEFAULT gen_random_uuid(),
    phone_hash       text        NOT NULL,
    email_hash       text,
    source           text        NOT NULL DEFAULT 'unknown',
    utm_campaign     text,
    status           text        NOT NULL DEFAULT 'new',
    contact_attempts bigint      NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT leads_pkey PRIMARY KEY (id),
    CONSTRAINT leads_status_check
        CHECK (status IN ('new', 'contacted', 'qualified', 'converted', 'lost')),
    CONSTRAINT leads_contact_attempts_check CHECK (contact_attempts >= 0)
);

-- New, empty table: a plain (non-concurrent) index build takes no meaningful lock time.
CREATE INDEX IF NOT EXISTS idx_leads_status_created_at ON leads (status, created_at DESC);

COMMENT ON TABLE leads IS
    'Marketing leads. Contains pseudonymised personal data (GDPR Art. 4(5)): phone and e-mail are stored as HMAC-SHA256 hashes only.';
COMMENT ON COLUMN leads.phone_hash IS 'HMAC-SHA256 of the E.164 phone number (hex); never the number itself.';
COMMENT ON COLUMN leads.email_hash IS 'HMAC-SHA256 of the lower-cased e-mail address (hex).';

-- migrate:down
DROP INDEX IF EXISTS idx_leads_status_created_at;
DROP TABLE IF EXISTS leads;
