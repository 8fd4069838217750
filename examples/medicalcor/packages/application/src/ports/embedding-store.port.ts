import type { Embedding, EmbeddingSourceType, SimilarityMatch } from '@medicalcor/domain';

export interface SimilarityQuery {
  readonly vector: readonly number[];
  readonly limit: number;
  readonly sourceType?: EmbeddingSourceType;
}

export interface EmbeddingStorePort {
  upsert(embedding: Embedding): Promise<void>;
  searchSimilar(query: SimilarityQuery): Promise<SimilarityMatch[]>;
}
