import type { Db } from '../../db/connect.ts';
import type { AdjustmentState } from '../../db/schema.ts';
import { isAppError } from '../../domain/errors.ts';
import type { Actor } from '../actor.ts';
import {
  chainView,
  diffRows,
  dryRun,
  type ChainStepView,
  type DiffRow,
} from './preview-adjustment.ts';
import {
  assertReadable,
  canRead,
  chainOf,
  holdsStep,
  loadRequest,
  requestCells,
  type RequestRow,
} from './request-store.ts';

export interface AdjustmentSummary {
  id: number;
  state: AdjustmentState;
  requester: string;
  versionId: number;
  metricId: number;
  reasonCategory: string;
  reasonText: string;
  alertId: number | null;
  createdAt: string;
  sentAt: string | null;
  currentStep: number;
  steps: number;
  awaitingMe: boolean;
  mine: boolean;
  /** Σ (after − before) over the cells asked for. */
  delta: number;
}

export interface AdjustmentStepView {
  step: number;
  decision: string;
  by: string | null;
  comment: string;
  enteredAt: string;
  decidedAt: string;
  /** Time the request spent waiting on this step, in milliseconds. */
  waitedMs: number;
}

export interface AdjustmentDetail extends AdjustmentSummary {
  version: number;
  requesterUserId: number;
  chain: ChainStepView[];
  requested: {
    cellId: number;
    ownerType: string;
    ownerId: number;
    period: string;
    before: number;
    after: number;
  }[];
  /** Every cell the request changes (applied: what it changed; else what it would change now). */
  changes: DiffRow[];
  /** Why the current numbers cannot be previewed (the plan moved, a month closed), if so. */
  previewError: string | null;
  trail: AdjustmentStepView[];
  files: { id: number; name: string; mime: string; size: number; createdAt: string }[];
  stepEnteredAt: string | null;
  appliedAt: string | null;
}

async function userNames(db: Db): Promise<Map<number, string>> {
  const rows = await db.selectFrom('users').select(['id', 'display_name']).execute();
  return new Map(rows.map((u) => [u.id, u.display_name]));
}

async function summary(
  db: Db,
  actor: Actor,
  r: RequestRow,
  names: Map<number, string>,
): Promise<AdjustmentSummary> {
  const chain = chainOf(r);
  const step = chain[r.current_step];
  const cells = await requestCells(db, r.id);
  return {
    id: r.id,
    state: r.state,
    requester: names.get(r.requester_user_id) ?? '',
    versionId: r.plan_version_id,
    metricId: r.metric_id,
    reasonCategory: r.reason_category,
    reasonText: r.reason_text,
    alertId: r.alert_id,
    createdAt: r.created_at,
    sentAt: r.sent_at,
    currentStep: r.current_step,
    steps: chain.length,
    awaitingMe:
      r.state === 'pending' && !!step && holdsStep(actor, step) && r.requester_user_id !== actor.id,
    mine: r.requester_user_id === actor.id,
    delta: cells.reduce((a, c) => a + c.after - c.before, 0),
  };
}

/** Requests the actor may read: `mine`, `awaiting` (their decision), or `all` in scope. */
export async function listAdjustments(
  db: Db,
  actor: Actor,
  box: 'mine' | 'awaiting' | 'all',
): Promise<AdjustmentSummary[]> {
  let q = db.selectFrom('adjustment_requests').selectAll().orderBy('id', 'desc');
  if (box === 'mine') q = q.where('requester_user_id', '=', actor.id);
  if (box === 'awaiting') q = q.where('state', '=', 'pending');
  const rows = await q.limit(500).execute();
  const names = await userNames(db);
  const out: AdjustmentSummary[] = [];
  for (const r of rows) {
    if (!(await canRead(db, actor, r))) continue;
    const s = await summary(db, actor, r, names);
    if (box === 'awaiting' && !s.awaitingMe) continue;
    out.push(s);
  }
  return out;
}

export async function readAdjustment(
  db: Db,
  actor: Actor,
  id: number,
  now: Date,
): Promise<AdjustmentDetail> {
  const r = await loadRequest(db, id);
  await assertReadable(db, actor, r);
  const names = await userNames(db);
  const cells = await requestCells(db, r.id);
  const requestedIds = new Set(cells.map((c) => c.cell_id));
  let changes: DiffRow[] = [];
  let previewError: string | null = null;
  if (r.state === 'applied') {
    changes = await diffRows(db, await appliedChanges(db, r), requestedIds);
  } else {
    try {
      const changed = await dryRun(
        db,
        r.plan_version_id,
        cells.map((c) => ({ cellId: c.cell_id, before: c.before, after: c.after })),
        now,
      );
      changes = await diffRows(
        db,
        changed.map((c) => ({ cellId: c.cellId, before: c.before.value, after: c.after.value })),
        requestedIds,
      );
    } catch (e) {
      if (!isAppError(e)) throw e;
      previewError = e.code;
    }
    const moved = cells.find((c) => {
      const row = changes.find((x) => x.cellId === c.cell_id);
      return row !== undefined && row.before !== c.before;
    });
    if (moved && previewError === null) previewError = 'ADJUSTMENT_PLAN_MOVED';
  }
  const steps = await db
    .selectFrom('adjustment_steps')
    .selectAll()
    .where('request_id', '=', r.id)
    .orderBy('id')
    .execute();
  const files = await db
    .selectFrom('adjustment_files')
    .select(['id', 'name', 'mime', 'size', 'created_at'])
    .where('request_id', '=', r.id)
    .orderBy('id')
    .execute();
  return {
    ...(await summary(db, actor, r, names)),
    version: r.version,
    requesterUserId: r.requester_user_id,
    chain: await chainView(db, chainOf(r)),
    requested: cells.map((c) => ({
      cellId: c.cell_id,
      ownerType: c.owner_type,
      ownerId: c.owner_id,
      period: c.period,
      before: c.before,
      after: c.after,
    })),
    changes,
    previewError,
    trail: steps.map((s) => ({
      step: s.step,
      decision: s.decision,
      by: s.user_id === null ? null : (names.get(s.user_id) ?? null),
      comment: s.comment,
      enteredAt: s.entered_at,
      decidedAt: s.decided_at,
      waitedMs: Math.max(0, Date.parse(s.decided_at) - Date.parse(s.entered_at)),
    })),
    files: files.map((f) => ({
      id: f.id,
      name: f.name,
      mime: f.mime,
      size: f.size,
      createdAt: f.created_at,
    })),
    stepEnteredAt: r.step_entered_at,
    appliedAt: r.applied_at,
  };
}

/** What an applied request changed, from its `adjust` entry in the audit log. */
async function appliedChanges(db: Db, r: RequestRow) {
  const rows = await db
    .selectFrom('audit_log')
    .select(['before', 'after'])
    .where('entity', '=', 'target_cells')
    .where('action', '=', 'adjust')
    .where('entity_id', '=', String(r.plan_version_id))
    .orderBy('id')
    .execute();
  type Entry = { adjustmentId: number; cells: { cellId: number; value: number }[] };
  for (const row of rows) {
    const after = JSON.parse(row.after ?? 'null') as Entry | null;
    if (after?.adjustmentId !== r.id) continue;
    const before = new Map(
      ((JSON.parse(row.before ?? 'null') as Entry | null)?.cells ?? []).map((c) => [
        c.cellId,
        c.value,
      ]),
    );
    return after.cells
      .map((c) => ({ cellId: c.cellId, before: before.get(c.cellId) ?? 0, after: c.value }))
      .filter((c) => c.before !== c.after);
  }
  return [];
}
