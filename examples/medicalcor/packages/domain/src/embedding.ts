import type { EmbeddingId } from './ids.js';

/** OpenAI text-embedding-3-small. */
export const EMBEDDING_DIMENSIONS = 1536;

export type EmbeddingSourceType = 'lead' | 'patient' | 'case' | 'document' | 'message';

export interface Embedding {
  readonly id: EmbeddingId;
  readonly sourceType: EmbeddingSourceType;
  readonly sourceId: string;
  /** Hex SHA-256 of the embedded text; the text itself is not stored. */
  readonly contentHash: string;
  readonly model: string;
  readonly vector: readonly number[];
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly createdAt: Date;
}

export interface SimilarityMatch {
  readonly embedding: Omit<Embedding, 'vector'>;
  /** Cosine distance in [0, 2]; 0 means same direction. */
  readonly distance: number;
}

export function assertDimensions(vector: readonly number[]): void {
  if (vector.length !== EMBEDDING_DIMENSIONS) {
    throw new RangeError(`Expected ${EMBEDDING_DIMENSIONS} dimensions, got ${vector.length}`);
  }
}
