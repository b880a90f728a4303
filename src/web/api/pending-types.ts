/**
 * Contracts of API features still being built (products, customers, dimensions, settings,
 * calendar, users, audit, imports). These mirror the agreed contract by hand only until each
 * feature's `src/api/<feature>/schemas.ts` lands; then the type moves to `types.ts` as a
 * `z.infer` of that schema and disappears from here.
 */
import type { AmountUnit, Locale, Role } from './types.ts';

export interface ProductLine {
  id: number;
  parentId: number | null;
  code: string;
  nameZh: string;
  nameEn: string;
  path: string;
  sortOrder: number;
  productCount: number;
  version: number;
}

export interface Product {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  productLineId: number;
  productLineNameZh: string | null;
  productLineNameEn: string | null;
  /** Gross margin in basis points (1% = 100). */
  grossMarginBp: number | null;
  /** List price in fen. */
  listPrice: number | null;
  version: number;
}

export const DIMENSIONS = ['channel', 'region', 'segment', 'customer_type'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface DimensionItem {
  id: number;
  dimension: Dimension;
  code: string;
  nameZh: string;
  nameEn: string;
  attrs: Record<string, unknown>;
  sortOrder: number;
  version: number;
}

export type CustomerTier = 'A' | 'B' | 'C';

export interface Customer {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  segmentId: number | null;
  segmentNameZh: string | null;
  segmentNameEn: string | null;
  customerTypeId: number | null;
  regionId: number | null;
  ownerMemberId: number | null;
  ownerNameZh: string | null;
  ownerNameEn: string | null;
  /** fen */
  annualPurchase: number;
  tier: CustomerTier;
  version: number;
}

export interface Settings {
  fiscalYearStartMonth: number;
  customerTierRules: { tier: CustomerTier; minAnnualPurchase: number }[];
  companyNameZh: string;
  companyNameEn: string;
  version: number;
}

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup';

export interface CalendarYear {
  year: number;
  hasOfficialData: boolean;
  workingDays: number;
  days: { date: string; working: boolean; kind: DayKind; name: string | null; override?: boolean }[];
}

export interface User {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  memberId: number | null;
  memberNameZh?: string | null;
  memberNameEn?: string | null;
  locale: Locale;
  amountUnit: AmountUnit;
  active: boolean;
  version: number;
}

export interface AuditEntry {
  id: number;
  at: string;
  userId: number | null;
  username: string | null;
  action: string;
  entity: string;
  entityId: number | null;
  before: unknown;
  after: unknown;
}

export const IMPORT_KINDS = [
  'org-units',
  'members',
  'product-lines',
  'products',
  'customers',
  'channels',
  'regions',
  'segments',
] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export interface ImportResult {
  batchId: number | string;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
}
