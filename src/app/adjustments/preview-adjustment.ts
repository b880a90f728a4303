import type { Transaction } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { cellById } from '../../db/plans/cells.ts';
import type { EditedCell } from '../../db/plans/edit-cells.ts';
import type { Database, OrgKind, OwnerType } from '../../db/schema.ts';
import type { ChainStep } from '../../domain/adjustments/approval-chain.ts';
import { AppError } from '../../domain/errors.ts';
import type { Actor } from '../actor.ts';
import { attainmentEffect, type AttainmentEffect } from './attainment-effect.ts';
import {
  activeVersion,
  assertRequestable,
  firstOpenMonth,
  requestedCells,
  runChange,
  type ChangeSpec,
  type RequestedCell,
} from './change-set.ts';
import { chainFor } from './resolve-chain.ts';

type Q = Db | Transaction<Database>;

export interface DiffRow {
  cellId: number;
  ownerType: OwnerType;
  ownerId: number;
  nameZh: string;
  nameEn: string;
  period: string;
  productLineId: number;
  /** Split by a dimension (product line, region, segment, channel, lifecycle) below the owner. */
  dimensional: boolean;
  before: number;
  after: number;
  /** Asked for by the request (else it absorbed the change or re-spread below). */
  requested: boolean;
}

export type ChainStepView = ChainStep & {
  nameZh: string;
  nameEn: string;
  /** The kind of unit the approver manages (company → 销售总监, region → 大区经理, …). */
  unitKind: OrgKind | null;
};

export interface AdjustmentPreview {
  versionId: number;
  metricId: number;
  metricCode: string;
  firstOpenMonth: string;
  requested: RequestedCell[];
  changes: DiffRow[];
  ownerUnitId: number;
  chain: ChainStepView[];
  /** Attainment and tier today, before and after, for the asked cells of the month in course. */
  effects: AttainmentEffect[];
}

class Rollback extends Error {
  constructor(readonly changed: EditedCell[]) {
    super('rollback');
  }
}

/**
 * The candidate numbers of a request, before it is sent or as a what-if: every cell that would
 * change (asked for, absorbed by siblings so the parent keeps its total, re-spread below) and the
 * approval chain it would get. Computed by running the planner's own cell edit on the active
 * version inside a transaction that is rolled back, so the preview is the apply, exactly.
 */
export async function previewAdjustment(
  db: Db,
  actor: Actor,
  spec: ChangeSpec,
  now: Date,
  requester: { memberId: number | null } = actor,
): Promise<AdjustmentPreview> {
  const v = await activeVersion(db, spec.versionId);
  const cells = await requestedCells(db, v, spec, now);
  if (cells.length === 0) throw new AppError('ADJUSTMENT_NO_CHANGE');
  const metricId = await sameMetric(db, cells);
  // Asking is checked on the cells chosen; the ancestors a climbing change moves are exactly
  // what takes the request above the requester, to whoever owns that total.
  const chosen = new Set((spec.cells ?? []).map((c) => c.cellId));
  for (const c of cells)
    if (chosen.size === 0 || chosen.has(c.cellId))
      await assertRequestable(db, actor, await cellById(db, c.cellId));
  const changed = await dryRun(db, v.id, cells, now);
  const metric = await db
    .selectFrom('metrics')
    .select(['code'])
    .where('id', '=', metricId)
    .executeTakeFirstOrThrow();
  const { chain, ownerUnitId } = await chainFor(db, requester, cells, metric);
  return {
    versionId: v.id,
    metricId,
    metricCode: metric.code,
    firstOpenMonth: firstOpenMonth(v, now),
    requested: cells,
    changes: await diffRows(
      db,
      changed.map((c) => ({ cellId: c.cellId, before: c.before.value, after: c.after.value })),
      new Set(cells.map((c) => c.cellId)),
    ),
    ownerUnitId,
    chain: await chainView(db, chain),
    effects: await attainmentEffect(db, v, metric.code, cells, now),
  };
}

/** Runs the change on the active version and rolls it back: what the apply would write. */
export async function dryRun(
  db: Db,
  versionId: number,
  cells: readonly RequestedCell[],
  now: Date,
): Promise<EditedCell[]> {
  try {
    await db.transaction().execute(async (trx) => {
      const v = await activeVersion(trx, versionId);
      throw new Rollback(await runChange(trx, v, cells, now));
    });
  } catch (e) {
    if (e instanceof Rollback) return e.changed.filter((c) => c.before.value !== c.after.value);
    throw e;
  }
  return [];
}

export async function sameMetric(q: Q, cells: readonly RequestedCell[]): Promise<number> {
  const ids = new Set<number>();
  for (const c of cells) ids.add((await cellById(q, c.cellId)).metric_id);
  if (ids.size !== 1)
    throw new AppError('VALIDATION', { field: 'cells', reason: 'one metric per request' });
  return [...ids][0] ?? 0;
}

export async function diffRows(
  q: Q,
  changes: readonly { cellId: number; before: number; after: number }[],
  requested: ReadonlySet<number>,
): Promise<DiffRow[]> {
  if (changes.length === 0) return [];
  const rows = await q
    .selectFrom('target_cells')
    .select([
      'id',
      'owner_type',
      'owner_id',
      'period',
      'product_line_id',
      'region_id',
      'segment_id',
      'channel_id',
      'lifecycle',
    ])
    .where(
      'id',
      'in',
      changes.map((c) => c.cellId),
    )
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const names = await ownerNames(q);
  const out: DiffRow[] = [];
  for (const c of changes) {
    const r = byId.get(c.cellId);
    if (!r) continue;
    const n = names.get(`${r.owner_type}:${r.owner_id}`);
    out.push({
      cellId: c.cellId,
      ownerType: r.owner_type,
      ownerId: r.owner_id,
      nameZh: n?.nameZh ?? '',
      nameEn: n?.nameEn ?? '',
      period: r.period,
      productLineId: r.product_line_id,
      dimensional:
        r.product_line_id !== 0 ||
        r.region_id !== 0 ||
        r.segment_id !== 0 ||
        r.channel_id !== 0 ||
        r.lifecycle !== '',
      before: c.before,
      after: c.after,
      requested: requested.has(c.cellId),
    });
  }
  return out.sort(
    (a, b) =>
      Number(b.requested) - Number(a.requested) ||
      Number(a.dimensional) - Number(b.dimensional) ||
      a.period.localeCompare(b.period) ||
      b.ownerType.localeCompare(a.ownerType) ||
      a.ownerId - b.ownerId,
  );
}

async function ownerNames(q: Q) {
  const units = await q.selectFrom('org_units').select(['id', 'name_zh', 'name_en']).execute();
  const members = await q.selectFrom('members').select(['id', 'name_zh', 'name_en']).execute();
  return new Map([
    ...units.map((u) => [`unit:${u.id}`, { nameZh: u.name_zh, nameEn: u.name_en }] as const),
    ...members.map((m) => [`member:${m.id}`, { nameZh: m.name_zh, nameEn: m.name_en }] as const),
  ]);
}

export async function chainView(q: Q, chain: readonly ChainStep[]): Promise<ChainStepView[]> {
  const units = new Map(
    (await q.selectFrom('org_units').select(['id', 'kind']).execute()).map((u) => [u.id, u.kind]),
  );
  const out: ChainStepView[] = [];
  for (const s of chain) {
    const m =
      s.kind === 'member'
        ? await q
            .selectFrom('members')
            .select(['name_zh', 'name_en'])
            .where('id', '=', s.memberId)
            .executeTakeFirst()
        : undefined;
    out.push({
      ...s,
      nameZh: m?.name_zh ?? '',
      nameEn: m?.name_en ?? '',
      unitKind: s.unitId === null ? null : (units.get(s.unitId) ?? null),
    });
  }
  return out;
}
