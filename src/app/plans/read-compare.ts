import type { Db } from '../../db/connect.ts';
import { keyOfRow, keyText, ownerRef, parseKeyText, type CellKey } from '../../db/plans/keys.ts';
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
    /** The row above in the org tree ('unit:3'): a unit's parent, a member's unit in that period. */
    parentRef: string | null;
    /** The owner's place in the org tree (units depth-first, then members by code). */
    order: number;
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
  const byKey = new Map<
    string,
    { key: CellKey; a: number | null; b: number | null; splitId: number | null }
  >();
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
      const e = byKey.get(t) ?? { key: k, a: null, b: null, splitId: null };
      e[side] = r.value;
      // B's split wins: a member's unit is where the newer version put their target.
      if (r.owner_type === 'member' && r.split_id !== null) e.splitId = r.split_id;
      byKey.set(t, e);
    }
  }
  const org = await loadOrg(
    db,
    periodRange(fiscalYearId(a.plan.fiscal_year), await getSetting(db, 'fiscalYearStartMonth')),
  );
  const names = await memberNames(db);
  // A member's unit in a period is the parent of the org split that made their cell.
  const splitParents = new Map<number, string>();
  const splitIds = [...new Set([...byKey.values()].flatMap((e) => e.splitId ?? []))];
  for (let i = 0; i < splitIds.length; i += 500) {
    const rows = await db
      .selectFrom('target_splits')
      .select(['id', 'parent_key'])
      .where('id', 'in', splitIds.slice(i, i + 500))
      .execute();
    for (const r of rows) splitParents.set(r.id, ownerRef(parseKeyText(r.parent_key)));
  }
  const order = new Map<string, number>();
  const visit = (unitId: number) => {
    order.set(`unit:${unitId}`, order.size);
    for (const c of org.childUnits(unitId)) visit(c.id);
  };
  visit(org.root.id);
  const memberCodes = [...names.keys()];
  const codeOf = new Map(
    (await db.selectFrom('members').select(['id', 'code']).execute()).map((m) => [m.id, m.code]),
  );
  memberCodes.sort((x, y) => (codeOf.get(x) ?? '').localeCompare(codeOf.get(y) ?? ''));
  memberCodes.forEach((id, i) => order.set(`member:${id}`, 1_000_000 + i));
  const parentRefOf = (e: { key: CellKey; splitId: number | null }): string | null => {
    if (e.key.ownerType === 'unit') {
      const p = org.units.get(e.key.ownerId)?.parentId;
      return p === null || p === undefined ? null : `unit:${p}`;
    }
    const fromSplit = e.splitId === null ? undefined : splitParents.get(e.splitId);
    if (fromSplit) return fromSplit;
    const m = org.memberships.find((x) => x.memberId === e.key.ownerId);
    return m ? `unit:${m.unitId}` : null;
  };
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
        parentRef: parentRefOf(e),
        order: order.get(ownerRef(e.key)) ?? Number.MAX_SAFE_INTEGER,
      };
    });
  return { metric: metric.code, rows };
}
