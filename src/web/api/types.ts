/**
 * Wire types. Where the server has a zod schema, the type is inferred from it (type-only import:
 * nothing of the server reaches the bundle). The schema is the contract.
 */
import type { z } from 'zod';
import type { meSchema } from '../../api/auth/routes.ts';
import type { memberDetailSchema, memberSchema, membershipSchema, tierSchema } from '../../api/members/schemas.ts';
import type { orgKindSchema, orgUnitSchema } from '../../api/org/schemas.ts';
import type { amountUnitSchema, localeSchema, roleSchema } from '../../api/schemas.ts';

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

export interface Paged<T> {
  items: T[];
  total: number;
}

export * from './pending-types.ts';
