import type { ContactHash, Lead, LeadId, LeadStatus } from '@medicalcor/domain';

export interface LeadRepositoryPort {
  findById(id: LeadId): Promise<Lead | null>;
  findByPhoneHash(phoneHash: ContactHash): Promise<Lead[]>;
  listByStatus(status: LeadStatus, limit: number): Promise<Lead[]>;
  save(lead: Lead): Promise<void>;
}
