import ExcelJS from 'exceljs';
import { expect, it } from 'vitest';
import { useApp } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';
import { multipartFile } from '../support/multipart.ts';

describeEachDialect('imports over HTTP', (t) => {
  const h = useApp(t);
  const upload = async (
    user: string,
    kind: string,
    name: string,
    content: string,
    query = '',
    lang = 'zh-CN',
  ) => {
    const { payload, headers } = multipartFile(name, Buffer.from(content, 'utf8'));
    return h.app.inject({
      method: 'POST',
      url: `/api/imports/${kind}${query}`,
      payload,
      headers: { ...headers, cookie: await h.login(user), 'x-locale': lang },
    });
  };

  it('applies a good file and reports the counts', async () => {
    const res = await upload(
      'admin',
      'members',
      'm.csv',
      '工号,姓名,职级,入职日期,所属组织编码\nR9,新人九,新人,2026-03-01,T1\n',
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ rows: 1, created: 1, updated: 0, unchanged: 0 });
    const batches = await h.app.inject({
      method: 'GET',
      url: '/api/imports',
      headers: { cookie: await h.login('admin') },
    });
    expect(batches.json().items[0]).toMatchObject({
      kind: 'members',
      fileName: 'm.csv',
      created: 1,
    });
  });

  it('answers 422 with translated row-level problems and applies nothing', async () => {
    const body = 'Employee code,Name,Tier,Hire date,Unit code\nR10,Ten,boss,2026-13-01,T1\n';
    const res = await upload('admin', 'members', 'bad.csv', body, '', 'en');
    expect(res.statusCode).toBe(422);
    const json = res.json();
    expect(json.code).toBe('IMPORT_INVALID');
    expect(json.message).toBe('The file has 2 problem(s); nothing was changed');
    expect(json.problems.map((p: { row: number; column: string }) => [p.row, p.column])).toEqual([
      [2, 'Tier'],
      [2, 'Hire date'],
    ]);
    expect(json.problems[1].message).toContain('2026-13-01');
    const zh = await upload('admin', 'members', 'bad.csv', body, '', 'zh-CN');
    expect(zh.json().message).toBe('文件有 2 处错误，未做任何更改');
  });

  it('lets a manager import into their subtree but not outside it', async () => {
    const inside = await upload(
      'mgrEast',
      'members',
      'm.csv',
      '工号,姓名,职级,入职日期,所属组织编码\nR11,十一,普通,2026-03-01,T2\n',
    );
    expect(inside.statusCode).toBe(200);
    const outside = await upload(
      'mgrEast',
      'members',
      'm.csv',
      '工号,姓名,职级,入职日期,所属组织编码\nR12,十二,普通,2026-03-01,T3\n',
    );
    expect(outside.statusCode).toBe(422);
    expect(outside.json().problems[0]).toMatchObject({
      row: 2,
      column: '所属组织编码',
      code: 'FORBIDDEN',
    });
  });

  it('refuses catalogue imports by non-admins and any import by a rep', async () => {
    expect(
      (await upload('mgrEast', 'products', 'p.csv', '产品编码,产品名称,产品线\nP1,一,X\n'))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await upload(
          'rep1',
          'members',
          'm.csv',
          '工号,姓名,职级,入职日期,所属组织编码\nR13,x,普通,2026-03-01,T1\n',
        )
      ).statusCode,
    ).toBe(403);
  });

  it('serves a template with starred required headers in the asked language', async () => {
    const res = await h.app.inject({
      method: 'GET',
      url: '/api/imports/members/template?lang=en',
      headers: { cookie: await h.login('admin') },
    });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const header = wb.worksheets[0]!.getRow(1).values as string[];
    expect(header).toContain('*Employee code');
    expect(header).toContain('*Hire date');
  });

  it('exports only what the caller may see', async () => {
    const res = await h.app.inject({
      method: 'GET',
      url: '/api/exports/members?format=csv',
      headers: { cookie: await h.login('mgrWest') },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const codes = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((l) => l.split(',')[0]);
    expect(codes).toEqual(['M-W', 'R4']);
  });
});
