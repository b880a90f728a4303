import { expect, it } from 'vitest';
import { useApp } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';
import { multipartFile } from '../support/multipart.ts';

describeEachDialect('facts import: amounts finer than a fen', (t) => {
  const h = useApp(t);
  const upload = async (content: string, query = '', lang = 'zh-CN') => {
    const { payload, headers } = multipartFile('crm.csv', Buffer.from(content, 'utf8'));
    return h.app.inject({
      method: 'POST',
      url: `/api/facts/orders/import${query}`,
      payload,
      headers: { ...headers, cookie: await h.login('admin'), 'x-locale': lang },
    });
  };
  const amounts = async () =>
    (
      await t.db
        .selectFrom('order_lines')
        .select(['ext_id', 'amount'])
        .where('ext_id', 'like', 'R-%')
        .orderBy('ext_id')
        .execute()
    ).map((r) => [r.ext_id, Number(r.amount)]);
  const file =
    '订单行号,下单日期,销售工号,金额\n' +
    'R-1,2026-03-02,R1,957.5775\n' +
    'R-2,2026-03-03,R1,0.125\n' +
    'R-3,2026-03-03,R3,12.50\n';

  it('refuses 957.5775 by default, naming the value, and writes nothing', async () => {
    const res = await upload(file, '', 'en');
    expect(res.statusCode).toBe(422);
    expect(res.json().problems).toEqual([
      expect.objectContaining({ row: 2, code: 'MONEY_TOO_PRECISE' }),
      expect.objectContaining({ row: 3, code: 'MONEY_TOO_PRECISE' }),
    ]);
    expect(await amounts()).toEqual([]);
  });

  it('rounds half-up and reports how many and by how much', async () => {
    const res = await upload(file, '?rounding=half-up');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      inserted: 3,
      rounded: { count: 2, differenceFen: '0.75' },
    });
    expect(await amounts()).toEqual([
      ['R-1', 95758],
      ['R-2', 13],
      ['R-3', 1250],
    ]);
  });

  it('rounds half-even on the JSON door too', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/facts/orders/batch',
      payload: {
        rounding: 'half-even',
        rows: [
          { extId: 'R-1', date: '2026-03-02', ownerCode: 'R1', amount: '957.5775' },
          { extId: 'R-2', date: '2026-03-03', ownerCode: 'R1', amount: 0.125 },
        ],
      },
      headers: { cookie: await h.login('admin') },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().rounded).toEqual({ count: 2, differenceFen: '-0.25' });
    // R-1 rounds to the same fen as before (unchanged); R-2 now rounds to the even fen.
    expect(res.json()).toMatchObject({ unchanged: 1, updated: 1 });
    expect(await amounts()).toEqual([
      ['R-1', 95758],
      ['R-2', 12],
      ['R-3', 1250],
    ]);
  });

  it('reports nothing rounded for a plain file and refuses an unknown choice', async () => {
    const plain = await upload('订单行号,下单日期,销售工号,金额\nR-9,2026-03-02,R1,10\n');
    expect(plain.json().rounded).toEqual({ count: 0, differenceFen: '0' });
    expect((await upload(file, '?rounding=up')).statusCode).toBe(400);
  });
});
