-- migrate:up
-- Description: Enable the pgvector extension (vector type, HNSW/IVFFlat access methods).
--              gen_random_uuid() is built into PostgreSQL 13+, so no UUID or crypto
--              extension is required.
-- Author: INFRA_AGENT
-- Reversible: YES

CREATE EXTENSION IF NOT EXISTS vector;

-- migrate:down
DROP EXTENSION IF EXISTS vector;
