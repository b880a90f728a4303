import type { Kysely } from 'kysely';
import { firstDealsOutside, type FirstDealOutside } from '../../db/customer-firsts.ts';
import { selectWhereIn } from '../../db/sqlite-bulk.ts';
import type { Problem } from '../../domain/errors.ts';
import type { FactKind, FactValues, Q } from './kind.ts';
import type { PreparedChunk } from './prepare.ts';
import { orderLinesOf, primaryLines, type OrderLineSnapshot } from './primary-lines.ts';
import type { FactRefs } from './refs.ts';

/** The lifecycles whose primary lines count a customer's first deal (as `customer_firsts`). */
const NEW_CUSTOMER_LIFECYCLES: readonly string[] = ['new', 'referral'];

/**
 * What a manager's import may not do, whatever the row's own crediting (which `FactRefs.credit`
 * checks): change a number outside the manager's scope. Run inside the import's transaction,
 * after the kind's lock and before any write, over the rows that passed the row pass; each
 * refused row gets a problem naming its row and column and is not applied (apply-valid), or
 * refuses the file (all-or-nothing). Admins (and the CLI) are not checked.
 *
 * 1. **A stored fact is the scope's it is credited to.** A row whose external id is stored
 *    credited outside the scope is FORBIDDEN (external-id column): it would overwrite it.
 * 2. **An order belongs to every scope it has lines in.** An order is one deal, counted on its
 *    primary line (`primaryLines`), so adding a line to an order, or changing or moving one of
 *    its lines, can move the deal between lines. A row is refused (FACT_ORDER_OUTSIDE_SCOPE,
 *    order-number column — the external-id column when the file has none) when the order it
 *    names, or the order its stored line belonged to, has any stored line credited outside the
 *    scope. A manager's own lines in such an order (an administrator's import can make one) are
 *    then changed by an administrator only.
 * 3. **A first deal credited outside stays there.** A customer counts as new once, for the
 *    earliest primary new/referral line (`customer_firsts`). A row is refused
 *    (FACT_FIRST_DEAL_OUTSIDE_SCOPE) when, with the applied rows written, a line in the scope
 *    would become such a customer's first deal ahead of one credited outside: on the date column
 *    when the line is the row's, on the order-number column of every row of the order when a
 *    stored line of it would become primary. Customers are shared between regions, and the
 *    other region's manager would see a new customer vanish from a closed month because of a
 *    file they never saw; the importer gets an error naming the customer and the date instead,
 *    and an administrator, who sees both, decides. The other way round is allowed: when the
 *    manager's own first deal is corrected away (a wrong tag, a refund, a deleted batch), the
 *    credit falls to the next first deal by the definition, possibly another region's — that
 *    takes nothing from anyone, and refusing it would leave a wrong number in the importer's
 *    own scope that only an administrator could fix.
 *
 * Only order lines have numbers derived across rows (deals, first deals); the other kinds are
 * one row, one number, so (1) and the crediting check cover them. Rows already refused by the
 * row pass are not applied and play no part.
 */
export async function checkWriteScope(
  q: Q,
  kind: FactKind,
  chunk: PreparedChunk,
  refs: FactRefs,
  header: (field: string) => string,
  headerOf: Partial<Record<string, string>>,
  /** The manager's subtrees (`Scope.unitPaths`). */
  unitPaths: readonly string[],
): Promise<void> {
  const { values, rowOf, problems } = chunk;
  if (values.length === 0) return;
  const anyQ = q as unknown as Kysely<any>;
  const orders = kind.table === 'order_lines';
  const stored = new Map<string, { org_unit_id: number; order_no?: string }>();
  for (const s of await selectWhereIn<{ ext_id: string; org_unit_id: number; order_no?: string }>(
    anyQ,
    kind.table,
    'ext_id',
    values.map((v) => v.ext_id as string),
    orders ? ['ext_id', 'org_unit_id', 'order_no'] : ['ext_id', 'org_unit_id'],
  ))
    stored.set(s.ext_id, s);

  const refused = new Set<number>();
  const refuse = (i: number, p: Omit<Problem, 'row'>) => {
    if (refused.has(i)) return;
    refused.add(i);
    problems.push({ row: rowOf[i]!, ...p });
  };
  values.forEach((v, i) => {
    const s = stored.get(v.ext_id as string);
    if (s && !refs.writable(Number(s.org_unit_id)))
      refuse(i, { column: header('extId'), code: 'FORBIDDEN' });
  });
  if (!orders) return;

  // (2) Orders with a line outside the scope.
  const orderColumn = header(headerOf.orderNo !== undefined ? 'orderNo' : 'extId');
  const storedOrder = (v: FactValues) => stored.get(v.ext_id as string)?.order_no;
  const orderNos = new Set<string>();
  for (const v of values) {
    orderNos.add(v.order_no as string);
    const old = storedOrder(v);
    if (old !== undefined) orderNos.add(old);
  }
  const lines = await orderLinesOf(q, [...orderNos]);
  const outside = new Set<string>();
  for (const l of lines) if (!refs.writable(l.org_unit_id)) outside.add(l.order_no);
  values.forEach((v, i) => {
    const old = storedOrder(v);
    const hit = outside.has(v.order_no as string)
      ? (v.order_no as string)
      : old !== undefined && outside.has(old)
        ? old
        : null;
    if (hit !== null)
      refuse(i, {
        column: orderColumn,
        code: 'FACT_ORDER_OUTSIDE_SCOPE',
        params: { orderNo: hit },
      });
  });

  // (3) First deals credited outside: the orders as they would stand, until no row is refused.
  const firsts = await firstDealsOutside(
    q,
    [...values.map((v) => v.customer_id as number), ...lines.map((l) => l.customer_id)],
    unitPaths,
  );
  if (firsts.size === 0) return;
  for (;;) {
    const before = refused.size;
    for (const c of firstDealsTaken(values, refused, lines, outside, firsts)) {
      const f = firsts.get(c.customer_id)!;
      const params = { customer: f.code, date: f.order_date };
      if (c.index !== undefined)
        refuse(c.index, { column: header('date'), code: 'FACT_FIRST_DEAL_OUTSIDE_SCOPE', params });
      else
        values.forEach((v, i) => {
          if (refused.has(i) || (v.order_no !== c.order_no && storedOrder(v) !== c.order_no))
            return;
          refuse(i, { column: orderColumn, code: 'FACT_FIRST_DEAL_OUTSIDE_SCOPE', params });
        });
    }
    if (refused.size === before) return;
  }
}

/** A line that would newly be a primary new/referral line: a row's (`index`) or a stored one. */
interface Candidate {
  order_no: string;
  ext_id: string;
  amount: number;
  customer_id: number;
  order_date: string;
  lifecycle: string;
  index?: number;
  wasPrimary: boolean;
}

/**
 * The lines that would take a first deal credited outside: the orders the applied rows touch,
 * as the writer would leave them (stored lines not rewritten, plus the applied rows), flagged
 * by `primaryLines`; a line that would become primary, is new or referral, and comes before
 * its customer's first deal credited outside (order date, then external id, as
 * `customer_firsts` orders them).
 */
function firstDealsTaken(
  values: readonly FactValues[],
  refused: ReadonlySet<number>,
  lines: readonly OrderLineSnapshot[],
  outside: ReadonlySet<string>,
  firsts: ReadonlyMap<number, FirstDealOutside>,
): Candidate[] {
  const rewritten = new Set<string>();
  const after: Candidate[] = [];
  values.forEach((v, i) => {
    if (refused.has(i)) return;
    rewritten.add(v.ext_id as string);
    after.push({
      order_no: v.order_no as string,
      ext_id: v.ext_id as string,
      amount: v.amount as number,
      customer_id: v.customer_id as number,
      order_date: v.order_date as string,
      lifecycle: v.lifecycle as string,
      index: i,
      wasPrimary: false,
    });
  });
  for (const l of lines)
    if (!rewritten.has(l.ext_id) && !outside.has(l.order_no))
      after.push({
        order_no: l.order_no,
        ext_id: l.ext_id,
        amount: l.amount,
        customer_id: l.customer_id,
        order_date: l.order_date,
        lifecycle: l.lifecycle,
        wasPrimary: l.orders === 1,
      });
  const primary = primaryLines(after);
  return after.filter((c) => {
    if (primary.get(c.order_no) !== c.ext_id) return false;
    if (c.index === undefined && c.wasPrimary) return false;
    if (!NEW_CUSTOMER_LIFECYCLES.includes(c.lifecycle)) return false;
    const f = firsts.get(c.customer_id);
    return (
      f !== undefined &&
      (c.order_date < f.order_date || (c.order_date === f.order_date && c.ext_id < f.ext_id))
    );
  });
}
