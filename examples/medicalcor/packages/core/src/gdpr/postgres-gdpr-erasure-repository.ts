import type { IGdprErasureRepository } from '@medicalcor/domain';

/** What this store needs of a connection pool: node-postgres' Pool satisfies it, and so do fakes. */
export interface Queryable {
  query(text: string, values?: readonly unknown[]): Promise<{ rowCount: number | null }>;
}

export class PostgresGdprErasureRepository implements IGdprErasureRepository {
  constructor(private readonly db: Queryable) {}

  async purgeInactiveLeads(hours: number): Promise<number> {
    const result = await this.db.query(
      `UPDATE leads SET phone_hash = 'erased', email_hash = NULL
       WHERE updated_at < now() - INTERVAL '${hours} hours' AND status = 'lost'`,
    );
    return result.rowCount ?? 0;
  }
}
