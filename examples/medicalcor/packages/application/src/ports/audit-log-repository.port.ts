import type { AuditLog } from '@medicalcor/domain';

export interface AuditLogRepositoryPort {
  append(entry: AuditLog): Promise<void>;
  findByResource(resourceType: string, resourceId: string, limit: number): Promise<AuditLog[]>;
}
