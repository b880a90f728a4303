import type { Db } from '../../db/connect.ts';
import { ownerRef } from '../../db/plans/keys.ts';
import { metricByCode } from '../../db/plans/metrics.ts';
import { loadOrg } from '../../db/plans/org.ts';
import { proposalsOf } from '../../db/plans/proposals.ts';
import { fiscalYearId, getVersion } from '../../db/plans/versions.ts';
import type { OwnerType } from '../../db/schema.ts';
import { getSetting } from '../../db/settings.ts';
import { AppError } from '../../domain/errors.ts';
import { periodRange } from '../../domain/periods.ts';
import { rollUpProposals } from '../../domain/planning/proposals.ts';
import type { TreeNode } from '../../domain/planning/tree.ts';
import type { Actor } from '../actor.ts';
import { visibleOwners } from './access.ts';

export interface ProposalsQuery {
  metric: string;
  unitId?: number;
  /** Default: the fiscal year. */
  period?: string;
}

export interface ProposalNodeView {
  ref: string;
  parentRef: string | null;
  ownerType: OwnerType;
  ownerId: number;
  nameZh: string;
  nameEn: string;
  assigned: number | null;
  proposed: number;
  ownProposal: number | null;
  note: string | null;
  gap: number | null;
  coverageBp: number | null;
  leaves: number;
  leavesProposed: number;
  complete: boolean;
}

export interface ProposalsView {
  metric: string;
  period: string;
  nodes: ProposalNodeView[];
}

/** Per node of the caller's tree: the assigned number, the proposals rolled up, the gap and coverage. */
export async function readProposals(
  db: Db,
  user: Actor,
  versionId: number,
  query: ProposalsQuery,
): Promise<ProposalsView> {
  const { plan, version: v } = await getVersion(db, versionId);
  const metric = await metricByCode(db, query.metric);
  const fsm = await getSetting(db, 'fiscalYearStartMonth');
  const period = query.period ?? fiscalYearId(plan.fiscal_year);
  const range = periodRange(period, fsm);
  const org = await loadOrg(db, range);
  const visible = await visibleOwners(db, user.scope);
  const startId =
    query.unitId ??
    (visible === null
      ? org.root.id
      : [...org.units.values()].find(
          (u) => visible.units.has(u.id) && (u.parentId === null || !visible.units.has(u.parentId)),
        )?.id);
  const nodes: (TreeNode & {
    ownerType: 'unit' | 'member';
    ownerId: number;
    nameZh: string;
    nameEn: string;
  })[] = [];
  if (startId === undefined) {
    if (user.memberId === null) throw new AppError('FORBIDDEN');
    const m = org.members.get(user.memberId);
    nodes.push({
      id: ownerRef({ ownerType: 'member', ownerId: user.memberId }),
      parentId: null,
      ownerType: 'member',
      ownerId: user.memberId,
      nameZh: m?.nameZh ?? '',
      nameEn: m?.nameEn ?? '',
    });
  } else {
    if (!org.units.has(startId)) throw new AppError('NOT_FOUND', { entity: 'org_unit' });
    if (visible !== null && !visible.units.has(startId)) throw new AppError('FORBIDDEN');
    const placed = new Set<number>();
    const visit = (unitId: number, parentId: string | null) => {
      const u = org.units.get(unitId);
      if (!u) return;
      const id = ownerRef({ ownerType: 'unit', ownerId: unitId });
      nodes.push({
        id,
        parentId,
        ownerType: 'unit',
        ownerId: unitId,
        nameZh: u.nameZh,
        nameEn: u.nameEn,
      });
      const subs = org.childUnits(unitId);
      for (const s of subs) visit(s.id, id);
      if (subs.length > 0) return;
      for (const m of org.membersOf(unitId, range)) {
        if (placed.has(m.id)) continue;
        placed.add(m.id);
        nodes.push({
          id: ownerRef({ ownerType: 'member', ownerId: m.id }),
          parentId: id,
          ownerType: 'member',
          ownerId: m.id,
          nameZh: m.nameZh,
          nameEn: m.nameEn,
        });
      }
    };
    visit(startId, null);
  }
  const cells = await db
    .selectFrom('target_cells')
    .select(['owner_type', 'owner_id', 'value'])
    .where('version_id', '=', v.id)
    .where('metric_id', '=', metric.id)
    .where('period', '=', period)
    .where('product_line_id', '=', 0)
    .where('region_id', '=', 0)
    .where('segment_id', '=', 0)
    .where('channel_id', '=', 0)
    .where('lifecycle', '=', '')
    .execute();
  const assigned: Record<string, number> = {};
  for (const c of cells)
    assigned[ownerRef({ ownerType: c.owner_type, ownerId: c.owner_id })] = c.value;
  const proposals = await proposalsOf(db, v.id, metric.id, period);
  const proposed: Record<string, number> = {};
  const notes = new Map<string, string>();
  for (const p of proposals) {
    const ref = ownerRef({ ownerType: p.owner_type, ownerId: p.owner_id });
    proposed[ref] = p.value;
    notes.set(ref, p.note);
  }
  const rolled = rollUpProposals({ nodes, assigned, proposed });
  return {
    metric: metric.code,
    period,
    nodes: nodes.map((n) => {
      const r = rolled[n.id];
      return {
        ref: n.id,
        parentRef: n.parentId,
        ownerType: n.ownerType,
        ownerId: n.ownerId,
        nameZh: n.nameZh,
        nameEn: n.nameEn,
        assigned: r?.assigned ?? null,
        proposed: r?.proposed ?? 0,
        ownProposal: r?.ownProposal ?? null,
        note: notes.get(n.id) ?? null,
        gap: r?.gap ?? null,
        coverageBp: r?.coverageBp ?? null,
        leaves: r?.leaves ?? 0,
        leavesProposed: r?.leavesProposed ?? 0,
        complete: r?.complete ?? false,
      };
    }),
  };
}
