/** GDPR erasure: what the domain needs from storage, declared where the domain lives. */
export interface IGdprErasureRepository {
  /** Erases personal data of leads inactive for longer than `hours`; returns how many were erased. */
  purgeInactiveLeads(hours: number): Promise<number>;
}
