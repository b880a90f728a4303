/**
 * Wire types, inferred from the server's zod schemas (type-only imports: nothing of the server
 * reaches the bundle). The schema is the contract; nothing here is copied by hand.
 */
import type { z } from 'zod';
import type { auditEntrySchema } from '../../api/audit/schemas.ts';
import type { meSchema } from '../../api/auth/schemas.ts';
import type {
  calendarDaySchema,
  calendarYearSchema,
  overrideKindSchema,
} from '../../api/calendar/schemas.ts';
import type { customerSchema, customerTierSchema } from '../../api/customers/schemas.ts';
import type { dimensionMemberSchema, dimensionSchema } from '../../api/dimensions/schemas.ts';
import type { importResultSchema } from '../../api/imports/routes.ts';
import type {
  memberDetailSchema,
  memberSchema,
  membershipSchema,
  tierSchema,
} from '../../api/members/schemas.ts';
import type { channelSchema, deliverySchema, testReplySchema } from '../../api/notify/schemas.ts';
import type { orgKindSchema, orgUnitSchema } from '../../api/org/schemas.ts';
import type { productLineSchema } from '../../api/product-lines/schemas.ts';
import type { productSchema } from '../../api/products/schemas.ts';
import type { amountUnitSchema, localeSchema, roleSchema } from '../../api/schemas.ts';
import type { settingsSchema, updateSettingsResponse } from '../../api/settings/schemas.ts';
import type { userSchema } from '../../api/users/schemas.ts';
import type { MasterKindName } from '../../app/import-master/kinds.ts';

export type Me = z.infer<typeof meSchema>;
export type Role = z.infer<typeof roleSchema>;
export type Locale = z.infer<typeof localeSchema>;
export type AmountUnit = z.infer<typeof amountUnitSchema>;

export type OrgUnit = z.infer<typeof orgUnitSchema>;
export type OrgKind = z.infer<typeof orgKindSchema>;

export type Member = z.infer<typeof memberSchema>;
export type MemberDetail = z.infer<typeof memberDetailSchema>;
export type Membership = z.infer<typeof membershipSchema>;
export type Tier = z.infer<typeof tierSchema>;

export type ProductLine = z.infer<typeof productLineSchema>;
export type Product = z.infer<typeof productSchema>;

export type Dimension = z.infer<typeof dimensionSchema>;
export type DimensionItem = z.infer<typeof dimensionMemberSchema>;
export const DIMENSIONS: readonly Dimension[] = ['channel', 'region', 'segment', 'customer_type'];

export type Customer = z.infer<typeof customerSchema>;
export type CustomerTier = z.infer<typeof customerTierSchema>;

export type Settings = z.infer<typeof settingsSchema>;
export type SettingsSaved = z.infer<typeof updateSettingsResponse>;

export type CalendarYear = z.infer<typeof calendarYearSchema>;
export type CalendarDay = z.infer<typeof calendarDaySchema>;
export type DayKind = CalendarDay['kind'];
export type OverrideKind = z.infer<typeof overrideKindSchema>;

export type User = z.infer<typeof userSchema>;
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export type ImportKind = MasterKindName;
export type ImportResult = z.infer<typeof importResultSchema>;

export interface Paged<T> {
  items: T[];
  total: number;
}

/** A background job as /api/jobs returns it (the server's schema, not a copy). */
export type JobView = z.infer<typeof import('../../api/jobs/schemas.ts').jobViewSchema>;

export type NotifyChannel = z.infer<typeof channelSchema>;
export type NotifyDelivery = z.infer<typeof deliverySchema>;
export type NotifyTestReply = z.infer<typeof testReplySchema>;
