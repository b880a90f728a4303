import { z } from 'zod';
import { isoDate } from '../schemas.ts';

export const tierSchema = z.enum(['senior', 'regular', 'new']);

export const membershipSchema = z.object({
  id: z.number(),
  orgUnitId: z.number(),
  unitNameZh: z.string(),
  unitNameEn: z.string(),
  startDate: z.string(),
  endDate: z.string().nullable(),
});

export const memberSchema = z.object({
  id: z.number(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  tier: tierSchema,
  hireDate: z.string(),
  leaveDate: z.string().nullable(),
  email: z.string().nullable(),
  /** The mobile DingTalk robots @-mention the member by. */
  dingtalkMobile: z.string().nullable(),
  /** The WeCom user id WeCom robots @-mention the member by. */
  wecomUserId: z.string().nullable(),
  /** The unit the member belongs to on the `asOf` date (today by default). */
  unitId: z.number().nullable(),
  unitNameZh: z.string().nullable(),
  unitNameEn: z.string().nullable(),
  version: z.number(),
});
export type MemberDto = z.infer<typeof memberSchema>;

export const memberDetailSchema = memberSchema.extend({ memberships: z.array(membershipSchema) });

const fields = {
  code: z.string().trim().min(1).max(50),
  nameZh: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().min(1).max(100),
  tier: tierSchema,
  hireDate: isoDate,
  leaveDate: isoDate.nullable().optional(),
  email: z.string().trim().max(200).nullable().optional(),
  /** Omit on an update to keep the stored value. */
  dingtalkMobile: z
    .string()
    .trim()
    .regex(/^\+?[0-9-]{5,20}$/, 'a mobile number')
    .nullable()
    .optional()
    .or(z.literal('').transform(() => null)),
  wecomUserId: z.string().trim().max(64).nullable().optional(),
};

export const createMemberBody = z.object({ ...fields, unitId: z.number().int().positive() });
export const updateMemberBody = z.object({ ...fields, version: z.number().int().positive() });
/** What happens to the member's remaining target (METHOD §11): move, keep or re-split. */
export const transferDecisionSchema = z.enum(['move', 'keep', 'resplit']);
export const transferBody = z.object({
  unitId: z.number().int().positive(),
  /** First day in the new unit; the old membership ends the day before. */
  date: isoDate,
  version: z.number().int().positive(),
  /** Required when the member has target cells from the first handed-over month on (see GET …/transfer-targets). */
  targets: z
    .object({
      decision: transferDecisionSchema,
      /** resplit: the member's target in the new unit per metric code (default 0), spread over the months like the old one. */
      newUnitAmounts: z.record(z.string(), z.number().int().safe().min(0)).optional(),
    })
    .optional(),
});
export const transferTargetsQuery = z.object({
  unitId: z.coerce.number().int().positive(),
  date: isoDate,
});
export const transferTargetsSchema = z.object({
  date: z.string(),
  /** The first month handed over: the transfer month when it starts on the 1st, else the next one. */
  fromMonth: z.string(),
  needsDecision: z.boolean(),
  targets: z.array(
    z.object({
      versionId: z.number(),
      versionNumber: z.number(),
      status: z.enum(['draft', 'active']),
      fiscalYear: z.number(),
      planNameZh: z.string(),
      planNameEn: z.string(),
      metric: z.string(),
      metricNameZh: z.string(),
      metricNameEn: z.string(),
      metricUnit: z.string(),
      total: z.number().int(),
      months: z.array(z.object({ period: z.string(), value: z.number().int() })),
    }),
  ),
});
export const listMembersQuery = z.object({
  q: z.string().trim().max(100).optional(),
  unitId: z.coerce.number().int().positive().optional(),
  tier: tierSchema.optional(),
  asOf: isoDate.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(20),
});
