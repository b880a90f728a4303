import type { Dimension } from '../../api/types.ts';

/** The attribute fields of the dimension form (a rate as a percentage, as people type it). */
export interface AttrFields {
  kind?: string;
  monthlyLeadSupply?: number | null;
  /** Lead → deal rate in %, e.g. 12.5; stored as basis points. */
  leadToDealPct?: number | null;
  maturity?: string;
}

/** Stored attrs → the form's fields. */
export function attrFields(attrs: Record<string, unknown>): AttrFields {
  const out: AttrFields = {};
  if (typeof attrs.kind === 'string') out.kind = attrs.kind;
  if (typeof attrs.monthlyLeadSupply === 'number') out.monthlyLeadSupply = attrs.monthlyLeadSupply;
  if (typeof attrs.leadToDealBp === 'number') out.leadToDealPct = attrs.leadToDealBp / 100;
  if (typeof attrs.maturity === 'string') out.maturity = attrs.maturity;
  return out;
}

/**
 * The form's fields → the attrs the server accepts for that dimension (each has its own strict
 * shape). Every attribute the form shows is written back, so saving a rename keeps the channel's
 * supply and rate; an emptied field drops its attribute.
 */
export function attrsOf(dimension: Dimension, v: AttrFields): Record<string, unknown> {
  if (dimension === 'channel')
    return {
      kind: v.kind,
      ...(v.monthlyLeadSupply != null ? { monthlyLeadSupply: v.monthlyLeadSupply } : {}),
      ...(v.leadToDealPct != null ? { leadToDealBp: Math.round(v.leadToDealPct * 100) } : {}),
    };
  if (dimension === 'region') return { maturity: v.maturity };
  return {};
}
