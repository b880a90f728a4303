import { describe, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { useApp } from '../support/app.ts';
import { versionOf } from '../support/plan-version.ts';
import { previewEdits, type Pending } from '../../src/web/pages/plans/grid-model.ts';
import type { Compare, GridRow } from '../../src/web/pages/plans/plan-api.ts';
import { compareTree, type OwnerRow } from '../../src/web/pages/plans/compare-tree.ts';

const WAN = 10_000_00; // 1万元 in fen

interface Row {
  code: string;
  cells: Record<string, { value: number; locked: boolean; cellId: number } | null>;
}

/** The planner's trust items of issue 12: what the screens tell a manager is what happened. */
describeEachDialect('plans: the planner tells what happened', (t) => {
  let clock = new Date('2026-03-16T02:00:00.000Z');
  const h = useApp(t, { now: () => clock, deps: { sessionIdleMs: 30 * 86_400_000 } });
  const { call } = h;
  let versionId = 0;
  const grid = async (user: string) => {
    const res = await call(user, 'GET', `/api/plan-versions/${versionId}/grid?metric=revenue`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().rows as Row[];
  };
  const cell = (rows: Row[], code: string) => rows.find((r) => r.code === code)!.cells['2026-01']!;
  const detail = async () => (await call('admin', 'GET', `/api/plan-versions/${versionId}`)).json();
  const decompose = (user: string, body: object) =>
    call(user, 'POST', `/api/plan-versions/${versionId}/decompose`, body);
  const hqJan = () => ({ ownerType: 'unit', ownerId: h.fx.units.hq, period: '2026-01' });

  it('sets up a plan split over months and the org', async () => {
    const res = await call('admin', 'POST', '/api/plans', {
      fiscalYear: 2026,
      nameZh: '2026年计划',
      nameEn: 'Plan 2026',
    });
    versionId = res.json().versions[0].id;
    expect((await detail()).decomposedBy).toEqual({ time: null, org: null });
    expect(
      (
        await call('admin', 'PUT', `/api/plan-versions/${versionId}/commit`, {
          version: await versionOf(call, versionId),
          target: 1200 * WAN,
        })
      ).statusCode,
    ).toBe(200);
    const time = await decompose('admin', {
      parent: { ownerType: 'unit', ownerId: h.fx.units.hq, period: 'FY2026' },
      axis: 'time',
      method: 'even',
      inputs: {},
    });
    expect(time.statusCode, time.body).toBe(200);
    const org = await decompose('admin', {
      parent: hqJan(),
      axis: 'org',
      method: 'even',
      inputs: {},
    });
    expect(org.statusCode, org.body).toBe(200);
    const east = await decompose('admin', {
      parent: { ...hqJan(), ownerId: h.fx.units.east },
      axis: 'org',
      method: 'even',
      inputs: {},
    });
    expect(east.statusCode, east.body).toBe(200);
  });

  describe('the decompose tab starts from the stored method', () => {
    it('tells the method the stored plan used, with its settings but no amounts', async () => {
      expect((await detail()).decomposedBy).toEqual({
        time: { method: 'even', inputs: {} },
        org: { method: 'even', inputs: {} },
      });
      const history = ['2024', '2025'].flatMap((y) =>
        Array.from({ length: 12 }, (_, i) => ({
          month: `${y}-${String(i + 1).padStart(2, '0')}`,
          amount: (13 - i) * WAN,
        })),
      );
      const res = await call('admin', 'POST', `/api/plan-versions/${versionId}/decompose`, {
        version: (await detail()).version,
        metricCode: 'revenue',
        mode: 'cascade',
        parent: { ownerType: 'unit', ownerId: h.fx.units.hq, period: 'FY2026' },
        axis: 'time',
        method: 'history',
        inputs: { history, years: 2, onMissing: 'zero' },
        org: { method: 'even', inputs: {} },
      });
      expect(res.statusCode, res.body).toBe(200);
      const rep = (await call('rep1', 'GET', `/api/plan-versions/${versionId}`)).json();
      expect(rep.decomposedBy).toEqual({
        time: { method: 'history', inputs: { years: 2, onMissing: 'zero' } },
        org: { method: 'even', inputs: { basis: 'members' } },
      });
    });
  });

  describe('the grid previews a rebalance before saving', () => {
    it('shows exactly what the save writes: siblings absorbing and the cells below re-spread', async () => {
      const feb = { ownerType: 'unit', ownerId: h.fx.units.hq, period: '2026-02' };
      for (const [user, ownerId] of [
        ['admin', h.fx.units.hq],
        ['admin', h.fx.units.east],
        ['mgrEast', h.fx.units.t1],
        ['mgrEast', h.fx.units.t2],
      ] as const) {
        const res = await decompose(user, {
          parent: { ...feb, ownerId },
          axis: 'org',
          method: 'even',
          inputs: {},
        });
        expect(res.statusCode, res.body).toBe(200);
      }
      const res = await call('admin', 'GET', `/api/plan-versions/${versionId}/grid?metric=revenue`);
      const before = res.json() as { rows: GridRow[]; version: number; cellsRev: number };
      const at = (rows: GridRow[], code: string) =>
        rows.find((r) => r.code === code)!.cells['2026-02']!;
      // Given T1 locked and West typed down to 30万
      const pending: Pending = {
        [at(before.rows, 'T1').cellId]: { locked: true },
        [at(before.rows, 'WEST').cellId]: { value: 30 * WAN, locked: true },
      };
      // When the grid previews it
      const preview = previewEdits(before.rows, 'FY2026', null, pending);
      // Then East absorbs, T2 (not T1, locked) takes East's change, and R3 follows T2
      const east = at(before.rows, 'EAST');
      const t2 = at(before.rows, 'T2');
      const r3 = at(before.rows, 'R3');
      const gain = at(before.rows, 'WEST').value - 30 * WAN;
      expect(preview.get(east.cellId)?.value).toBe(east.value + gain);
      expect(preview.get(t2.cellId)?.value).toBe(t2.value + gain);
      expect(preview.get(r3.cellId)?.value).toBe(r3.value + gain);
      expect(preview.has(at(before.rows, 'R1').cellId)).toBe(false);
      // and saving writes exactly the previewed values, everywhere
      const save = await call('admin', 'PUT', `/api/plan-versions/${versionId}/cells`, {
        version: before.version,
        cellsRev: before.cellsRev,
        edits: Object.entries(pending)
          .map(([cellId, e]) => ({ cellId: Number(cellId), ...e }))
          .sort((a, b) => Number(a.value !== undefined) - Number(b.value !== undefined)),
      });
      expect(save.statusCode, save.body).toBe(200);
      const after = (await grid('admin')) as unknown as GridRow[];
      for (const row of after)
        for (const c of Object.values(row.cells)) {
          if (!c) continue;
          const old = before.rows.find((r) => r.ref === row.ref)!;
          const was = Object.values(old.cells).find((x) => x?.cellId === c.cellId)!;
          expect([row.code, preview.get(c.cellId)?.value ?? was.value]).toEqual([
            row.code,
            c.value,
          ]);
        }
    });

    it('leaves a value the siblings cannot absorb unbalanced, as the save refuses it', async () => {
      const rows = (await grid('admin')) as unknown as GridRow[];
      const t1 = rows.find((r) => r.code === 'T1')!.cells['2026-02']!;
      const preview = previewEdits(rows, 'FY2026', null, {
        [rows.find((r) => r.code === 'T2')!.cells['2026-02']!.cellId]: { value: 100_000 * WAN },
      });
      expect(preview.has(t1.cellId)).toBe(false);
    });
  });

  describe('why is my target X', () => {
    it('names who typed a value, when, and what, and the sibling that absorbed it', async () => {
      clock = new Date('2026-03-17T09:30:00.000Z');
      const rows = await grid('admin');
      const t1 = cell(rows, 'T1');
      const t2 = cell(rows, 'T2');
      const d = await detail();
      const res = await call('mgrEast', 'PUT', `/api/plan-versions/${versionId}/cells`, {
        version: d.version,
        cellsRev: d.cellsRev,
        edits: [{ cellId: t1.cellId, value: 30 * WAN }],
      });
      expect(res.statusCode, res.body).toBe(200);

      const why = (await call('mgrEast', 'GET', `/api/target-cells/${t1.cellId}/why`)).json();
      expect(why.chain[0].edits).toEqual([
        {
          kind: 'typed',
          value: 30 * WAN,
          before: t1.value,
          by: 'mgrEast',
          at: '2026-03-17T09:30:00.000Z',
          adjustmentId: null,
        },
      ]);
      // the split that made the value first is still told, as what came before the edit
      expect(why.chain[0].split).toMatchObject({ axis: 'org', method: 'even' });
      // its parent was not edited
      expect(why.chain[1].edits).toEqual([]);

      const sib = (await call('admin', 'GET', `/api/target-cells/${t2.cellId}/why`)).json();
      expect(sib.chain[0].edits).toEqual([
        {
          kind: 'absorbed',
          value: t1.value + t2.value - 30 * WAN,
          before: t2.value,
          by: 'mgrEast',
          at: '2026-03-17T09:30:00.000Z',
          adjustmentId: null,
        },
      ]);
    });

    it('does not count a lock toggle as a typed value', async () => {
      const rows = await grid('admin');
      const t2 = cell(rows, 'T2');
      const d = await detail();
      const res = await call('admin', 'PUT', `/api/plan-versions/${versionId}/cells`, {
        version: d.version,
        cellsRev: d.cellsRev,
        edits: [{ cellId: t2.cellId, locked: true }],
      });
      expect(res.statusCode, res.body).toBe(200);
      const why = (await call('admin', 'GET', `/api/target-cells/${t2.cellId}/why`)).json();
      expect(why.chain[0].edits.map((e: { kind: string }) => e.kind)).toEqual(['absorbed']);
    });

    it('forgets edits a later split replaced', async () => {
      clock = new Date('2026-03-18T08:00:00.000Z');
      const res = await decompose('admin', {
        parent: { ...hqJan(), ownerId: h.fx.units.east },
        axis: 'org',
        method: 'even',
        inputs: {},
      });
      expect(res.statusCode, res.body).toBe(200);
      const t1 = cell(await grid('admin'), 'T1');
      const why = (await call('admin', 'GET', `/api/target-cells/${t1.cellId}/why`)).json();
      expect(why.chain[0].edits).toEqual([]);
      expect(why.chain[0].split.createdAt).toBe('2026-03-18T08:00:00.000Z');
    });
  });

  describe('version compare as the org tree', () => {
    it('places units under their parents and members under their unit, with subtotals', async () => {
      const copy = await call('admin', 'POST', `/api/plan-versions/${versionId}/copy`, {});
      expect(copy.statusCode, copy.body).toBe(201);
      const b = copy.json().id as number;
      const rows = (
        await call('admin', 'GET', `/api/plan-versions/${b}/grid?metric=revenue`)
      ).json() as { rows: GridRow[]; version: number; cellsRev: number };
      const r1 = rows.rows.find((r) => r.code === 'R1')!.cells['2026-04']!;
      const edit = await call('admin', 'PUT', `/api/plan-versions/${b}/cells`, {
        version: rows.version,
        cellsRev: rows.cellsRev,
        edits: [{ cellId: r1.cellId, value: r1.value + 5 * WAN }],
      });
      expect(edit.statusCode, edit.body).toBe(200);
      const read = (user: string) =>
        call(user, 'GET', `/api/plan-versions/compare?a=${versionId}&b=${b}&metric=revenue`);
      const res = await read('admin');
      expect(res.statusCode, res.body).toBe(200);
      const c = res.json() as Compare;
      const { units, members } = h.fx;
      const r1Row = c.rows.find(
        (r) =>
          r.key.ownerId === members.rep1 &&
          r.key.ownerType === 'member' &&
          r.key.period === '2026-04',
      )!;
      expect(r1Row).toMatchObject({ parentRef: `unit:${units.t1}`, diff: 5 * WAN });
      expect(
        c.rows.find((r) => r.key.ownerId === units.hq && r.key.ownerType === 'unit')!.parentRef,
      ).toBeNull();

      const { tree } = compareTree(c.rows);
      const shape = (o: OwnerRow): unknown =>
        o.children ? { [o.ref]: o.children.map(shape) } : o.ref;
      expect(tree.map(shape)).toEqual([
        {
          [`unit:${units.hq}`]: [
            {
              [`unit:${units.east}`]: [
                { [`unit:${units.t1}`]: [`member:${members.rep1}`, `member:${members.rep2}`] },
                { [`unit:${units.t2}`]: [`member:${members.rep3}`] },
              ],
            },
            { [`unit:${units.west}`]: [{ [`unit:${units.t3}`]: [`member:${members.rep4}`] }] },
          ],
        },
      ]);
      // Only the edited branch changed: rep1 typed, rep2 absorbed; T1 and above kept their totals.
      const changed = (o: OwnerRow): string[] =>
        o.changed ? [o.ref, ...(o.children ?? []).flatMap(changed)] : [];
      expect(tree.flatMap(changed)).toEqual([
        `unit:${units.hq}`,
        `unit:${units.east}`,
        `unit:${units.t1}`,
        `member:${members.rep1}`,
        `member:${members.rep2}`,
      ]);
      expect(tree[0]!.selfChanged).toBe(false);

      // A region manager's tree starts at their region and holds nothing else.
      const west = compareTree(((await read('mgrWest')).json() as Compare).rows).tree;
      expect(west.map(shape)).toEqual([
        { [`unit:${units.west}`]: [{ [`unit:${units.t3}`]: [`member:${members.rep4}`] }] },
      ]);
    });
  });

  describe('the capacity lens with nobody to sell', () => {
    it('answers "not applicable", not "infeasible", and stores it', async () => {
      const res = await call('admin', 'POST', `/api/plan-versions/${versionId}/lenses`, {
        version: await versionOf(call, versionId),
        topDown: { lastYearActual: 1000 * WAN, growthBp: 2000 },
        bottomUp: { productivity: {}, reps: [] },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        verdict: 'not_applicable',
        notApplicable: ['bottomUp'],
        gaps: [],
      });
      expect((await detail()).lenses.results).toMatchObject({
        verdict: 'not_applicable',
        notApplicable: ['bottomUp'],
      });
      // With the org's reps (the default) the lens applies again
      const withReps = await call('admin', 'POST', `/api/plan-versions/${versionId}/lenses`, {
        version: await versionOf(call, versionId),
        topDown: { lastYearActual: 1000 * WAN, growthBp: 2000 },
        bottomUp: {
          productivity: Object.fromEntries(
            ['senior', 'regular', 'new'].map((k) => [k, { dealsPerMonth: 1, aov: 1 * WAN }]),
          ),
        },
      });
      expect(withReps.json()).toMatchObject({ verdict: 'infeasible', notApplicable: [] });
    });
  });
});
