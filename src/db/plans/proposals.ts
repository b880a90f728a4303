import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, OwnerType, TargetProposalsTable } from '../schema.ts';
import { updateVersioned } from '../versioned.ts';

type Q = Kysely<Database> | Transaction<Database>;
export type ProposalRow = Selectable<TargetProposalsTable>;

export interface ProposalInput {
  versionId: number;
  metricId: number;
  ownerType: OwnerType;
  ownerId: number;
  period: string;
  value: number;
  note: string;
  /** The proposal's own version when updating one; omitted = last write wins for a new proposal. */
  version?: number;
}

/** Creates or replaces the proposal of one owner for one period; returns before/after for the audit. */
export async function upsertProposal(
  q: Q,
  p: ProposalInput,
  userId: number,
  now: Date,
): Promise<{ before: ProposalRow | undefined; after: ProposalRow }> {
  const before = await q
    .selectFrom('target_proposals')
    .selectAll()
    .where('version_id', '=', p.versionId)
    .where('metric_id', '=', p.metricId)
    .where('owner_type', '=', p.ownerType)
    .where('owner_id', '=', p.ownerId)
    .where('period', '=', p.period)
    .executeTakeFirst();
  const values = {
    value: p.value,
    note: p.note,
    proposed_by: userId,
    updated_at: now.toISOString(),
  };
  if (before) {
    await updateVersioned(
      q,
      'target_proposals',
      before.id,
      p.version ?? before.version,
      values,
      'target_proposal',
    );
  } else {
    await q
      .insertInto('target_proposals')
      .values({
        version_id: p.versionId,
        metric_id: p.metricId,
        owner_type: p.ownerType,
        owner_id: p.ownerId,
        period: p.period,
        ...values,
      })
      .execute();
  }
  const after = await q
    .selectFrom('target_proposals')
    .selectAll()
    .where('version_id', '=', p.versionId)
    .where('metric_id', '=', p.metricId)
    .where('owner_type', '=', p.ownerType)
    .where('owner_id', '=', p.ownerId)
    .where('period', '=', p.period)
    .executeTakeFirstOrThrow();
  return { before, after };
}

export async function proposalsOf(
  q: Q,
  versionId: number,
  metricId: number,
  period: string,
): Promise<ProposalRow[]> {
  return q
    .selectFrom('target_proposals')
    .selectAll()
    .where('version_id', '=', versionId)
    .where('metric_id', '=', metricId)
    .where('period', '=', period)
    .execute();
}
