import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getSetting } from '../../db/settings.ts';
import { cellById } from '../../db/plans/cells.ts';
import { ownerRef } from '../../db/plans/keys.ts';
import { metricByCode } from '../../db/plans/metrics.ts';
import { loadOrg } from '../../db/plans/org.ts';
import { proposalsOf, upsertProposal } from '../../db/plans/proposals.ts';
import { assertDraft, fiscalYearId, getVersion } from '../../db/plans/versions.ts';
import { AppError } from '../../domain/errors.ts';
import { periodRange } from '../../domain/periods.ts';
import { rollUpProposals } from '../../domain/planning/proposals.ts';
import { monthlyTargetTable } from '../../domain/planning/target-table.ts';
import type { TreeNode } from '../../domain/planning/tree.ts';
import { audit } from '../../db/audit.ts';
import { requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import type { Actor } from '../../app/actor.ts';
import type { Db } from '../../db/connect.ts';
import type { z } from 'zod';
import { idParams } from '../schemas.ts';
import {
  assertOwnerReadable,
  isDirector,
  ownerInScope,
  visibleOwners,
} from '../../app/plans/access.ts';
import {
  keyStrategyBody,
  keyStrategyResponse,
  monthlyTableQuery,
  monthlyTableSchema,
  proposalBody,
  proposalSchema,
  proposalsQuery,
  proposalsSchema,
} from './schemas.ts';

const tags = ['plans'];

/** The built-in code whose kind and unit a custom metric shares, so the domain's table can format it. */
const stand_in = { fen: 'revenue', count: 'new_customers', bp: 'collection_rate' } as const;

export const proposalRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;

    app.put(
      '/plan-versions/:id/proposals',
      {
        schema: {
          tags,
          summary:
            'Propose a number bottom-up: a manager for units/members of their subtree, a rep for themself',
          params: idParams,
          body: proposalBody,
          response: { 200: proposalSchema },
        },
      },
      async (req) => {
        const user = requireUser(req);
        const b = req.body;
        const own = b.ownerType === 'member' && b.ownerId === user.memberId;
        const director = await isDirector(db, user);
        if (!director && !own) {
          if (
            user.role !== 'manager' ||
            !(await ownerInScope(db, { ...user.scope, memberId: null }, b.ownerType, b.ownerId))
          ) {
            throw new AppError('FORBIDDEN');
          }
        }
        if (user.role === 'finance' || user.role === 'viewer') throw new AppError('FORBIDDEN');
        const now = deps.now();
        const { after } = await db.transaction().execute(async (trx) => {
          const { version: v } = await getVersion(trx, req.params.id);
          assertDraft(v);
          const metric = await metricByCode(trx, b.metricCode);
          const r = await upsertProposal(
            trx,
            {
              versionId: v.id,
              metricId: metric.id,
              ownerType: b.ownerType,
              ownerId: b.ownerId,
              period: b.period,
              value: b.value,
              note: b.note,
              ...(b.version === undefined ? {} : { version: b.version }),
            },
            user.id,
            now,
          );
          await audit(trx, now, {
            userId: user.id,
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
          metric: b.metricCode,
          ownerType: after.owner_type,
          ownerId: after.owner_id,
          period: after.period,
          value: after.value,
          note: after.note,
          proposedBy: after.proposed_by,
          updatedAt: after.updated_at,
          version: after.version,
        };
      },
    );

    app.get(
      '/plan-versions/:id/proposals',
      {
        schema: {
          tags,
          summary: 'Per node: the assigned number, the proposals rolled up, the gap and coverage',
          params: idParams,
          querystring: proposalsQuery,
          response: { 200: proposalsSchema },
        },
      },
      async (req) => readProposals(db, requireUser(req), req.params.id, req.query),
    );

    app.get(
      '/plan-versions/:id/monthly-table',
      {
        schema: {
          tags,
          summary:
            'The monthly target table (责任主体 / 目标类型 / 月度目标值 / 周均目标 / 关键策略)',
          params: idParams,
          querystring: monthlyTableQuery,
          response: { 200: monthlyTableSchema },
        },
      },
      async (req) => readMonthlyTable(db, requireUser(req), req.params.id, req.query),
    );

    app.put(
      '/plan-versions/:id/monthly-table',
      {
        schema: {
          tags,
          summary:
            'Write the key strategy (关键策略) beside a target; allowed on a draft and on the active version',
          params: idParams,
          body: keyStrategyBody,
          response: { 200: keyStrategyResponse },
        },
      },
      async (req) => {
        const user = requireUser(req);
        const now = deps.now();
        const cell = await cellById(db, req.body.cellId);
        if (cell.version_id !== req.params.id)
          throw new AppError('NOT_FOUND', { entity: 'target_cell' });
        const { version: v } = await getVersion(db, cell.version_id);
        if (v.status !== 'draft' && v.status !== 'active')
          throw new AppError('PLAN_NOT_EDITABLE', { status: v.status, number: v.number });
        if (!(await isDirector(db, user))) {
          if (user.role !== 'manager') throw new AppError('FORBIDDEN');
          await assertOwnerReadable(
            db,
            { ...user, scope: { ...user.scope, memberId: null } },
            cell.owner_type,
            cell.owner_id,
          );
        }
        await db.transaction().execute(async (trx) => {
          await trx
            .updateTable('target_cells')
            .set({ note: req.body.keyStrategy || null })
            .where('id', '=', cell.id)
            .execute();
          await audit(trx, now, {
            userId: user.id,
            action: 'update',
            entity: 'target_cell',
            entityId: cell.id,
            before: { note: cell.note },
            after: { note: req.body.keyStrategy },
          });
        });
        return { cellId: cell.id, keyStrategy: req.body.keyStrategy || null };
      },
    );
  };

/** Per node of the caller's tree: the assigned number, the proposals rolled up, the gap and coverage. */
export async function readProposals(
  db: Db,
  user: Actor,
  versionId: number,
  query: z.infer<typeof proposalsQuery>,
): Promise<z.infer<typeof proposalsSchema>> {
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

/** The monthly target table of one month, within the caller's scope (and under unitId). */
export async function readMonthlyTable(
  db: Db,
  user: Actor,
  versionId: number,
  query: z.infer<typeof monthlyTableQuery>,
): Promise<z.infer<typeof monthlyTableSchema>> {
  const { version: v } = await getVersion(db, versionId);
  const { month, weeks } = query;
  const org = await loadOrg(db, periodRange(month));
  const visible = await visibleOwners(db, user.scope);
  let units: Set<number> | null = null;
  if (query.unitId !== undefined) {
    const start = org.units.get(query.unitId);
    if (!start) throw new AppError('NOT_FOUND', { entity: 'org_unit' });
    units = new Set(
      [...org.units.values()].filter((u) => u.path.startsWith(start.path)).map((u) => u.id),
    );
  }
  const inUnits = (ownerType: string, ownerId: number) =>
    units === null ||
    (ownerType === 'unit'
      ? units.has(ownerId)
      : org.memberships.some((m) => m.memberId === ownerId && units?.has(m.unitId)));
  const cells = await db
    .selectFrom('target_cells as c')
    .innerJoin('metrics as m', 'm.id', 'c.metric_id')
    .select([
      'c.id',
      'c.owner_type',
      'c.owner_id',
      'c.value',
      'c.note',
      'm.code',
      'm.kind',
      'm.unit',
      'm.sort_order',
    ])
    .where('c.version_id', '=', v.id)
    .where('c.period', '=', month)
    .where('c.product_line_id', '=', 0)
    .where('c.region_id', '=', 0)
    .where('c.segment_id', '=', 0)
    .where('c.channel_id', '=', 0)
    .where('c.lifecycle', '=', '')
    .where('m.kind', '!=', 'derived')
    .orderBy('c.owner_type', 'desc')
    .orderBy('c.owner_id')
    .orderBy('m.sort_order')
    .execute();
  const shown = cells.filter(
    (c) =>
      (visible === null ||
        (c.owner_type === 'unit'
          ? visible.units.has(c.owner_id)
          : visible.members.has(c.owner_id))) &&
      inUnits(c.owner_type, c.owner_id),
  );
  const lines = monthlyTargetTable(
    shown.map((c) => ({
      owner: ownerRef({ ownerType: c.owner_type, ownerId: c.owner_id }),
      metric: stand_in[c.unit],
      monthlyValue: c.value,
      weeks,
      ...(c.note ? { strategy: c.note } : {}),
    })),
  );
  const names = new Map(
    (await db.selectFrom('members').select(['id', 'name_zh', 'name_en']).execute()).map((m) => [
      m.id,
      m,
    ]),
  );
  return {
    month,
    weeks,
    rows: shown.map((c, i) => {
      const line = lines[i];
      const n = c.owner_type === 'unit' ? org.units.get(c.owner_id) : undefined;
      const m = c.owner_type === 'member' ? names.get(c.owner_id) : undefined;
      return {
        cellId: c.id,
        ownerType: c.owner_type,
        ownerId: c.owner_id,
        ownerNameZh: n?.nameZh ?? m?.name_zh ?? '',
        ownerNameEn: n?.nameEn ?? m?.name_en ?? '',
        metric: c.code,
        metricKind: c.kind,
        unit: c.unit,
        monthlyTarget: c.value,
        weeklyAverage: line?.weeklyAverage ?? c.value,
        weekly: line?.weekly ?? null,
        keyStrategy: c.note,
      };
    }),
  };
}
