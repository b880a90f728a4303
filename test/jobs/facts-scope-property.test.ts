import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { deleteBatch } from '../../src/app/facts/delete-batch.ts';
import { importFacts } from '../../src/app/facts/import-facts.ts';
import { verifyRollups } from '../../src/app/facts/rebuild-rollups.ts';
import type { Actor } from '../../src/app/import-master/kind.ts';
import { addDays } from '../../src/domain/dates.ts';
import { AppError } from '../../src/domain/errors.ts';
import { describeEachDialect } from '../support/databases.ts';
import { csv, opts, seedFacts, type FactsFixture } from './facts-fixture.ts';

/** What a manager's write may refuse with instead of applying (issue 11). */
const SCOPE_REFUSALS = [
  'FORBIDDEN',
  'FACT_ORDER_OUTSIDE_SCOPE',
  'FACT_BATCH_FIRST_DEAL_OUTSIDE_SCOPE',
];

describeEachDialect('facts: a manager’s writes leave other scopes’ numbers alone', (t) => {
  let fx: FactsFixture;
  let east: Actor;
  beforeAll(async () => {
    fx = await seedFacts(t.db);
    const { path } = await t.db
      .selectFrom('org_units')
      .select('path')
      .where('id', '=', fx.units.east)
      .executeTakeFirstOrThrow();
    east = {
      userId: null,
      role: 'manager',
      scope: { all: false, unitPaths: [path], memberId: fx.members.mgrEast },
    };
  });

  /** West's numbers: its lines with their flags, its rollups, and the first deals it holds. */
  const westState = async () => ({
    lines: await t.db
      .selectFrom('order_lines')
      .select(['ext_id', 'order_no', 'is_primary', 'amount', 'order_date', 'lifecycle'])
      .select('customer_id')
      .where('org_unit_id', '=', fx.units.t3)
      .orderBy('ext_id')
      .execute(),
    units: await t.db
      .selectFrom('rollup_unit_month')
      .selectAll()
      .where('org_unit_id', 'in', [fx.units.west, fx.units.t3])
      .orderBy('org_unit_id')
      .orderBy('dim')
      .orderBy('month')
      .orderBy('key')
      .execute(),
    members: await t.db
      .selectFrom('rollup_sales_day')
      .selectAll()
      .where('org_unit_id', '=', fx.units.t3)
      .orderBy('day')
      .orderBy('member_id')
      .orderBy('product_line_id')
      .orderBy('channel_id')
      .orderBy('lifecycle')
      .execute(),
    firsts: await t.db
      .selectFrom('customer_firsts')
      .select(['customer_id', 'ext_id'])
      .where('org_unit_id', '=', fx.units.t3)
      .orderBy('customer_id')
      .execute(),
  });

  const someLine = (ext: number, order: number, owner: string, lifecycle: string) => ({
    ext,
    order,
    day: 10,
    owner,
    customer: 'C1',
    amount: 100,
    lifecycle,
  });
  const west = (ext: number, order: number, lifecycle: string) =>
    someLine(ext, order, 'T3', lifecycle);
  const eastLine = (ext: number, order: number, lifecycle: string) =>
    someLine(ext, order, 'R2', lifecycle);

  it('property: whatever East’s manager imports or deletes, West’s lines, deals, rollups and first deals stay (West may only gain a first deal East corrected away)', async () => {
    const line = fc.record({
      ext: fc.integer({ min: 1, max: 6 }),
      order: fc.integer({ min: 1, max: 2 }),
      day: fc.integer({ min: 0, max: 89 }),
      // R2, R3: East; R4 and the unit T3: West.
      owner: fc.constantFrom('R2', 'R3', 'R4', 'T3'),
      customer: fc.constantFrom('C1', 'C2'),
      amount: fc.integer({ min: -300, max: 2000 }),
      lifecycle: fc.constantFrom('新客', '老客', '转介绍'),
    });
    const op = fc.oneof(
      fc.record({
        type: fc.constant('import' as const),
        admin: fc.boolean(),
        lines: fc.array(line, { minLength: 1, maxLength: 5 }),
      }),
      fc.record({ type: fc.constant('delete' as const), admin: fc.boolean(), pick: fc.nat() }),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 6 }), async (ops) => {
        const prefix = `S${run++}-`;
        const batches: number[] = [];
        for (const o of ops) {
          const actor = o.admin ? opts.actor : east;
          const before = o.admin ? null : await westState();
          if (o.type === 'import') {
            const seen = new Set<number>();
            const rows = ['订单行号,订单号,下单日期,销售工号,组织编码,客户,金额,客户类别'];
            for (const l of o.lines) {
              if (seen.has(l.ext)) continue;
              seen.add(l.ext);
              const [owner, unit] = l.owner === 'T3' ? ['', 'T3'] : [l.owner, ''];
              rows.push(
                `${prefix}${l.ext},${prefix}O${l.order},${addDays('2026-01-01', l.day)},${owner},${unit},${prefix}${l.customer},${l.amount},${l.lifecycle}`,
              );
            }
            const res = await importFacts(t.db, 'orders', csv(rows), 's.csv', {
              ...opts,
              actor,
              mode: 'apply-valid',
              // Each run its own customers, so their first deals are this run's to win or lose.
              createMissing: { customers: true },
            });
            if (res.batchId !== null) batches.push(res.batchId);
          } else {
            // One of the last two batches: an administrator's batch East might try to undo.
            const at = Math.max(0, batches.length - 1 - (o.pick % 2));
            const id = batches[at];
            if (id !== undefined)
              try {
                await deleteBatch(t.db, id, { actor, now: opts.now });
                batches.splice(at, 1);
              } catch (e) {
                expect(e).toBeInstanceOf(AppError);
                expect(SCOPE_REFUSALS).toContain((e as AppError).code);
              }
          }
          if (before) {
            const after = await westState();
            expect(after.lines).toEqual(before.lines);
            expect(after.units).toEqual(before.units);
            expect(after.members).toEqual(before.members);
            // Every first deal West held, it still holds.
            expect(after.firsts).toEqual(expect.arrayContaining(before.firsts));
          }
        }
        expect(await verifyRollups(t.db)).toEqual([]);
      }),
      {
        numRuns: 40,
        examples: [
          // An administrator's batch of East's line only, in West's order: East deleting it
          // would hand the deal back to West's line.
          [
            [
              { type: 'import', admin: true, lines: [west(3, 1, '老客')] },
              { type: 'import', admin: true, lines: [eastLine(1, 1, '老客')] },
              { type: 'delete', admin: false, pick: 0 },
            ],
          ],
          // East's order with a new-customer line behind an existing-customer one, before
          // West's first deal: deleting the batch of the first line would take that deal.
          [
            [
              { type: 'import', admin: true, lines: [{ ...west(5, 2, '新客'), day: 30 }] },
              {
                type: 'import',
                admin: false,
                lines: [eastLine(1, 1, '老客'), eastLine(2, 1, '新客')],
              },
              { type: 'import', admin: false, lines: [{ ...eastLine(2, 1, '新客'), amount: 120 }] },
              { type: 'delete', admin: false, pick: 1 },
            ],
          ],
        ],
      },
    );
  });
});
