import { expect, it } from 'vitest';
import { useApp } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';
import { multipartFile } from '../support/multipart.ts';

describeEachDialect('a saved column mapping keeps its rounding and date format', (t) => {
  const h = useApp(t);
  const upload = async (content: string, query: string) => {
    const { payload, headers } = multipartFile('crm.csv', Buffer.from(content, 'utf8'));
    return h.app.inject({
      method: 'POST',
      url: `/api/facts/orders/import${query}`,
      payload,
      headers: { ...headers, cookie: await h.login('admin'), 'x-locale': 'en' },
    });
  };
  const stored = async () =>
    t.db
      .selectFrom('order_lines')
      .select(['ext_id', 'order_date', 'amount'])
      .where('ext_id', 'like', 'US-%')
      .orderBy('ext_id')
      .execute();
  // A US CRM: its own headers, amounts to 4 decimals, dates month first
  const file = 'Row,Closed on,Rep,Revenue\nUS-1,3/2/2026,R1,957.5775\nUS-2,3/4/2026,R1,0.125\n';
  let id = 0;

  it('Given a mapping saved with half-even and MDY, When a file is imported with it, Then it is read that way', async () => {
    const saved = await h.call('admin', 'POST', '/api/facts/mappings', {
      kind: 'orders',
      name: 'US CRM',
      mapping: { Row: 'extId', 'Closed on': 'date', Rep: 'ownerCode', Revenue: 'amount' },
      options: { rounding: 'half-even', dateFormat: 'MDY' },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    id = saved.json().id;
    expect(saved.json().options).toEqual({ rounding: 'half-even', dateFormat: 'MDY' });
    const listed = await h.call('admin', 'GET', '/api/facts/mappings?kind=orders');
    expect(listed.json()).toEqual(
      expect.arrayContaining([expect.objectContaining({ id, options: saved.json().options })]),
    );

    const res = await upload(file, `?mapping=${id}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ inserted: 2, rounded: { count: 2 } });
    expect(await stored()).toEqual([
      { ext_id: 'US-1', order_date: '2026-03-02', amount: 95_758 },
      { ext_id: 'US-2', order_date: '2026-03-04', amount: 12 },
    ]);
  });

  it('an import that chooses its own rounding wins over the mapping’s', async () => {
    const res = await upload(file.replace(/US-/g, 'US-X'), `?mapping=${id}&rounding=half-up`);
    expect(res.statusCode, res.body).toBe(200);
    const x2 = (await stored()).find((r) => r.ext_id === 'US-X2');
    // 0.125 half-up → 13 fen (half-even gave 12)
    expect(x2).toMatchObject({ amount: 13, order_date: '2026-03-04' });
  });

  it('the options are changed with the mapping and cleared to the defaults', async () => {
    const version = (await h.call('admin', 'GET', '/api/facts/mappings?kind=orders'))
      .json()
      .find((m: { id: number }) => m.id === id).version;
    const res = await h.call('admin', 'PUT', `/api/facts/mappings/${id}`, {
      version,
      options: { rounding: 'none', dateFormat: 'auto' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().options).toEqual({});
    // Without the options 957.5775 is refused again
    expect((await upload(file.replace(/US-/g, 'US-Y'), `?mapping=${id}`)).statusCode).toBe(422);
  });
});
