import { beforeAll, expect, it } from 'vitest';
import { exportMasterData } from '../../../src/app/import-master/export-master-data.ts';
import { importMasterData } from '../../../src/app/import-master/import-master-data.ts';
import { readTable } from '../../../src/app/import/read-table.ts';
import { AppError } from '../../../src/domain/errors.ts';
import { FIXED_NOW, seedFixture } from '../../support/app.ts';
import { describeEachDialect } from '../../support/databases.ts';
import { actorOf, snapshot, withFailingAudit } from '../support.ts';

const csv = (lines: string[]) => Buffer.from(lines.join('\r\n'), 'utf8');
const MEMBERS = '工号,姓名,英文名,职级,入职日期,所属组织编码';

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

/** HQ › East (mgrEast) › T1, T2; West (mgrWest) › T3 — unit codes HQ, EAST, WEST, T1, T2, T3. */
describeEachDialect('master data import and export (operations)', (t) => {
  beforeAll(async () => {
    await seedFixture(t.db);
  });

  it('importMasterData: a row outside the manager’s subtree fails the whole file; nothing is written', async () => {
    const before = await snapshot(t.db);
    const buffer = csv([MEMBERS, 'N1,甲,Jia,新人,2026-03-01,T1', 'N2,乙,Yi,新人,2026-03-01,T3']);
    const err = await rejection(
      importMasterData(
        t.db,
        await actorOf(t.db, 'mgrEast'),
        { kind: 'members', buffer, fileName: 'm.csv' },
        FIXED_NOW,
      ),
    );
    expect(err.code).toBe('IMPORT_INVALID');
    expect(err.problems.map((p) => p.row)).toEqual([3]);
    expect(await snapshot(t.db)).toEqual(before);
  });

  it('importMasterData: a dry run, and an import whose audit entry cannot be written, leave nothing', async () => {
    const admin = await actorOf(t.db, 'admin');
    const buffer = csv([MEMBERS, 'N1,甲,Jia,新人,2026-03-01,T1']);
    const before = await snapshot(t.db);
    const dry = await importMasterData(
      t.db,
      admin,
      { kind: 'members', buffer, fileName: 'm.csv', dryRun: true },
      FIXED_NOW,
    );
    expect(dry).toMatchObject({ created: 1, batchId: null, dryRun: true });
    const err = await importMasterData(
      withFailingAudit(t.db),
      admin,
      { kind: 'members', buffer, fileName: 'm.csv' },
      FIXED_NOW,
    ).catch((e: unknown) => e);
    expect(String(err)).toContain('audit log unavailable');
    expect(await snapshot(t.db)).toEqual(before);
  });

  it('importMasterData: the rows, the batch and its audit entry land together, by the acting user', async () => {
    const mgrEast = await actorOf(t.db, 'mgrEast');
    const buffer = csv([MEMBERS, 'N1,甲,Jia,新人,2026-03-01,T1']);
    const res = await importMasterData(
      t.db,
      mgrEast,
      { kind: 'members', buffer, fileName: 'm.csv' },
      FIXED_NOW,
    );
    expect(res).toMatchObject({ kind: 'members', rows: 1, created: 1 });
    const batch = await t.db
      .selectFrom('import_batches')
      .selectAll()
      .where('id', '=', res.batchId!)
      .executeTakeFirstOrThrow();
    expect(batch).toMatchObject({ user_id: mgrEast.id, created_count: 1 });
    const entry = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'import')
      .where('entity', '=', 'import_batch')
      .executeTakeFirstOrThrow();
    expect(Number(entry.entity_id)).toBe(res.batchId);
    expect(entry.user_id).toBe(mgrEast.id);
  });

  it('exportMasterData: a manager exports their subtree, which imports back unchanged', async () => {
    const mgrEast = await actorOf(t.db, 'mgrEast');
    const file = await exportMasterData(
      t.db,
      mgrEast,
      { kind: 'members', format: 'csv', lang: 'zh-CN' },
      FIXED_NOW,
    );
    const table = await readTable(file, 'members.csv');
    const codes = table.rows.map((r) => String(r.cells[0])).sort();
    expect(codes).toEqual(['M-E', 'N1', 'R1', 'R2', 'R3']);
    const again = await importMasterData(
      t.db,
      mgrEast,
      { kind: 'members', buffer: file, fileName: 'members.csv' },
      FIXED_NOW,
    );
    expect(again).toMatchObject({ rows: 5, created: 0, updated: 0, unchanged: 5 });
  });
});
