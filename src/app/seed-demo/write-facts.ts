import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { audit } from '../../db/audit.ts';
import type { Database } from '../../db/schema.ts';
import type { Problem } from '../../domain/errors.ts';
import { FULL_BP } from '../../domain/percent.ts';
import { multiplyFenByRatio } from '../../domain/money.ts';
import type { FactKindName, FactTable } from '../facts/kind.ts';
import { recomputePrimaryLines } from '../facts/primary-lines.ts';
import { FactRefs } from '../facts/refs.ts';
import { refreshCustomerFirsts } from '../../db/customer-firsts.ts';
import { applyRollupDeltas, RollupDeltas } from '../facts/rollup-deltas.ts';
import type { DemoActuals } from './actuals.ts';

export interface FactCounts {
  orderLines: number;
  collections: number;
  leads: number;
  opportunities: number;
  activities: number;
}

/** Bind parameters per statement stay under SQLite's 32,766 (and PostgreSQL's 65,535). */
const MAX_PARAMS = 30_000;

/**
 * Writes the demo's actuals inside the seed's transaction, one fact batch per kind as an import
 * would record it. Crediting is the facts engine's own: every row goes through `FactRefs.credit`
 * (the owner's effective-dated membership on the fact's date), customers and products resolve
 * to their region, segment, line and margin there too, and gross profit is the catalogue margin
 * × amount exactly as the importer computes it. The rows are then inserted set-based — the
 * importer's per-row checks and diffing against stored rows have nothing to find in an empty
 * database — and the engine marks the primary line of each order and applies the rollup deltas,
 * so `verifyRollups` finds nothing to correct.
 */
export async function writeDemoFacts(
  trx: Transaction<Database>,
  a: DemoActuals,
  now: Date,
  userId: number | null,
): Promise<FactCounts> {
  const refs = await FactRefs.load(trx, {
    userId,
    role: 'admin',
    scope: { all: true, unitPaths: [], memberId: null },
  });
  const problems: Problem[] = [];
  const header = (field: string) => field;
  const credit = (memberCode: string, date: string, row: number) => {
    const c = refs.credit(memberCode, null, date, row, header, problems);
    if (!c) throw new Error(`demo fact ${row}: ${JSON.stringify(problems.at(-1))}`);
    return { member_id: c.memberId, org_unit_id: c.unitId };
  };
  const customer = (code: string | null) => {
    const c =
      code === null
        ? { id: 0, regionId: 0, segmentId: 0 }
        : refs.customer(code, 0, 'customer', problems);
    if (!c) throw new Error(`demo customer ${code}`);
    return c;
  };
  const channel = (code: string) => refs.channel(code, 0, 'channel', problems) ?? 0;

  const orders = a.orders.map((o, i) => {
    const c = customer(o.customerCode);
    const p = refs.product(o.productCode, i, 'product', problems)!;
    return {
      ext_id: o.extId,
      order_no: o.orderNo,
      is_primary: 0,
      order_date: o.date,
      due_date: o.dueDate,
      ...credit(o.memberCode, o.date, i),
      customer_id: c.id,
      product_id: p.id,
      product_line_id: p.lineId,
      channel_id: channel(o.channelCode),
      region_id: c.regionId,
      segment_id: c.segmentId,
      lifecycle: o.lifecycle,
      amount: o.amount,
      quantity: o.quantity,
      gross_profit: multiplyFenByRatio(o.amount, p.marginBp, FULL_BP),
    };
  });
  const collections = a.collections.map((x, i) => ({
    ext_id: x.extId,
    collected_date: x.date,
    due_date: x.dueDate,
    order_no: x.orderNo,
    ...credit(x.memberCode, x.date, i),
    customer_id: customer(x.customerCode).id,
    amount: x.amount,
  }));
  const leads = a.leads.map((l, i) => ({
    ext_id: l.extId,
    created_date: l.date,
    ...credit(l.memberCode, l.date, i),
    channel_id: channel(l.channelCode),
    customer_id: 0,
    status: l.status,
    converted_date: l.convertedDate,
  }));
  const opportunities = a.opportunities.map((o, i) => ({
    ext_id: o.extId,
    created_date: o.date,
    ...credit(o.memberCode, o.date, i),
    customer_id: customer(o.customerCode).id,
    channel_id: channel(o.channelCode),
    lead_ext_id: o.leadExtId,
    amount: o.amount,
    stage: o.stage,
    probability_bp: o.probabilityBp,
    expected_close_date: o.expectedCloseDate,
    closed_date: o.closedDate,
    status: o.status,
    stage_history: JSON.stringify(o.stageHistory),
  }));
  const activities = a.activities.map((x, i) => ({
    ext_id: x.extId,
    activity_date: x.date,
    ...credit(x.memberCode, x.date, i),
    customer_id: customer(x.customerCode).id,
    kind: x.kind,
  }));

  const write = async (kind: FactKindName, table: FactTable, rows: Record<string, unknown>[]) => {
    const payload = JSON.stringify(rows.map((r) => r.ext_id));
    const batch = await trx
      .insertInto('fact_batches')
      .values({
        kind,
        file_name: `demo-${kind}-${a.today}.json`,
        file_sha256: createHash('sha256').update(payload).digest('hex'),
        source: 'api',
        user_id: userId,
        created_at: now.toISOString(),
        row_count: rows.length,
        inserted_count: rows.length,
        summary: JSON.stringify({
          mode: 'demo-seed',
          rejected: 0,
          created: { customers: [], products: [] },
        }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const chunk = Math.floor(MAX_PARAMS / (Object.keys(rows[0] ?? { x: 0 }).length + 1));
    const anyTrx = trx as unknown as Kysely<any>;
    for (let i = 0; i < rows.length; i += chunk) {
      await anyTrx
        .insertInto(table)
        .values(rows.slice(i, i + chunk).map((r) => ({ ...r, batch_id: batch.id })))
        .execute();
    }
    await audit(trx, now, {
      userId,
      action: 'import',
      entity: 'fact_batch',
      entityId: batch.id,
      after: {
        kind,
        fileName: `demo-${kind}-${a.today}.json`,
        source: 'api',
        mode: 'demo-seed',
        rows: rows.length,
        inserted: rows.length,
        updated: 0,
        unchanged: 0,
        rejected: 0,
      },
    });
  };
  await write('orders', 'order_lines', orders);
  await write('collections', 'collections', collections);
  await write('leads', 'leads', leads);
  await write('opportunities', 'opportunities', opportunities);
  await write('activities', 'activities', activities);

  // The engine's rule for which line counts the deal, then its rollup deltas from those lines.
  const lines = await recomputePrimaryLines(trx, [...new Set(orders.map((o) => o.order_no))]);
  const deltas = new RollupDeltas();
  deltas.addAll(lines, 1);
  await applyRollupDeltas(trx, deltas);
  await refreshCustomerFirsts(
    trx,
    lines.map((l) => l.customer_id),
  );
  return {
    orderLines: orders.length,
    collections: collections.length,
    leads: leads.length,
    opportunities: opportunities.length,
    activities: activities.length,
  };
}
