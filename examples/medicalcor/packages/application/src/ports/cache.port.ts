export interface CachePort {
  get<T>(key: string): Promise<T | null>;
  /** Every entry expires: ttlSeconds is required. */
  set<T>(key: string, value: T, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
}
