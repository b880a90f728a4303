import type { Db } from '../../db/connect.ts';
import { cellById, cellByKey } from '../../db/plans/cells.ts';
import { cellEditsOf } from '../../db/plans/edit-log.ts';
import { keyOfRow, ownerRef, parseKeyText, type CellKey } from '../../db/plans/keys.ts';
import { loadOrg } from '../../db/plans/org.ts';
import { fiscalYearId, getVersion } from '../../db/plans/versions.ts';
import { getSetting } from '../../db/settings.ts';
import { periodRange } from '../../domain/periods.ts';
import type { Actor } from '../actor.ts';
import { assertOwnerReadable } from './access.ts';
import { memberNames, ownerName } from './owner-names.ts';

export interface WhyStep {
  cellId: number | null;
  key: CellKey;
  ownerNameZh: string;
  ownerNameEn: string;
  metric: string;
  value: number | null;
  locked: boolean;
  note: string | null;
  /** Hand edits since the split was written (what made the value, when it is not the split). */
  edits: {
    kind: 'typed' | 'imported' | 'absorbed' | 'adjusted';
    value: number;
    before: number | null;
    by: string | null;
    at: string;
    /** The adjustment request that made this change, if one did. */
    adjustmentId: number | null;
  }[];
  split: {
    id: number;
    axis: string;
    method: string;
    inputs: Record<string, unknown>;
    weight: number | null;
    parentKey: CellKey;
    parentValue: number | null;
    siblings: number;
    createdBy: string | null;
    createdAt: string;
  } | null;
}

export interface WhyView {
  cellId: number;
  committedTarget: number | null;
  chain: WhyStep[];
}

/**
 * "Why is my target X?": the chain of splits from a cell up to the committed target, each step
 * with its method, inputs and weight. A reader outside full scope sees per-child inputs narrowed
 * to their own entry, so a rep sees their weight, not their peers'.
 */
export async function explainTarget(db: Db, user: Actor, cellId: number): Promise<WhyView> {
  const cell = await cellById(db, cellId);
  await assertOwnerReadable(db, user, cell.owner_type, cell.owner_id);
  const { plan, version: v } = await getVersion(db, cell.version_id);
  const metric = await db
    .selectFrom('metrics')
    .select(['code'])
    .where('id', '=', cell.metric_id)
    .executeTakeFirstOrThrow();
  const org = await loadOrg(
    db,
    periodRange(fiscalYearId(plan.fiscal_year), await getSetting(db, 'fiscalYearStartMonth')),
  );
  const names = await memberNames(db);
  const users = new Map(
    (await db.selectFrom('users').select(['id', 'display_name']).execute()).map((u) => [
      u.id,
      u.display_name,
    ]),
  );
  const chain: WhyStep[] = [];
  let cur: Awaited<ReturnType<typeof cellById>> | undefined = cell;
  let key: CellKey = keyOfRow(cell);
  for (let i = 0; i < 32; i++) {
    const n = ownerName(org, names, key);
    const base = {
      cellId: cur?.id ?? null,
      key,
      ownerNameZh: n.nameZh,
      ownerNameEn: n.nameEn,
      metric: metric.code,
      value: cur?.value ?? null,
      locked: cur?.locked === 1,
      note: cur?.note ?? null,
      edits: [],
    };
    const split = cur?.split_id
      ? await db
          .selectFrom('target_splits')
          .selectAll()
          .where('id', '=', cur.split_id)
          .executeTakeFirst()
      : undefined;
    if (!cur || !split) {
      chain.push({ ...base, split: null });
      break;
    }
    const parentKey = parseKeyText(split.parent_key);
    const parent = await cellByKey(db, v.id, cell.metric_id, parentKey);
    const { n: siblings } = await db
      .selectFrom('target_cells')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('split_id', '=', split.id)
      .executeTakeFirstOrThrow();
    const ref = refIn(split.axis, key);
    const inputs = JSON.parse(split.inputs) as Record<string, unknown>;
    const weights = inputs.weights as Record<string, number> | undefined;
    chain.push({
      ...base,
      split: {
        id: split.id,
        axis: split.axis,
        method: split.method,
        inputs: user.scope.all ? inputs : narrow(inputs, ref),
        weight: weights?.[ref] ?? null,
        parentKey,
        parentValue: parent?.value ?? null,
        siblings: Number(siblings),
        createdBy: split.created_by === null ? null : (users.get(split.created_by) ?? null),
        createdAt: split.created_at,
      },
    });
    cur = parent;
    key = parentKey;
  }
  const ids = new Set(chain.flatMap((s) => (s.cellId === null ? [] : [s.cellId])));
  const log = await cellEditsOf(db, v.id, ids);
  for (const step of chain) {
    const since = step.split?.createdAt ?? '';
    step.edits = (step.cellId === null ? [] : (log.get(step.cellId) ?? []))
      // A later split re-made the value: the edits before it no longer explain it.
      .filter((e) => e.at >= since)
      .map((e) => ({
        kind: e.kind,
        value: e.value,
        before: e.before,
        by: e.userId === null ? null : (users.get(e.userId) ?? null),
        at: e.at,
        adjustmentId: e.adjustmentId ?? null,
      }));
  }
  return { cellId: cell.id, committedTarget: v.committed_target, chain };
}

function refIn(axis: string, k: CellKey): string {
  if (axis === 'time') return k.period;
  if (axis === 'org') return ownerRef(k);
  if (axis === 'product_line') return String(k.productLineId);
  if (axis === 'region') return String(k.regionId);
  if (axis === 'segment') return String(k.segmentId);
  if (axis === 'channel') return String(k.channelId);
  return k.lifecycle;
}

/** Per-child maps narrowed to one child, so a rep sees their own weight, not their peers'. */
function narrow(inputs: Record<string, unknown>, ref: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(inputs)) {
    if (
      [
        'weights',
        'values',
        'capacity',
        'history',
        'rowTotals',
        'colTotals',
        'fitted',
        'seedRow',
      ].includes(k) &&
      val &&
      typeof val === 'object' &&
      !Array.isArray(val)
    ) {
      const m = val as Record<string, unknown>;
      out[k] = ref in m ? { [ref]: m[ref] } : {};
    } else out[k] = val;
  }
  return out;
}
