import { expect, it } from 'vitest';
import { useApp } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';
import { multipartFile } from '../support/multipart.ts';

describeEachDialect('facts import: US and European dates', (t) => {
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
  const dates = async (prefix: string) =>
    (
      await t.db
        .selectFrom('order_lines')
        .select(['ext_id', 'order_date'])
        .where('ext_id', 'like', `${prefix}%`)
        .orderBy('ext_id')
        .execute()
    ).map((r) => [r.ext_id, r.order_date]);
  const HEAD = '订单行号,下单日期,销售工号,金额\n';

  it('Given one date that only reads day-first, Then the whole file is read DMY', async () => {
    const res = await upload(`${HEAD}E-1,2/3/2026,R1,1\nE-2,14/3/2026,R1,1\nE-3,46086,R1,1\n`);
    expect(res.statusCode).toBe(200);
    expect(await dates('E-')).toEqual([
      ['E-1', '2026-03-02'],
      ['E-2', '2026-03-14'],
      ['E-3', '2026-03-05'],
    ]);
  });

  it('Given only two-way dates, Then it is refused naming both readings, in the request language', async () => {
    const res = await upload(`${HEAD}A-1,2/3/2026,R1,1\n`, '', 'en');
    expect(res.statusCode).toBe(422);
    expect(res.json().problems).toEqual([
      expect.objectContaining({
        row: 2,
        code: 'DATE_AMBIGUOUS',
        message: expect.stringContaining('2026-02-03 as month/day/year (MDY)'),
      }),
    ]);
    expect(await dates('A-')).toEqual([]);
    // When the user chooses MDY, Then it reads.
    const chosen = await upload(`${HEAD}A-1,2/3/2026,R1,1\n`, '?dateFormat=MDY');
    expect(chosen.statusCode).toBe(200);
    expect(await dates('A-')).toEqual([['A-1', '2026-02-03']]);
  });

  it('Given dates of both orders, Then the file is refused as mixed', async () => {
    const res = await upload(
      `${HEAD}M-1,13/3/2026,R1,1\nM-2,3/13/2026,R1,1\n`,
      '?mode=apply-valid',
    );
    expect(res.statusCode).toBe(422);
    expect(res.json().problems).toEqual([expect.objectContaining({ code: 'DATE_FORMAT_MIXED' })]);
    expect(await dates('M-')).toEqual([]);
  });

  it('decides the format in apply-valid mode too, and refuses an unknown format', async () => {
    const res = await upload(`${HEAD}V-1,2/3/2026,R1,1\nV-2,2/13/2026,R1,1\n`, '?mode=apply-valid');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ inserted: 2, rejected: 0 });
    expect(await dates('V-')).toEqual([
      ['V-1', '2026-02-03'],
      ['V-2', '2026-02-13'],
    ]);
    expect((await upload(`${HEAD}V-1,2/3/2026,R1,1\n`, '?dateFormat=XYZ')).statusCode).toBe(400);
  });
});
