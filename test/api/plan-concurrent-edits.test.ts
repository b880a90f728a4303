import { beforeAll, describe, expect, it } from 'vitest';
import { editTargetCells } from '../../src/app/plans/edit-target-cells.ts';
import type { Actor } from '../../src/app/actor.ts';
import { useApp } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';
import { planWithDirectMembers, WAN } from './plan-direct-members.ts';

interface Row {
  code: string;
  cells: Record<string, { value: number; locked: boolean; cellId: number } | null>;
  check: boolean;
}
interface Grid {
  version: number;
  cellsRev: number;
  rows: Row[];
}

describeEachDialect('plans: managers editing disjoint subtrees of one draft', (t) => {
  const h = useApp(t);
  let versionId = 0;

  beforeAll(async () => {
    versionId = await planWithDirectMembers(h);
    // Sign in first, so the edits below start together
    for (const u of ['admin', 'mgrEast', 'mgrWest']) await h.login(u);
  });

  const grid = async (): Promise<Grid> =>
    (await h.call('admin', 'GET', `/api/plan-versions/${versionId}/grid`)).json();
  const cellOf = (g: Grid, code: string, period: string) =>
    g.rows.find((r) => r.code === code)!.cells[period]!;
  const edit = (user: string, read: Grid, cellId: number, value: number) =>
    h.call(user, 'PUT', `/api/plan-versions/${versionId}/cells`, {
      version: read.version,
      cellsRev: read.cellsRev,
      edits: [{ cellId, value }],
    });
  const generation = async () =>
    Number((await t.db.selectFrom('data_generation').select('n').executeTakeFirstOrThrow()).n);

  it('lets East and West re-balance their own regions at the same moment: both changes are there', async () => {
    // Given both managers read the grid
    const read = await grid();
    const t1 = cellOf(read, 'T1', '2026-01');
    const t3 = cellOf(read, 'T3', '2026-01');
    const east = cellOf(read, 'EAST', '2026-01').value;
    const west = cellOf(read, 'WEST', '2026-01').value;
    const before = await generation();
    // When mgrEast raises T1 and mgrWest lowers T3 in January, at once
    const [a, b] = await Promise.all([
      edit('mgrEast', read, t1.cellId, t1.value + 5 * WAN),
      edit('mgrWest', read, t3.cellId, t3.value - 5 * WAN),
    ]);
    // Then both succeed, and the grid holds both, each region still adding up
    expect([a.statusCode, b.statusCode], a.body + b.body).toEqual([200, 200]);
    const after = await grid();
    expect(cellOf(after, 'T1', '2026-01')).toMatchObject({
      value: t1.value + 5 * WAN,
      locked: true,
    });
    expect(cellOf(after, 'T3', '2026-01')).toMatchObject({
      value: t3.value - 5 * WAN,
      locked: true,
    });
    expect(cellOf(after, 'EAST', '2026-01').value).toBe(east);
    expect(cellOf(after, 'WEST', '2026-01').value).toBe(west);
    expect(after.rows.filter((r) => r.check)).toEqual([]);
    // The whole-version version is unchanged; the cell revision moved twice; caches are invalidated
    expect(after.version).toBe(read.version);
    expect(after.cellsRev).toBe(read.cellsRev + 2);
    expect(await generation()).toBeGreaterThan(before);
  });

  it('answers one of two edits of the same cell at the same moment with VERSION_CONFLICT', async () => {
    const read = await grid();
    const r1 = cellOf(read, 'R1', '2026-03');
    const results = await Promise.all([
      edit('mgrEast', read, r1.cellId, r1.value + 1 * WAN),
      edit('admin', read, r1.cellId, r1.value + 2 * WAN),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.statusCode === 409)!.json().code).toBe('VERSION_CONFLICT');
    const won = results.findIndex((r) => r.statusCode === 200);
    expect(cellOf(await grid(), 'R1', '2026-03').value).toBe(r1.value + (won + 1) * WAN);
  });

  it('answers one of two edits of siblings (they re-balance each other) with VERSION_CONFLICT', async () => {
    const read = await grid();
    const t1 = cellOf(read, 'T1', '2026-04');
    const t2 = cellOf(read, 'T2', '2026-04');
    const results = await Promise.all([
      edit('mgrEast', read, t1.cellId, t1.value + 1 * WAN),
      edit('admin', read, t2.cellId, t2.value + 1 * WAN),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect((await grid()).rows.filter((r) => r.check)).toEqual([]);
  });

  it('refuses a stale edit below or above a cell edited since, whichever came first', async () => {
    // A team then its rep: the team's edit re-spread the rep's month
    let read = await grid();
    let team = cellOf(read, 'T1', '2026-05');
    let rep = cellOf(read, 'R1', '2026-05');
    expect((await edit('mgrEast', read, team.cellId, team.value + 2 * WAN)).statusCode).toBe(200);
    const below = await edit('admin', read, rep.cellId, rep.value + 1 * WAN);
    expect(below.statusCode).toBe(409);
    // A rep then their team: the team's re-spread would rewrite the rep's edited month
    read = await grid();
    team = cellOf(read, 'T1', '2026-06');
    rep = cellOf(read, 'R1', '2026-06');
    expect((await edit('admin', read, rep.cellId, rep.value + 1 * WAN)).statusCode).toBe(200);
    const above = await edit('mgrEast', read, team.cellId, team.value + 2 * WAN);
    expect(above.statusCode).toBe(409);
    expect(above.json().code).toBe('VERSION_CONFLICT');
  });

  it('refuses an edit read before a whole-version change (a decomposition)', async () => {
    const read = await grid();
    const res = await h.call('admin', 'POST', `/api/plan-versions/${versionId}/decompose`, {
      parent: { ownerType: 'unit', ownerId: h.fx.units.west, period: '2026-07' },
      axis: 'org',
      method: 'even',
      inputs: {},
    });
    expect(res.statusCode, res.body).toBe(200);
    const r4 = cellOf(read, 'R4', '2026-08');
    expect((await edit('mgrWest', read, r4.cellId, r4.value)).statusCode).toBe(409);
  });

  describe('the operation itself', () => {
    it('keeps a manager out of another region, writing nothing', async () => {
      const read = await grid();
      const t3 = cellOf(read, 'T3', '2026-09');
      const me = (await h.call('mgrEast', 'GET', '/api/auth/me')).json() as Actor;
      const mgrEast: Actor = { ...me, scope: { ...me.scope, memberId: me.memberId } };
      await expect(
        editTargetCells(
          t.db,
          mgrEast,
          {
            versionId,
            version: read.version,
            cellsRev: read.cellsRev,
            edits: [{ cellId: t3.cellId, value: 1 }],
          },
          new Date(),
        ),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
      const after = await grid();
      expect(cellOf(after, 'T3', '2026-09')).toEqual(t3);
      expect(after.cellsRev).toBe(read.cellsRev);
    });
  });
});
