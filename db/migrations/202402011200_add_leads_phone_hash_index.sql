-- migrate:up transaction:false
-- Description: Index leads.phone_hash and leads.email_hash for deduplication lookups.
--              leads already holds data, so the indexes are built CONCURRENTLY, which
--              cannot run inside a transaction block (hence transaction:false).
--              If a build fails it leaves an INVALID index: drop it and re-run.
-- Author: INFRA_AGENT
-- Reversible: YES

CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_leads_phone_hash ON leads (phone_hash);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_leads_email_hash ON leads (email_hash);

-- migrate:down transaction:false
DROP INDEX CONCURRENTLY IF EXISTS idx_leads_email_hash;
DROP INDEX CONCURRENTLY IF EXISTS idx_leads_phone_hash;
