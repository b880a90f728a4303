import type { Db } from '../../src/db/connect.ts';
import { ensureBuiltinMetrics, metricByCode } from '../../src/db/plans/metrics.ts';
import { createPlan } from '../../src/db/plans/versions.ts';

export interface BenchOrgOptions {
  members: number;
  /** Members per team (default 100): 10,000 members → 100 teams. */
  teamSize?: number;
  /** Regions between the company and the teams (default 10, fewer when there are fewer teams). */
  regions?: number;
  productLines: number;
  fiscalYear: number;
  now: Date;
}

export interface BenchOrg {
  rootId: number;
  units: number;
  members: number;
  productLineIds: number[];
  versionId: number;
  metricId: number;
}

const CHUNK = 1_000;

/**
 * A company → regions → teams → members org with open memberships from before the plan year,
 * `productLines` top-level product lines, the built-in metrics and a plan with one draft version.
 * Written with plain multi-row inserts; the bench measures only what comes after.
 */
export async function seedBenchOrg(db: Db, o: BenchOrgOptions): Promise<BenchOrg> {
  const at = o.now.toISOString();
  const teamSize = o.teamSize ?? 100;
  const teams = Math.max(1, Math.ceil(o.members / teamSize));
  const regions = Math.max(1, Math.min(o.regions ?? 10, teams));

  const unit = async (
    parentId: number | null,
    parentPath: string,
    code: string,
    kind: 'company' | 'region' | 'team',
    sort: number,
  ) => {
    const { id } = await db
      .insertInto('org_units')
      .values({
        parent_id: parentId,
        code,
        name_zh: `组织${code}`,
        name_en: `Unit ${code}`,
        kind,
        manager_member_id: null,
        path: '',
        sort_order: sort,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const path = `${parentPath}${id}/`;
    await db.updateTable('org_units').set({ path }).where('id', '=', id).execute();
    return { id, path };
  };
  const root = await unit(null, '/', 'HQ', 'company', 0);
  const regionUnits: { id: number; path: string }[] = [];
  for (let r = 0; r < regions; r++)
    regionUnits.push(await unit(root.id, root.path, `R${pad(r, 2)}`, 'region', r));
  const teamIds: number[] = [];
  for (let t = 0; t < teams; t++) {
    const region = regionUnits[t % regions];
    if (!region) throw new Error('no region');
    teamIds.push((await unit(region.id, region.path, `T${pad(t, 3)}`, 'team', t)).id);
  }

  const tiers = ['senior', 'regular', 'new'] as const;
  for (let i = 0; i < o.members; i += CHUNK) {
    const n = Math.min(CHUNK, o.members - i);
    const ids = await db
      .insertInto('members')
      .values(
        Array.from({ length: n }, (_, k) => ({
          code: `M${pad(i + k, 5)}`,
          name_zh: `销售${i + k}`,
          name_en: `Rep ${i + k}`,
          tier: tiers[(i + k) % 3] ?? 'regular',
          hire_date: '2024-01-01',
          updated_at: at,
        })),
      )
      .returning('id')
      .execute();
    await db
      .insertInto('member_units')
      .values(
        ids.map((m, k) => ({
          member_id: m.id,
          org_unit_id: teamIds[Math.floor((i + k) / teamSize) % teams] ?? root.id,
          start_date: '2024-01-01',
          end_date: null,
        })),
      )
      .execute();
  }

  const productLineIds = await seedProductLines(db, o.productLines, at);

  await ensureBuiltinMetrics(db, o.now);
  const metric = await metricByCode(db, 'revenue');
  const { version } = await createPlan(
    db,
    { fiscalYear: o.fiscalYear, nameZh: '基准计划', nameEn: 'Bench plan' },
    1,
    o.now,
  );
  return {
    rootId: root.id,
    units: 1 + regions + teams,
    members: o.members,
    productLineIds,
    versionId: version.id,
    metricId: metric.id,
  };
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** `n` top-level product lines PL00…, in order, with their materialized paths; their ids. */
export async function seedProductLines(db: Db, n: number, at: string): Promise<number[]> {
  const rows = await db
    .insertInto('product_lines')
    .values(
      Array.from({ length: n }, (_, k) => ({
        parent_id: null,
        code: `PL${pad(k, 2)}`,
        name_zh: `产品线${k}`,
        name_en: `Line ${k}`,
        path: '',
        sort_order: k,
        updated_at: at,
      })),
    )
    .returning('id')
    .execute();
  for (const l of rows)
    await db
      .updateTable('product_lines')
      .set({ path: `/${l.id}/` })
      .where('id', '=', l.id)
      .execute();
  return rows.map((r) => r.id);
}
