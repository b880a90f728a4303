import type { Db } from '../../db/connect.ts';
import { ownerRef } from '../../db/plans/keys.ts';
import { loadOrg } from '../../db/plans/org.ts';
import { getVersion } from '../../db/plans/versions.ts';
import type { MetricKind, MetricUnit, OwnerType } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { periodRange } from '../../domain/periods.ts';
import { monthlyTargetTable } from '../../domain/planning/target-table.ts';
import type { Actor } from '../actor.ts';
import { visibleOwners } from './access.ts';

/** The built-in code whose kind and unit a custom metric shares, so the domain's table can format it. */
const stand_in = { fen: 'revenue', count: 'new_customers', bp: 'collection_rate' } as const;

export interface MonthlyTableQuery {
  month: string;
  unitId?: number;
  /** Weeks the month is read as for the weekly average. */
  weeks: number;
}

export interface MonthlyTableRow {
  cellId: number;
  ownerType: OwnerType;
  ownerId: number;
  ownerNameZh: string;
  ownerNameEn: string;
  metric: string;
  metricKind: MetricKind;
  unit: MetricUnit;
  monthlyTarget: number;
  weeklyAverage: number;
  weekly: number[] | null;
  keyStrategy: string | null;
}

export interface MonthlyTableView {
  month: string;
  weeks: number;
  rows: MonthlyTableRow[];
}

/** The monthly target table of one month, within the caller's scope (and under unitId). */
export async function readMonthlyTable(
  db: Db,
  user: Actor,
  versionId: number,
  query: MonthlyTableQuery,
): Promise<MonthlyTableView> {
  const { version: v } = await getVersion(db, versionId);
  const { month, weeks } = query;
  const org = await loadOrg(db, periodRange(month));
  const visible = await visibleOwners(db, user.scope);
  let units: Set<number> | null = null;
  if (query.unitId !== undefined) {
    const start = org.units.get(query.unitId);
    if (!start) throw new AppError('NOT_FOUND', { entity: 'org_unit' });
    units = new Set(
      [...org.units.values()].filter((u) => u.path.startsWith(start.path)).map((u) => u.id),
    );
  }
  const inUnits = (ownerType: string, ownerId: number) =>
    units === null ||
    (ownerType === 'unit'
      ? units.has(ownerId)
      : org.memberships.some((m) => m.memberId === ownerId && units?.has(m.unitId)));
  const cells = await db
    .selectFrom('target_cells as c')
    .innerJoin('metrics as m', 'm.id', 'c.metric_id')
    .select([
      'c.id',
      'c.owner_type',
      'c.owner_id',
      'c.value',
      'c.note',
      'm.code',
      'm.kind',
      'm.unit',
      'm.sort_order',
    ])
    .where('c.version_id', '=', v.id)
    .where('c.period', '=', month)
    .where('c.product_line_id', '=', 0)
    .where('c.region_id', '=', 0)
    .where('c.segment_id', '=', 0)
    .where('c.channel_id', '=', 0)
    .where('c.lifecycle', '=', '')
    .where('m.kind', '!=', 'derived')
    .orderBy('c.owner_type', 'desc')
    .orderBy('c.owner_id')
    .orderBy('m.sort_order')
    .execute();
  const shown = cells.filter(
    (c) =>
      (visible === null ||
        (c.owner_type === 'unit'
          ? visible.units.has(c.owner_id)
          : visible.members.has(c.owner_id))) &&
      inUnits(c.owner_type, c.owner_id),
  );
  const lines = monthlyTargetTable(
    shown.map((c) => ({
      owner: ownerRef({ ownerType: c.owner_type, ownerId: c.owner_id }),
      metric: stand_in[c.unit],
      monthlyValue: c.value,
      weeks,
      ...(c.note ? { strategy: c.note } : {}),
    })),
  );
  const names = new Map(
    (await db.selectFrom('members').select(['id', 'name_zh', 'name_en']).execute()).map((m) => [
      m.id,
      m,
    ]),
  );
  return {
    month,
    weeks,
    rows: shown.map((c, i) => {
      const line = lines[i];
      const n = c.owner_type === 'unit' ? org.units.get(c.owner_id) : undefined;
      const m = c.owner_type === 'member' ? names.get(c.owner_id) : undefined;
      return {
        cellId: c.id,
        ownerType: c.owner_type,
        ownerId: c.owner_id,
        ownerNameZh: n?.nameZh ?? m?.name_zh ?? '',
        ownerNameEn: n?.nameEn ?? m?.name_en ?? '',
        metric: c.code,
        metricKind: c.kind,
        unit: c.unit,
        monthlyTarget: c.value,
        weeklyAverage: line?.weeklyAverage ?? c.value,
        weekly: line?.weekly ?? null,
        keyStrategy: c.note,
      };
    }),
  };
}
