export type { LeadRepositoryPort } from './lead-repository.port.js';
export type { PatientRepositoryPort } from './patient-repository.port.js';
export type { CaseRepositoryPort } from './case-repository.port.js';
export type { AuditLogRepositoryPort } from './audit-log-repository.port.js';
export type { EventStorePort } from './event-store.port.js';
export type { EmbeddingStorePort, SimilarityQuery } from './embedding-store.port.js';
export type { CachePort } from './cache.port.js';
export type { Session, SessionStorePort } from './session-store.port.js';
export type { NotificationPort } from './notification.port.js';
