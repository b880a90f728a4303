import type { Db } from '../../db/connect.ts';
import { keyOfRow, keyText, type CellKey } from '../../db/plans/keys.ts';
import { metricByCode } from '../../db/plans/metrics.ts';
import { loadOrg } from '../../db/plans/org.ts';
import { fiscalYearId, getVersion } from '../../db/plans/versions.ts';
import { getSetting } from '../../db/settings.ts';
import { periodRange } from '../../domain/periods.ts';
import type { Actor } from '../actor.ts';
import { visibleOwners } from './access.ts';
import { memberNames, ownerName } from './owner-names.ts';

export interface CompareQuery {
  a: number;
  b: number;
  metric: string;
}

export interface CompareView {
  metric: string;
  rows: {
    key: CellKey;
    ownerNameZh: string;
    ownerNameEn: string;
    a: number | null;
    b: number | null;
    diff: number;
  }[];
}

/** Two versions' cells (not split by a dimension) per owner × period, within the caller's scope. */
export async function readCompare(db: Db, user: Actor, query: CompareQuery): Promise<CompareView> {
  const metric = await metricByCode(db, query.metric);
  const a = await getVersion(db, query.a);
  await getVersion(db, query.b);
  const visible = await visibleOwners(db, user.scope);
  const load = (versionId: number) =>
    db
      .selectFrom('target_cells')
      .selectAll()
      .where('version_id', '=', versionId)
      .where('metric_id', '=', metric.id)
      .where('product_line_id', '=', 0)
      .where('region_id', '=', 0)
      .where('segment_id', '=', 0)
      .where('channel_id', '=', 0)
      .where('lifecycle', '=', '')
      .execute();
  const byKey = new Map<string, { key: CellKey; a: number | null; b: number | null }>();
  for (const [side, rows] of [
    ['a', await load(query.a)],
    ['b', await load(query.b)],
  ] as const) {
    for (const r of rows) {
      if (
        visible &&
        !(r.owner_type === 'unit' ? visible.units.has(r.owner_id) : visible.members.has(r.owner_id))
      )
        continue;
      const k = keyOfRow(r);
      const t = keyText(k);
      const e = byKey.get(t) ?? { key: k, a: null, b: null };
      e[side] = r.value;
      byKey.set(t, e);
    }
  }
  const org = await loadOrg(
    db,
    periodRange(fiscalYearId(a.plan.fiscal_year), await getSetting(db, 'fiscalYearStartMonth')),
  );
  const names = await memberNames(db);
  const rows = [...byKey.values()]
    .sort(
      (x, y) =>
        x.key.ownerType.localeCompare(y.key.ownerType) ||
        x.key.ownerId - y.key.ownerId ||
        x.key.period.localeCompare(y.key.period),
    )
    .map((e) => {
      const n = ownerName(org, names, e.key);
      return {
        key: e.key,
        ownerNameZh: n.nameZh,
        ownerNameEn: n.nameEn,
        a: e.a,
        b: e.b,
        diff: (e.b ?? 0) - (e.a ?? 0),
      };
    });
  return { metric: metric.code, rows };
}
