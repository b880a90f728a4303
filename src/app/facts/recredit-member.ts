import { sql } from 'kysely';
import type { FactTable, Q } from './kind.ts';
import { recreditFirsts } from '../../db/customer-firsts.ts';
import { applyRollupDeltas, RollupDeltas, type SalesContribution } from './rollup-deltas.ts';

const DATE_COLUMN: Record<FactTable, string> = {
  order_lines: 'order_date',
  collections: 'collected_date',
  leads: 'created_date',
  opportunities: 'created_date',
  activities: 'activity_date',
};

/** The member's order lines from `fromDate` on, summed by rollup key (what they add to the rollups). */
async function contributions(
  trx: Q,
  memberId: number,
  fromDate: string,
): Promise<SalesContribution[]> {
  const rows = await trx
    .selectFrom('order_lines')
    .select((eb) => [
      'org_unit_id',
      'member_id',
      'order_date',
      'product_line_id',
      'channel_id',
      'lifecycle',
      'region_id',
      'segment_id',
      eb.fn.sum<number>('amount').as('amount'),
      eb.fn.sum<number>('gross_profit').as('gross_profit'),
      eb.fn.sum<number>('quantity').as('quantity'),
      eb.fn.sum<number>('is_primary').as('orders'),
      eb.fn.countAll<number>().as('lines'),
    ])
    .where('member_id', '=', memberId)
    .where('order_date', '>=', fromDate)
    .groupBy([
      'org_unit_id',
      'member_id',
      'order_date',
      'product_line_id',
      'channel_id',
      'lifecycle',
      'region_id',
      'segment_id',
    ])
    .execute();
  return rows;
}

/**
 * Crediting follows the date, so a transfer that takes effect in the past moves facts: every fact
 * of the member dated `fromDate` or later is re-credited to the unit the member belonged to on the
 * fact's date (one UPDATE per fact table with a correlated lookup in member_units), and the
 * member's rollup contribution from `fromDate` is taken out under the old units and put back under
 * the new ones. A fact on a date with no membership keeps its unit. Call inside the transaction
 * that changed the memberships.
 */
export async function recreditMember(trx: Q, memberId: number, fromDate: string): Promise<number> {
  const before = await contributions(trx, memberId, fromDate);
  let moved = 0;
  for (const [table, dateColumn] of Object.entries(DATE_COLUMN)) {
    const t = sql.table(table);
    const date = sql.ref(`${table}.${dateColumn}`);
    const unitOnDate = sql`(select mu.org_unit_id from member_units mu
      where mu.member_id = ${sql.ref(`${table}.member_id`)} and mu.start_date <= ${date}
        and (mu.end_date is null or mu.end_date > ${date})
      order by mu.start_date desc limit 1)`;
    const res = await sql`update ${t} set org_unit_id = coalesce(${unitOnDate}, org_unit_id)
      where member_id = ${memberId} and ${sql.ref(dateColumn)} >= ${fromDate}
        and org_unit_id <> coalesce(${unitOnDate}, org_unit_id)`.execute(trx);
    moved += Number(res.numAffectedRows ?? 0);
  }
  if (moved > 0) {
    const deltas = new RollupDeltas();
    deltas.addAll(before, -1);
    deltas.addAll(await contributions(trx, memberId, fromDate), 1);
    await applyRollupDeltas(trx, deltas);
    await recreditFirsts(trx, memberId, fromDate);
  }
  return moved;
}
