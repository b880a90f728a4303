import type { Kysely, Transaction } from 'kysely';
import { commit } from '../../domain/planning/lenses.ts';
import type { TargetTiers } from '../../domain/tiers.ts';
import { audit } from '../audit.ts';
import type { Database } from '../schema.ts';
import { cellByKey, insertCell, updateCells } from './cells.ts';
import type { CellKey } from './keys.ts';
import { respreadBelow } from './rebalance.ts';
import { settingsOf, touchVersion, type VersionRow } from './versions.ts';

type Q = Kysely<Database> | Transaction<Database>;

export interface CommittedTarget {
  cellId: number;
  tiers: TargetTiers;
  /** The plan version's row version after the write. */
  version: number;
}

/**
 * Commits a target on a key (the company root's fiscal-year cell): creates the cell, or updates it
 * and re-spreads everything already decomposed from it (locks and the frozen past kept); records
 * the committed revenue target on the version; audits the change with the tiers it implies.
 * `expectedVersion` is the caller's row version of the plan version (undefined: no check).
 */
export async function commitTarget(
  trx: Q,
  v: VersionRow,
  expectedVersion: number | undefined,
  metric: { id: number; code: string },
  key: CellKey,
  value: number,
  by: { userId: number; now: Date },
): Promise<CommittedTarget> {
  const existing = await cellByKey(trx, v.id, metric.id, key);
  let cellId: number;
  if (existing) {
    cellId = existing.id;
    await updateCells(trx, [{ id: existing.id, value }]);
    await respreadBelow(trx, v.id, metric.id, [{ row: existing, value }], v.frozen_before);
  } else {
    cellId = (
      await insertCell(trx, { versionId: v.id, metricId: metric.id, key, value, splitId: null })
    ).id;
  }
  const next = await touchVersion(
    trx,
    v,
    expectedVersion,
    metric.code === 'revenue' ? { committed_target: value } : {},
  );
  const tiers = commit(value, settingsOf(v));
  await audit(trx, by.now, {
    userId: by.userId,
    action: 'commit',
    entity: 'plan_version',
    entityId: v.id,
    before: { committedTarget: v.committed_target, cell: existing?.value ?? null },
    after: { metric: metric.code, target: value, tiers },
  });
  return { cellId, tiers, version: next };
}
