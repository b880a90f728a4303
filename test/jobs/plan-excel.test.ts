import { beforeAll, expect, it } from 'vitest';
import type { Actor } from '../../src/app/actor.ts';
import { cascadePlan } from '../../src/db/plans/cascade.ts';
import { insertCell, updateCells } from '../../src/db/plans/cells.ts';
import { withDims } from '../../src/db/plans/keys.ts';
import { ensureBuiltinMetrics, metricByCode } from '../../src/db/plans/metrics.ts';
import { createPlan, getVersion, touchVersion } from '../../src/db/plans/versions.ts';
import { isAppError, type AppError } from '../../src/domain/errors.ts';
import { exportGridXlsx } from '../../src/app/plan-excel/export-grid.ts';
import { importGridXlsx } from '../../src/app/plan-excel/import-grid.ts';
import { FIXED_NOW, seedFixture, type Fixture } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';
import { openBook } from './plan-excel-workbook.ts';

const WAN = 1_000_000; // 1万元 in fen

describeEachDialect('plan grid Excel round trip', (t) => {
  let fx: Fixture;
  let versionId = 0;
  let metricId = 0;
  let lines: number[] = [];
  let admin: Actor;
  const exportIt = (lang: 'zh-CN' | 'en' = 'zh-CN') =>
    exportGridXlsx(t.db, { versionId, metricCode: 'revenue', lang, actor: admin, now: FIXED_NOW });
  const importIt = (buffer: Buffer) =>
    importGridXlsx(t.db, buffer, { versionId, actor: admin, now: FIXED_NOW });
  const cells = () =>
    t.db
      .selectFrom('target_cells')
      .select(['id', 'owner_type', 'owner_id', 'period', 'product_line_id', 'value', 'locked'])
      .where('version_id', '=', versionId)
      .orderBy('id')
      .execute();
  const cell = async (
    ownerType: 'unit' | 'member',
    ownerId: number,
    period: string,
    productLineId = 0,
  ) =>
    (await cells()).find(
      (c) =>
        c.owner_type === ownerType &&
        c.owner_id === ownerId &&
        c.period === period &&
        c.product_line_id === productLineId,
    )!;
  const refused = async (p: Promise<unknown>): Promise<AppError> => {
    const e = await p.then(
      () => undefined,
      (err: unknown) => err,
    );
    if (!isAppError(e)) throw new Error(`expected an AppError, got ${String(e)}`);
    return e;
  };

  beforeAll(async () => {
    // Given the fixture org, two product lines and 1,200万 cascaded: even months, even per member, lines 3:1
    fx = await seedFixture(t.db);
    const { id: userId } = await t.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'admin')
      .executeTakeFirstOrThrow();
    admin = {
      id: userId,
      username: 'admin',
      displayName: 'admin',
      role: 'admin',
      memberId: null,
      locale: 'zh-CN',
      amountUnit: 'wan',
      scope: { all: true, unitPaths: [], memberId: null },
    };
    for (const code of ['HW', 'SW']) {
      const { id } = await t.db
        .insertInto('product_lines')
        .values({
          parent_id: null,
          code,
          name_zh: code,
          name_en: code,
          path: '',
          updated_at: FIXED_NOW.toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      lines.push(id);
    }
    lines = lines.slice(0, 2);
    await ensureBuiltinMetrics(t.db, FIXED_NOW);
    metricId = (await metricByCode(t.db, 'revenue')).id;
    versionId = (
      await createPlan(
        t.db,
        { fiscalYear: 2026, nameZh: '计划', nameEn: 'Plan' },
        userId,
        FIXED_NOW,
      )
    ).version.id;
    const parent = withDims({ ownerType: 'unit', ownerId: fx.units.hq, period: 'FY2026' });
    await insertCell(t.db, { versionId, metricId, key: parent, value: 1200 * WAN, splitId: null });
    await t.db.transaction().execute((trx) =>
      cascadePlan(
        trx,
        {
          versionId,
          metricId,
          frozenBefore: null,
          fiscalStartMonth: 1,
          lensesJson: '{}',
          userId,
          now: FIXED_NOW,
        },
        {
          parent,
          time: { method: 'even', inputs: {} },
          org: { method: 'even', inputs: {} },
          productLines: {
            method: 'weights',
            inputs: { weights: { [String(lines[0])]: 3, [String(lines[1])]: 1 } },
          },
        },
      ),
    );
  });

  it('writes the org in tree order with formulas for every total and the metadata', async () => {
    const book = await openBook(await exportIt());
    const codes: unknown[] = [];
    for (let r = 3; r <= book.ws.rowCount; r++) codes.push(book.ws.getRow(r).getCell(1).value);
    expect(codes).toEqual(['HQ', 'EAST', 'T1', 'R1', 'R2', 'T2', 'R3', 'WEST', 'T3', 'R4']);
    expect(book.ws.getRow(2).getCell(5).value).toBe('2026-01（万元）');
    // Each rep gets 1,200万 / 12 / 4 = 25万 a month; the team is the SUM of its members' rows.
    expect(book.ws.getRow(book.rowOf('R1')).getCell(5).value).toBe(25);
    const t1 = book.ws.getRow(book.rowOf('T1')).getCell(5).value as {
      formula: string;
      result: number;
    };
    expect(t1).toEqual({ formula: 'SUM(E6:E7)', result: 50 });
    const hq = book.ws.getRow(book.rowOf('HQ')).getCell(5).value as { formula: string };
    expect(hq.formula).toBe('SUM(E4,E10)');
    expect(
      (book.ws.getRow(book.rowOf('R1')).getCell(17).value as { formula: string }).formula,
    ).toBe('SUM(E6:P6)');
    const meta = book.wb.getWorksheet('_meta')!;
    expect(meta.state).toBe('hidden');
    expect(meta.getRow(3).values).toEqual([undefined, 'versionId', versionId]);
    const en = await openBook(await exportIt('en'));
    expect(en.ws.getRow(2).getCell(17).value).toBe('Year (CNY 10k)');
  });

  it('imports an unchanged export as a no-op', async () => {
    const before = await cells();
    const { version: v } = await getVersion(t.db, versionId);
    const r = await importIt(await exportIt());
    expect(r).toEqual({ rows: 10, changed: 0, respread: 0, version: v.version });
    expect(await cells()).toEqual(before);
  });

  it('applies two edited months of a rep with the totals Excel recomputed, and re-spreads their product lines', async () => {
    // When R1 moves 6万 from February to January and Excel recomputes T1, EAST and HQ
    const book = await openBook(await exportIt());
    book.set('R1', '2026-01', 31);
    book.set('R1', '2026-02', 19);
    book.recompute();
    expect(book.get('T1', '2026-01')).toBe(56);
    const r = await importIt(await book.save());
    // Then R1, T1, EAST and HQ change in both months (the year totals stay)
    expect(r.changed).toBe(8);
    expect((await cell('member', fx.members.rep1, '2026-01')).value).toBe(31 * WAN);
    expect((await cell('member', fx.members.rep1, '2026-02')).value).toBe(19 * WAN);
    expect((await cell('unit', fx.units.t1, '2026-01')).value).toBe(56 * WAN);
    expect((await cell('unit', fx.units.hq, '2026-01')).value).toBe(106 * WAN);
    expect((await cell('unit', fx.units.hq, 'FY2026')).value).toBe(1200 * WAN);
    // Product lines below R1's January follow 3:1; nothing edited is left locked
    const hw = await cell('member', fx.members.rep1, '2026-01', lines[0]);
    const sw = await cell('member', fx.members.rep1, '2026-01', lines[1]);
    expect([hw.value, sw.value]).toEqual([23.25 * WAN, 7.75 * WAN]);
    expect((await cell('member', fx.members.rep1, '2026-01')).locked).toBe(0);
    // And the same file again is stale
    const again = await refused(importIt(await book.save()));
    expect(again.problems).toContainEqual(
      expect.objectContaining({ column: '_meta', code: 'VERSION_CONFLICT' }),
    );
  });

  it('refuses a file whose totals no longer match, naming the row and column', async () => {
    const before = await cells();
    const book = await openBook(await exportIt());
    book.set('R1', '2026-03', 30); // not recomputed: T1 and R1's year still show the old sums
    const e = await refused(importIt(await book.save()));
    expect(e.code).toBe('IMPORT_INVALID');
    expect(e.problems).toContainEqual({
      row: book.rowOf('T1'),
      column: '2026-03（万元）',
      code: 'DECOMPOSE_MANUAL_MISMATCH',
      params: { parentId: 'T1 2026-03', sum: '55.000000万', parent: '50.000000万' },
    });
    expect(e.problems).toContainEqual(
      expect.objectContaining({
        row: book.rowOf('R1'),
        column: '全年（万元）',
        code: 'DECOMPOSE_MANUAL_MISMATCH',
      }),
    );
    expect(await cells()).toEqual(before);
  });

  it('refuses unknown codes, bad numbers and edits to locked cells, all at once, applying nothing', async () => {
    const r2Apr = await cell('member', fx.members.rep2, '2026-04');
    await updateCells(t.db, [{ id: r2Apr.id, value: r2Apr.value, locked: true }]);
    const { version: v } = await getVersion(t.db, versionId);
    await touchVersion(t.db, v, v.version);
    const before = await cells();
    const book = await openBook(await exportIt());
    expect(book.ws.getRow(book.rowOf('R2')).getCell(8).fill).toMatchObject({
      fgColor: { argb: 'FFFFE082' },
    });
    expect(book.ws.getRow(book.rowOf('R2')).getCell(18).value).toBe('2026-04');
    book.set('R3', '2026-05', 'abc');
    book.set('R2', '2026-04', 20); // locked
    book.set('R1', '2026-04', 30); // R1 absorbs it, so T1 is unchanged
    book.recompute();
    const extra = book.ws.addRow(['R99', 'Nobody', '人员', 'T1']);
    const e = await refused(importIt(await book.save()));
    expect(e.problems).toEqual(
      expect.arrayContaining([
        {
          row: book.rowOf('R3'),
          column: '2026-05（万元）',
          code: 'MONEY_INVALID',
          params: { value: 'abc' },
        },
        {
          row: book.rowOf('R2'),
          column: '2026-04（万元）',
          code: 'PLAN_CELL_LOCKED',
          params: { key: 'R2 2026-04' },
        },
        {
          row: extra.number,
          column: '编码',
          code: 'REFERENCE_NOT_FOUND',
          params: { entity: 'member', value: 'R99' },
        },
      ]),
    );
    expect(await cells()).toEqual(before);
  });
});
