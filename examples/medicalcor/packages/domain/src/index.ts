export * from './ids.js';
export * from './lead.js';
export * from './patient.js';
export * from './case.js';
export * from './consent.js';
export * from './audit-log.js';
export * from './event.js';
export * from './embedding.js';
