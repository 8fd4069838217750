import type { Pool } from 'pg';
import type { EmbeddingStorePort, SimilarityQuery } from '@medicalcor/application/ports';
import {
  assertDimensions,
  type Embedding,
  type EmbeddingId,
  type EmbeddingSourceType,
  type SimilarityMatch,
} from '@medicalcor/domain';

interface MatchRow {
  id: string;
  source_type: EmbeddingSourceType;
  source_id: string;
  content_hash: string;
  model: string;
  metadata: Record<string, unknown>;
  created_at: Date;
  distance: number;
}

/** pgvector's text input format: '[0.1,0.2,...]'. */
export function toVectorLiteral(vector: readonly number[]): string {
  return `[${vector.join(',')}]`;
}

export interface PgvectorOptions {
  /**
   * hnsw.ef_search: candidates kept during an HNSW scan. It caps how many rows one query can
   * return, so it must be at least the largest LIMIT used.
   */
  readonly efSearch: number;
}

/**
 * Similarity search over embeddings with cosine distance. The "<=>" operator matches the
 * vector_cosine_ops operator class of idx_embeddings_embedding_hnsw, so the index is used.
 */
export class PgvectorEmbeddingStore implements EmbeddingStorePort {
  constructor(
    private readonly pool: Pool,
    private readonly options: PgvectorOptions = { efSearch: 40 },
  ) {}

  async upsert(embedding: Embedding): Promise<void> {
    assertDimensions(embedding.vector);
    await this.pool.query(
      `INSERT INTO embeddings (id, source_type, source_id, content_hash, model, embedding, metadata)
       VALUES ($1, $2, $3, $4, $5, $6::vector, $7)
       ON CONFLICT (source_type, source_id, content_hash) DO UPDATE SET
         model = EXCLUDED.model,
         embedding = EXCLUDED.embedding,
         metadata = EXCLUDED.metadata`,
      [
        embedding.id,
        embedding.sourceType,
        embedding.sourceId,
        embedding.contentHash,
        embedding.model,
        toVectorLiteral(embedding.vector),
        JSON.stringify(embedding.metadata),
      ],
    );
  }

  async searchSimilar(query: SimilarityQuery): Promise<SimilarityMatch[]> {
    assertDimensions(query.vector);
    const limit = Math.min(Math.max(1, query.limit), this.options.efSearch);
    const client = await this.pool.connect();

    try {
      await client.query('BEGIN');
      // SET LOCAL semantics (third argument true): the setting ends with the transaction,
      // so it never leaks to the next user of this pooled connection.
      await client.query(`SELECT set_config('hnsw.ef_search', $1, true)`, [String(this.options.efSearch)]);
      const result = await client.query<MatchRow>(
        `SELECT id, source_type, source_id, content_hash, model, metadata, created_at,
                embedding <=> $1::vector AS distance
         FROM embeddings
         WHERE ($2::text IS NULL OR source_type = $2)
         ORDER BY embedding <=> $1::vector
         LIMIT $3`,
        [toVectorLiteral(query.vector), query.sourceType ?? null, limit],
      );
      await client.query('COMMIT');
      return result.rows.map((row) => ({
        embedding: {
          id: row.id as EmbeddingId,
          sourceType: row.source_type,
          sourceId: row.source_id,
          contentHash: row.content_hash,
          model: row.model,
          metadata: row.metadata,
          createdAt: row.created_at,
        },
        distance: Number(row.distance),
      }));
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }
}
