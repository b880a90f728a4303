import type { Kysely } from 'kysely';
import { audit } from '../../db/audit.ts';
import { emitEvent } from '../../db/outbox.ts';
import type { Db } from '../../db/connect.ts';
import { AppError } from '../../domain/errors.ts';
import type { Actor } from '../import-master/kind.ts';
import { factKindOf } from './kinds.ts';
import { orderLinesOf, recomputePrimaryLines } from './primary-lines.ts';
import { applyRollupDeltas, RollupDeltas } from './rollup-deltas.ts';
import { firstDealsOutside, refreshCustomerFirsts } from '../../db/customer-firsts.ts';

export interface DeleteBatchResult {
  batchId: number;
  kind: string;
  deleted: number;
}

/**
 * Removes exactly the rows this batch last wrote (`batch_id` = the batch: rows it inserted and
 * rows it changed; rows it found unchanged still belong to the batch that wrote them) and takes
 * their contribution out of the rollups, in one transaction. Other lines of the same orders may
 * become primary; their flip is part of the same delta. A manager may delete only a batch whose
 * rows all lie in their subtrees, and — for order lines — none of whose orders has a line outside
 * them (FACT_ORDER_OUTSIDE_SCOPE), and whose deletion leaves every first deal credited outside
 * them where it is (FACT_BATCH_FIRST_DEAL_OUTSIDE_SCOPE, checked after the delete and rolled
 * back). Admins delete any batch.
 */
export async function deleteBatch(
  db: Db,
  batchId: number,
  opts: { actor: Actor; now: Date },
): Promise<DeleteBatchResult> {
  return db.transaction().execute(async (trx) => {
    const batch = await trx
      .selectFrom('fact_batches')
      .selectAll()
      .where('id', '=', batchId)
      .executeTakeFirst();
    if (!batch) throw new AppError('NOT_FOUND', { entity: 'fact_batch' });
    if (batch.status === 'deleted') throw new AppError('FACT_BATCH_DELETED', { id: batchId });
    const kind = factKindOf(batch.kind);
    const anyTrx = trx as unknown as Kysely<any>;
    const { actor } = opts;
    if (actor.role !== 'admin') {
      if (actor.role !== 'manager') throw new AppError('FORBIDDEN');
      const outside = await anyTrx
        .selectFrom(`${kind.table} as f`)
        .innerJoin('org_units as ou', 'ou.id', 'f.org_unit_id')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('f.batch_id', '=', batchId)
        .where((eb) =>
          eb.not(eb.or(actor.scope.unitPaths.map((p) => eb('ou.path', 'like', `${p}%`)))),
        )
        .executeTakeFirstOrThrow();
      if (actor.scope.unitPaths.length === 0 || Number(outside.n) > 0)
        throw new AppError('FORBIDDEN');
      // An order is one deal over all its lines: taking the batch's lines out of an order that
      // also has lines outside the scope can move the deal onto one of those (`checkWriteScope`).
      if (kind.table === 'order_lines') {
        const mixed = await trx
          .selectFrom('order_lines as l')
          .innerJoin('org_units as ou', 'ou.id', 'l.org_unit_id')
          .select('l.order_no')
          .where('l.order_no', 'in', (eb) =>
            eb.selectFrom('order_lines').select('order_no').where('batch_id', '=', batchId),
          )
          .where((eb) =>
            eb.not(eb.or(actor.scope.unitPaths.map((p) => eb('ou.path', 'like', `${p}%`)))),
          )
          .limit(1)
          .executeTakeFirst();
        if (mixed) throw new AppError('FACT_ORDER_OUTSIDE_SCOPE', { orderNo: mixed.order_no });
      }
    }

    let deleted: number;
    if (kind.table === 'order_lines') {
      const orders = await trx
        .selectFrom('order_lines')
        .select('order_no')
        .distinct()
        .where('batch_id', '=', batchId)
        .execute();
      const orderNos = orders.map((o) => o.order_no);
      const before = await orderLinesOf(trx, orderNos);
      const res = await trx
        .deleteFrom('order_lines')
        .where('batch_id', '=', batchId)
        .executeTakeFirst();
      deleted = Number(res.numDeletedRows);
      const after = await recomputePrimaryLines(trx, orderNos);
      const deltas = new RollupDeltas();
      deltas.addAll(before, -1);
      deltas.addAll(after, 1);
      await applyRollupDeltas(trx, deltas);
      const customers = before.map((l) => l.customer_id);
      // A manager's deletion may not move a first deal credited outside their scope (another
      // line of the batch's orders becoming primary can make it earlier); see `checkWriteScope`.
      const outside =
        actor.role === 'admin'
          ? null
          : await firstDealsOutside(trx, customers, actor.scope.unitPaths);
      await refreshCustomerFirsts(trx, customers);
      if (outside && outside.size > 0) {
        const now = await firstDealsOutside(trx, outside.keys(), actor.scope.unitPaths);
        for (const [customer, first] of outside)
          if (now.get(customer)?.ext_id !== first.ext_id)
            throw new AppError('FACT_BATCH_FIRST_DEAL_OUTSIDE_SCOPE', {
              id: batchId,
              customer: first.code,
              date: first.order_date,
            });
      }
    } else {
      const res = await anyTrx
        .deleteFrom(kind.table)
        .where('batch_id', '=', batchId)
        .executeTakeFirst();
      deleted = Number(res.numDeletedRows);
    }
    const summary = {
      ...(JSON.parse(batch.summary) as Record<string, unknown>),
      deletedRows: deleted,
      deletedAt: opts.now.toISOString(),
    };
    await trx
      .updateTable('fact_batches')
      .set({ status: 'deleted', summary: JSON.stringify(summary) })
      .where('id', '=', batchId)
      .execute();
    await audit(trx, opts.now, {
      userId: actor.userId,
      action: 'delete',
      entity: 'fact_batch',
      entityId: batchId,
      before: { kind: batch.kind, fileName: batch.file_name, rows: batch.row_count },
      after: { deletedRows: deleted },
    });
    await emitEvent(
      trx,
      'facts.batch_deleted',
      { batchId, kind: batch.kind, userId: actor.userId, deleted },
      opts.now,
    );
    return { batchId, kind: batch.kind, deleted };
  });
}
