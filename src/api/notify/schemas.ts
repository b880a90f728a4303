import { z } from 'zod';
import { localeSchema } from '../schemas.ts';

export const channelKindSchema = z.enum(['dingtalk', 'wecom', 'webhook']);
export const severitySchema = z.enum(['info', 'warning', 'critical']);
export const deliveryStateSchema = z.enum([
  'pending',
  'held',
  'digested',
  'sent',
  'failed',
  'dead',
]);

export const channelSchema = z.object({
  id: z.number(),
  kind: channelKindSchema,
  name: z.string(),
  url: z.string().nullable(),
  /** The token (DingTalk access_token / WeCom key) and secret are write-only: set or not, masked. */
  tokenSet: z.boolean(),
  tokenHint: z.string().nullable(),
  secretSet: z.boolean(),
  secretHint: z.string().nullable(),
  keyword: z.string().nullable(),
  locale: localeSchema,
  unitId: z.number().nullable(),
  unitNameZh: z.string().nullable(),
  unitNameEn: z.string().nullable(),
  mode: z.enum(['each', 'digest']),
  digestTime: z.string(),
  alertsMinSeverity: severitySchema.nullable(),
  battleReports: z.boolean(),
  weeklySheets: z.boolean(),
  enabled: z.boolean(),
  consecutiveFailures: z.number(),
  disabledReason: z.string().nullable(),
  lastDelivery: z
    .object({ state: deliveryStateSchema, at: z.string(), error: z.string().nullable() })
    .nullable(),
  /** Messages pending, failed-and-retrying or held for the digest. */
  waiting: z.number(),
  version: z.number(),
  updatedAt: z.string(),
});

const fields = {
  kind: channelKindSchema,
  name: z.string().trim().min(1).max(100),
  url: z.string().trim().max(1000).nullable().optional(),
  /** Omit to keep the stored value. */
  token: z.string().trim().min(1).max(500).optional(),
  /** Omit to keep the stored value; null removes it. */
  secret: z.string().trim().min(1).max(500).nullable().optional(),
  keyword: z.string().trim().max(50).nullable().optional(),
  locale: localeSchema,
  /** null: company-wide; else the unit whose subtree the channel hears of. */
  unitId: z.number().int().positive().nullable(),
  mode: z.enum(['each', 'digest']).default('each'),
  /** China time, HH:MM: when a digest channel gets the day's alerts. */
  digestTime: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM')
    .default('08:30'),
  /** null: no alerts; else alerts of at least this severity. */
  alertsMinSeverity: severitySchema.nullable(),
  battleReports: z.boolean().default(false),
  weeklySheets: z.boolean().default(false),
};

export const createChannelBody = z.object({ ...fields, enabled: z.boolean().optional() });
export const updateChannelBody = z.object({ ...fields, version: z.number().int().positive() });
export const setEnabledBody = z.object({
  enabled: z.boolean(),
  version: z.number().int().positive(),
});

export const testReplySchema = z.object({
  ok: z.boolean(),
  deliveryId: z.number(),
  status: z.number().nullable(),
  body: z.string().nullable(),
  errcode: z.number().nullable(),
  errmsg: z.string().nullable(),
  error: z.string().nullable(),
  waitMs: z.number(),
});

export const deliverySchema = z.object({
  id: z.number(),
  channelId: z.number(),
  channelName: z.string(),
  source: z.string(),
  dedupeKey: z.string(),
  state: deliveryStateSchema,
  title: z.string(),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  requestSummary: z.string().nullable(),
  replyStatus: z.number().nullable(),
  replyBody: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});

export const listDeliveriesQuery = z.object({
  channelId: z.coerce.number().int().positive().optional(),
  state: deliveryStateSchema.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
