-- migrate:up transaction:false
-- Description: Index leads.phone_hash for deduplication lookups.
--              leads already holds data, so the index is built CONCURRENTLY, which cannot run
--              inside a transaction block (hence transaction:false). dbmate sends a section as ONE
--              query string, and PostgreSQL runs a multi-statement string as an implicit
--              transaction block: so each concurrent build gets a file of its own.
--              If a build fails it leaves an INVALID index: drop it and re-run.
-- Author: INFRA_AGENT
-- Reversible: YES

CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_leads_phone_hash ON leads (phone_hash);

-- migrate:down transaction:false
DROP INDEX CONCURRENTLY IF EXISTS idx_leads_phone_hash;
