import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { metricByCode } from '../../db/plans/metrics.ts';
import { upsertProposal } from '../../db/plans/proposals.ts';
import { assertDraft, getVersion } from '../../db/plans/versions.ts';
import type { OwnerType } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import type { Actor } from '../actor.ts';
import { isDirector, ownerInScope } from './access.ts';

export interface ProposeTargetInput {
  versionId: number;
  metricCode: string;
  ownerType: OwnerType;
  ownerId: number;
  period: string;
  value: number;
  note: string;
  /** The proposal's version when changing an existing one. */
  version?: number;
}

export interface ProposalView {
  id: number;
  metric: string;
  ownerType: OwnerType;
  ownerId: number;
  period: string;
  value: number;
  note: string;
  proposedBy: number | null;
  updatedAt: string;
  version: number;
}

/**
 * Proposes a number bottom-up on a draft: a manager for units and members of their subtree, a rep
 * for themself, the director for anyone. Finance and viewers never propose. Audited.
 */
export async function proposeTarget(
  db: Db,
  actor: Actor,
  input: ProposeTargetInput,
  now: Date,
): Promise<ProposalView> {
  if (actor.role === 'finance' || actor.role === 'viewer') throw new AppError('FORBIDDEN');
  const own = input.ownerType === 'member' && input.ownerId === actor.memberId;
  if (!own && !(await isDirector(db, actor))) {
    const managed = { ...actor.scope, memberId: null };
    if (
      actor.role !== 'manager' ||
      !(await ownerInScope(db, managed, input.ownerType, input.ownerId))
    )
      throw new AppError('FORBIDDEN');
  }
  const { after } = await db.transaction().execute(async (trx) => {
    const { version: v } = await getVersion(trx, input.versionId);
    assertDraft(v);
    const metric = await metricByCode(trx, input.metricCode);
    const r = await upsertProposal(
      trx,
      {
        versionId: v.id,
        metricId: metric.id,
        ownerType: input.ownerType,
        ownerId: input.ownerId,
        period: input.period,
        value: input.value,
        note: input.note,
        ...(input.version === undefined ? {} : { version: input.version }),
      },
      actor.id,
      now,
    );
    await audit(trx, now, {
      userId: actor.id,
      action: r.before ? 'update' : 'create',
      entity: 'target_proposal',
      entityId: r.after.id,
      before: r.before,
      after: r.after,
    });
    return r;
  });
  return {
    id: after.id,
    metric: input.metricCode,
    ownerType: after.owner_type,
    ownerId: after.owner_id,
    period: after.period,
    value: after.value,
    note: after.note,
    proposedBy: after.proposed_by,
    updatedAt: after.updated_at,
    version: after.version,
  };
}
