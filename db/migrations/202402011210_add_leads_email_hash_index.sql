-- migrate:up transaction:false
-- Description: Index leads.email_hash for deduplication lookups, concurrently and alone in its
--              file for the same reason as 202402011200_add_leads_phone_hash_index.sql.
-- Author: INFRA_AGENT
-- Reversible: YES

CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_leads_email_hash ON leads (email_hash);

-- migrate:down transaction:false
DROP INDEX CONCURRENTLY IF EXISTS idx_leads_email_hash;
