/** The audit writer lives with the data layer; re-exported for the API's handlers. */
export { audit, type AuditEntry } from '../db/audit.ts';
