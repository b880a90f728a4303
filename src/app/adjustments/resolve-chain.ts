import type { Db } from '../../db/connect.ts';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { cellById } from '../../db/plans/cells.ts';
import {
  DEFAULT_CHAIN_RULES,
  resolveChain,
  type ChainRules,
  type ChainStep,
} from '../../domain/adjustments/approval-chain.ts';
import { AppError } from '../../domain/errors.ts';
import type { RequestedCell } from './change-set.ts';
import { memberUnit, ownerUnitOf } from './change-set.ts';

type Q = Db | Transaction<Database>;

const RULES_KEY = 'adjustment_rules';

async function storedRules(q: Q): Promise<Partial<ChainRules> & { reminderDays?: number }> {
  const row = await q
    .selectFrom('settings')
    .select('value')
    .where('key', '=', RULES_KEY)
    .executeTakeFirst();
  return row ? (JSON.parse(row.value) as Partial<ChainRules> & { reminderDays?: number }) : {};
}

/**
 * The extra approval rules: the `adjustment_rules` setting (JSON: directorAboveBp,
 * directorAboveFen, incentiveMetrics, reminderDays), else the defaults.
 */
export async function chainRules(q: Q): Promise<ChainRules> {
  const { reminderDays: _days, ...rules } = await storedRules(q);
  return { ...DEFAULT_CHAIN_RULES, ...rules };
}

/** Days a request waits on one step before its approver is reminded (default 2). */
export async function reminderDays(q: Q): Promise<number> {
  const days = (await storedRules(q)).reminderDays;
  return typeof days === 'number' && days > 0 ? days : 2;
}

/**
 * The approval chain of a request by `requester` asking for `cells` of one metric: where the
 * requester stands (the unit he manages that holds the change, or a rep's own unit), which unit
 * owns the changed total (the cells' parent, the highest when several), and the rules.
 */
export async function chainFor(
  q: Q,
  requester: { memberId: number | null },
  cells: readonly RequestedCell[],
  metric: { code: string },
): Promise<{ chain: ChainStep[]; ownerUnitId: number; requesterUnitId: number }> {
  const units = await q
    .selectFrom('org_units')
    .select(['id', 'parent_id', 'manager_member_id', 'path'])
    .execute();
  const pathOf = new Map(units.map((u) => [u.id, u.path]));
  let ownerUnitId: number | null = null;
  let cellUnit: number | null = null;
  for (const c of cells) {
    const row = await cellById(q, c.cellId);
    const owner = await ownerUnitOf(q, row);
    const own = row.owner_type === 'unit' ? row.owner_id : await memberUnit(q, row.owner_id);
    cellUnit ??= own;
    if (owner === null) continue;
    if (
      ownerUnitId === null ||
      (pathOf.get(owner) ?? '').length < (pathOf.get(ownerUnitId) ?? '').length
    )
      ownerUnitId = owner;
  }
  const root = units.find((u) => u.parent_id === null);
  if (!root) throw new AppError('NOT_FOUND', { entity: 'org_unit' });
  ownerUnitId ??= root.id;
  const managed = units
    .filter((u) => requester.memberId !== null && u.manager_member_id === requester.memberId)
    .sort((a, b) => a.path.length - b.path.length);
  const cellPath = cellUnit === null ? '' : (pathOf.get(cellUnit) ?? '');
  const requesterUnitId =
    managed.find((u) => cellPath.startsWith(u.path))?.id ??
    managed[0]?.id ??
    (requester.memberId === null ? null : await memberUnit(q, requester.memberId)) ??
    root.id;
  const changeFen = cells.reduce((a, c) => a + Math.abs(c.after - c.before), 0);
  const baseFen = cells.reduce((a, c) => a + c.before, 0);
  const chain = resolveChain({
    units: units.map((u) => ({
      id: u.id,
      parentId: u.parent_id,
      managerMemberId: u.manager_member_id,
    })),
    requesterMemberId: requester.memberId,
    requesterUnitId,
    ownerUnitId,
    changeFen,
    baseFen,
    metricCode: metric.code,
    rules: await chainRules(q),
  });
  return { chain, ownerUnitId, requesterUnitId };
}
