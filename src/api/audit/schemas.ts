import { z } from 'zod';
import { isoDate } from '../schemas.ts';

export const auditEntrySchema = z.object({
  id: z.number(),
  /** ISO-8601 instant (UTC). */
  at: z.string(),
  userId: z.number().nullable(),
  userDisplayName: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
});
export type AuditEntryDto = z.infer<typeof auditEntrySchema>;

export const listAuditQuery = z.object({
  entity: z.string().trim().max(50).optional(),
  entityId: z.string().trim().max(50).optional(),
  userId: z.coerce.number().int().positive().optional(),
  action: z.string().trim().max(50).optional(),
  /** First day (China time), inclusive. */
  from: isoDate.optional(),
  /** Last day (China time), inclusive. */
  to: isoDate.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
