-- migrate:up
-- Description: Create the embeddings table (pgvector, 1536 dimensions for OpenAI
--              text-embedding-3-small) with an HNSW index for cosine distance (<=>).
-- Author: INFRA_AGENT
-- Reversible: YES

CREATE TABLE IF NOT EXISTS embeddings (
    id           uuid         NOT NULL DEFAULT gen_random_uuid(),
    source_type  text         NOT NULL,
    source_id    uuid         NOT NULL,
    content_hash text         NOT NULL,
    model        text         NOT NULL DEFAULT 'text-embedding-3-small',
    embedding    vector(1536) NOT NULL,
    metadata     jsonb        NOT NULL DEFAULT '{}'::jsonb,
    created_at   timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT embeddings_pkey PRIMARY KEY (id),
    -- Also serves lookups by (source_type, source_id): they are its leading columns.
    CONSTRAINT embeddings_source_content_key UNIQUE (source_type, source_id, content_hash),
    CONSTRAINT embeddings_source_type_check
        CHECK (source_type IN ('lead', 'patient', 'case', 'document', 'message')),
    CONSTRAINT embeddings_content_hash_check CHECK (content_hash ~ '^[0-9a-f]{64}$')
);

-- The operator class must match the query operator: vector_cosine_ops <-> "<=>".
-- New, empty table: the build is instant, no CONCURRENTLY needed.
CREATE INDEX IF NOT EXISTS idx_embeddings_embedding_hnsw
    ON embeddings USING hnsw (embedding vector_cosine_ops)
    WITH (m = 16, ef_construction = 64);

COMMENT ON TABLE embeddings IS
    'Vector embeddings of leads, cases and documents. Derived from patient data (GDPR Art. 9): deleted with their source; content is referenced by SHA-256 hash, never stored.';

-- migrate:down
DROP INDEX IF EXISTS idx_embeddings_embedding_hnsw;
DROP TABLE IF EXISTS embeddings;
