import { describe, expect, it } from 'vitest';
import { attrFields, attrsOf } from '../../src/web/pages/dimensions/dimension-attrs.ts';

describe('the dimension form’s attributes', () => {
  it('keeps a channel’s lead supply and lead → deal rate through an edit', () => {
    // Given a channel as stored, When its form is opened and saved unchanged
    const stored = { kind: 'online', monthlyLeadSupply: 1500, leadToDealBp: 1250 };
    const fields = attrFields(stored);
    expect(fields).toEqual({ kind: 'online', monthlyLeadSupply: 1500, leadToDealPct: 12.5 });
    // Then the attrs written back are the stored ones
    expect(attrsOf('channel', fields)).toEqual(stored);
  });

  it('reads a typed percentage as basis points and drops emptied fields', () => {
    expect(attrsOf('channel', { kind: 'partner', leadToDealPct: 3.33 })).toEqual({
      kind: 'partner',
      leadToDealBp: 333,
    });
    expect(
      attrsOf('channel', { kind: 'online', monthlyLeadSupply: null, leadToDealPct: null }),
    ).toEqual({
      kind: 'online',
    });
  });

  it('gives each dimension only the attributes its server schema accepts', () => {
    const all = { kind: 'online', monthlyLeadSupply: 1, leadToDealPct: 1, maturity: 'emerging' };
    expect(attrsOf('region', all)).toEqual({ maturity: 'emerging' });
    expect(attrsOf('segment', all)).toEqual({});
    expect(attrsOf('customer_type', all)).toEqual({});
  });
});
