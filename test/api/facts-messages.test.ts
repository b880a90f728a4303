import { expect, it } from 'vitest';
import { useApp } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';
import { multipartFile } from '../support/multipart.ts';

/** FIXED_NOW (test/support/app.ts) is 2026-03-16 in China. */
describeEachDialect('facts import: messages a reader can act on', (t) => {
  const h = useApp(t);
  const upload = async (content: string, lang: string, query = '') => {
    const { payload, headers } = multipartFile('crm.csv', Buffer.from(content, 'utf8'));
    return h.app.inject({
      method: 'POST',
      url: `/api/facts/orders/import${query}`,
      payload,
      headers: { ...headers, cookie: await h.login('admin'), 'x-locale': lang },
    });
  };
  const stored = async (prefix: string) =>
    (
      await t.db
        .selectFrom('order_lines')
        .select('ext_id')
        .where('ext_id', 'like', `${prefix}%`)
        .orderBy('ext_id')
        .execute()
    ).map((r) => r.ext_id);

  it('names a missing column by its English alias for an English reader, by its Chinese one otherwise', async () => {
    const file = '下单日期,销售工号,金额\n2026-03-02,R1,1\n';
    const en = await upload(file, 'en');
    expect(en.statusCode).toBe(422);
    expect(en.json().problems).toContainEqual(
      expect.objectContaining({ column: 'Line id', message: 'Missing required column "Line id"' }),
    );
    const zh = await upload(file, 'zh-CN');
    expect(zh.json().problems).toContainEqual(
      expect.objectContaining({ column: '订单行号', message: '缺少必需的列“订单行号”' }),
    );
  });

  it('says that a unit column also works when the owner column is missing', async () => {
    const res = await upload('Line id,Order date,Amount\nO-1,2026-03-02,1\n', 'en');
    expect(res.statusCode).toBe(422);
    const problem = (
      res.json().problems as { code: string; column: string; message: string }[]
    ).find((p) => p.code === 'IMPORT_MISSING_OWNER_COLUMN');
    expect(problem?.column).toBe('Owner code');
    expect(problem?.message).toBe(
      'Missing required column "Owner code" (a unit column, "Unit code", also works: the rows are then credited to the unit)',
    );
    expect(await stored('O-')).toEqual([]);
  });

  it('reports an unquoted "¥31,000" as a row longer than the header, and nothing else on it', async () => {
    const file =
      'Line id,Order date,Owner code,Amount\n' +
      'Q-1,2026-03-02,R1,100\n' +
      'Q-2,2026-03-03,R1,200\n' +
      'Q-3,2026-03-04,R1,¥31,000\n';
    const res = await upload(file, 'en', '?mode=apply-valid');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ inserted: 2, rejected: 1 });
    expect(res.json().problems).toEqual([
      expect.objectContaining({
        row: 4,
        code: 'IMPORT_ROW_TOO_LONG',
        message: 'Row 4 has 5 columns, the header 4 (an unquoted comma, as in ¥31,000?)',
      }),
    ]);
    const zh = await upload(file.replace(/Q-/g, 'Z-'), 'zh-CN');
    expect(zh.statusCode).toBe(422);
    expect(zh.json().problems.map((p: { message: string }) => p.message)).toEqual([
      '第 4 行有 5 列，表头只有 4 列（可能有未加引号的逗号，如 ¥31,000）',
    ]);
  });

  it('accepts future-dated rows and warns with their count and first rows', async () => {
    const lines = ['Line id,Order date,Owner code,Amount', 'F-0,2026-03-16,R1,1'];
    for (let i = 1; i <= 7; i++) lines.push(`F-${i},2026-03-${16 + i},R1,1`);
    const res = await upload(lines.join('\n') + '\n', 'en');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      inserted: 8,
      futureDated: { count: 7, rows: [3, 4, 5, 6, 7] },
    });
    expect(await stored('F-')).toHaveLength(8);
    const none = await upload('Line id,Order date,Owner code,Amount\nF-0,2026-03-01,R1,1\n', 'en');
    expect(none.json().futureDated).toEqual({ count: 0, rows: [] });
  });
});
