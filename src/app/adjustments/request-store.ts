import type { Selectable, Transaction } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { AdjustmentRequestsTable, Database } from '../../db/schema.ts';
import type { ChainStep } from '../../domain/adjustments/approval-chain.ts';
import { AppError } from '../../domain/errors.ts';
import type { Actor } from '../actor.ts';

type Q = Db | Transaction<Database>;
export type RequestRow = Selectable<AdjustmentRequestsTable>;

export async function loadRequest(q: Q, id: number): Promise<RequestRow> {
  const row = await q
    .selectFrom('adjustment_requests')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', { entity: 'adjustment_request' });
  return row;
}

/**
 * The request must be as the caller read it: a decision, recall or amendment made on a stale read
 * (another approver's click, a recall in between) is VERSION_CONFLICT, whatever the state is now.
 */
export function assertVersion(r: Pick<RequestRow, 'version'>, given: number): void {
  if (r.version !== given) throw new AppError('VERSION_CONFLICT', { current: r.version, given });
}

export function chainOf(r: Pick<RequestRow, 'chain'>): ChainStep[] {
  return JSON.parse(r.chain) as ChainStep[];
}

/** Whether `actor` holds a step's seat: its member, or a user of its role. */
export function holdsStep(actor: Actor, step: ChainStep): boolean {
  return step.kind === 'member' ? actor.memberId === step.memberId : actor.role === step.role;
}

/**
 * Who may read a request: the requester, anyone in its chain, admin/finance/viewer, and a
 * manager whose subtree holds the unit the request was scoped to.
 */
export async function canRead(q: Q, actor: Actor, r: RequestRow): Promise<boolean> {
  if (actor.scope.all || r.requester_user_id === actor.id) return true;
  if (chainOf(r).some((s) => holdsStep(actor, s))) return true;
  if (r.scope_unit_id === null || actor.scope.unitPaths.length === 0) return false;
  const u = await q
    .selectFrom('org_units')
    .select('path')
    .where('id', '=', r.scope_unit_id)
    .executeTakeFirst();
  return !!u && actor.scope.unitPaths.some((p) => u.path.startsWith(p));
}

export async function assertReadable(q: Q, actor: Actor, r: RequestRow): Promise<void> {
  if (!(await canRead(q, actor, r))) throw new AppError('FORBIDDEN');
}

export async function replaceCells(
  q: Q,
  requestId: number,
  metricId: number,
  cells: readonly { cellId: number; before: number; after: number }[],
): Promise<void> {
  await q.deleteFrom('adjustment_request_cells').where('request_id', '=', requestId).execute();
  for (const c of cells) {
    const row = await q
      .selectFrom('target_cells')
      .selectAll()
      .where('id', '=', c.cellId)
      .executeTakeFirstOrThrow();
    await q
      .insertInto('adjustment_request_cells')
      .values({
        request_id: requestId,
        cell_id: c.cellId,
        owner_type: row.owner_type,
        owner_id: row.owner_id,
        period: row.period,
        metric_id: metricId,
        dim_key: [
          row.product_line_id,
          row.region_id,
          row.segment_id,
          row.channel_id,
          row.lifecycle,
        ].join('|'),
        before: c.before,
        after: c.after,
      })
      .execute();
  }
}

export async function requestCells(q: Q, requestId: number) {
  return q
    .selectFrom('adjustment_request_cells')
    .selectAll()
    .where('request_id', '=', requestId)
    .orderBy('id')
    .execute();
}
