declare const brand: unique symbol;

/** A string that the type system keeps apart from other strings of the same shape. */
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type LeadId = Brand<string, 'LeadId'>;
export type PatientId = Brand<string, 'PatientId'>;
export type CaseId = Brand<string, 'CaseId'>;
export type ConsentId = Brand<string, 'ConsentId'>;
export type AuditLogId = Brand<string, 'AuditLogId'>;
export type EventId = Brand<string, 'EventId'>;
export type EmbeddingId = Brand<string, 'EmbeddingId'>;
export type ClinicId = Brand<string, 'ClinicId'>;

/** Hex HMAC-SHA256 of a normalised contact detail; the clear value never reaches storage. */
export type ContactHash = Brand<string, 'ContactHash'>;
