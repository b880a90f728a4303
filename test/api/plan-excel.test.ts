import { beforeAll, expect, it } from 'vitest';
import { useApp } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';
import { multipartFile } from '../support/multipart.ts';
import { openBook } from '../jobs/plan-excel-workbook.ts';
import { versionOf } from '../support/plan-version.ts';

const WAN = 1_000_000; // 1万元 in fen

describeEachDialect('plans: the grid as an Excel round trip over HTTP', (t) => {
  const h = useApp(t);
  let versionId = 0;
  const { call } = h;
  const download = async (user: string, query = '') => {
    const res = await call(
      user,
      'GET',
      `/api/plan-versions/${versionId}/grid.xlsx?metric=revenue&lang=zh-CN${query}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    return res.rawPayload;
  };
  const upload = async (user: string, file: Buffer) => {
    const { payload, headers } = multipartFile('目标分解.xlsx', file);
    return h.app.inject({
      method: 'POST',
      url: `/api/plan-versions/${versionId}/grid-import`,
      payload,
      headers: { ...headers, cookie: await h.login(user) },
    });
  };
  const gridValue = async (code: string, period: string) => {
    const rows = (await call('admin', 'GET', `/api/plan-versions/${versionId}/grid`)).json()
      .rows as { code: string; cells: Record<string, { value: number } | null> }[];
    return rows.find((r) => r.code === code)?.cells[period]?.value;
  };

  beforeAll(async () => {
    // Given 1,200万 committed and cascaded evenly: 25万 per rep and month
    versionId = (
      await call('admin', 'POST', '/api/plans', {
        fiscalYear: 2026,
        nameZh: '计划',
        nameEn: 'Plan',
      })
    ).json().versions[0].id;
    expect(
      (
        await call('admin', 'PUT', `/api/plan-versions/${versionId}/commit`, {
          version: await versionOf(call, versionId),
          target: 1200 * WAN,
        })
      ).statusCode,
    ).toBe(200);
    const res = await call('admin', 'POST', `/api/plan-versions/${versionId}/decompose`, {
      mode: 'cascade',
      parent: { ownerType: 'unit', ownerId: h.fx.units.hq, period: 'FY2026' },
      method: 'even',
      org: { method: 'even', inputs: {} },
    });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('downloads an .xlsx that uploads back unchanged as a no-op', async () => {
    const res = await call('admin', 'GET', `/api/plan-versions/${versionId}/grid.xlsx?lang=en`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain(`targets-${versionId}-revenue.xlsx`);
    const version = (await call('admin', 'GET', `/api/plan-versions/${versionId}`)).json().version;
    const up = await upload('admin', res.rawPayload);
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json()).toEqual({ rows: 10, changed: 0, respread: 0, version });
  });

  it('gives a manager their subtree and applies their re-split inside it', async () => {
    const book = await openBook(await download('mgrEast'));
    const codes: unknown[] = [];
    for (let r = 3; r <= book.ws.rowCount; r++) codes.push(book.ws.getRow(r).getCell(1).value);
    expect(codes).toEqual(['EAST', 'T1', 'R1', 'R2', 'T2', 'R3']);
    // When mgrEast moves 5万 of January from R2 to R1 (T1 stays 50万)
    book.set('R1', '2026-01', 30);
    book.set('R2', '2026-01', 20);
    book.recompute();
    const res = await upload('mgrEast', await book.save());
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ changed: 2 });
    expect(await gridValue('R1', '2026-01')).toBe(30 * WAN);
    expect(await gridValue('T1', '2026-01')).toBe(50 * WAN);
  });

  it('refuses a manager’s rows outside their subtree, and a total they cannot re-split', async () => {
    // The director's full file with West's January moved into February
    const full = await openBook(await download('admin'));
    full.set('R4', '2026-01', 20);
    full.set('R4', '2026-02', 30);
    full.recompute();
    const res = await upload('mgrEast', await full.save());
    expect(res.statusCode).toBe(422);
    const problems = res.json().problems as { row: number; column: string; code: string }[];
    for (const code of ['HQ', 'WEST', 'T3', 'R4'])
      expect(problems).toContainEqual(
        expect.objectContaining({ row: full.rowOf(code), column: '编码', code: 'FORBIDDEN' }),
      );
    expect(await gridValue('R4', '2026-01')).toBe(25 * WAN);

    // mgrEast's own file, where raising R1 raises East — whose total belongs to the company
    const own = await openBook(await download('mgrEast'));
    own.set('R1', '2026-03', 35);
    own.recompute();
    const up = await upload('mgrEast', await own.save());
    expect(up.statusCode).toBe(422);
    expect(up.json().problems).toContainEqual(
      expect.objectContaining({
        row: own.rowOf('EAST'),
        column: '2026-03（万元）',
        code: 'FORBIDDEN',
      }),
    );
    expect(await gridValue('R1', '2026-03')).toBe(25 * WAN);
  });

  it('lets no rep import targets', async () => {
    const res = await upload('rep1', await download('admin'));
    expect(res.statusCode).toBe(403);
  });
});
