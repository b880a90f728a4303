import { describe, expect, it } from 'vitest';
import { factColumns } from '../../src/api/facts/routes.ts';
import { fieldOfHeader } from '../../src/web/pages/actuals/facts-api.ts';

describe('the mapping editor’s first guess', () => {
  const orders = factColumns('orders');
  it('knows every header the importer reads without a mapping, the importer’s way', () => {
    // Given a CRM export's headers, Then each known one is pre-selected as its field
    expect(
      [
        'Line ID',
        'Close Date',
        'Sales Rep',
        'Account',
        'SKU',
        'Revenue',
        '金额（万元）',
        '*工号',
      ].map((h) => fieldOfHeader(orders, h)),
    ).toEqual([
      'extId',
      'date',
      'ownerCode',
      'customer',
      'product',
      'amount',
      'amount',
      'ownerCode',
    ]);
  });

  it('leaves a header nobody knows for the user to choose', () => {
    expect(fieldOfHeader(orders, 'Opportunity stage')).toBeNull();
    expect(fieldOfHeader(orders, 'Order ID')).toBeNull();
  });
});
