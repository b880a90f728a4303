import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getSetting } from '../../db/settings.ts';
import { commitTarget } from '../../db/plans/commit-target.ts';
import { withDims } from '../../db/plans/keys.ts';
import { metricByCode } from '../../db/plans/metrics.ts';
import { loadOrg } from '../../db/plans/org.ts';
import { repOf } from '../../db/plans/capacity.ts';
import {
  assertDraft,
  copyVersion,
  createPlan,
  fiscalYearId,
  getVersion,
  listPlans,
  settingsOf,
  touchVersion,
  transitionVersion,
  type Transition,
} from '../../db/plans/versions.ts';
import { AppError } from '../../domain/errors.ts';
import { monthsOfFiscalYear, periodRange } from '../../domain/periods.ts';
import { evaluateLenses } from '../../domain/planning/lenses.ts';
import { targetTiers } from '../../domain/tiers.ts';
import { audit } from '../../db/audit.ts';
import { requireRole, requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import { chinaToday } from '../../app/clock.ts';
import { idParams } from '../schemas.ts';
import { assertDirector, isDirector } from '../../app/plans/access.ts';
import { toVersionDto } from './dto.ts';
import {
  commitBody,
  commitResponse,
  createPlanBody,
  lensesBody,
  lensesResponse,
  planSchema,
  planVersionSchema,
  settingsBody,
  transitionBody,
  versionDetailSchema,
} from './schemas.ts';

const tags = ['plans'];

export const versionRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;

    async function detail(id: number, canApprove: boolean) {
      const { plan, version } = await getVersion(db, id);
      const fsm = await getSetting(db, 'fiscalYearStartMonth');
      const s = settingsOf(version);
      return {
        ...toVersionDto(version),
        plan: {
          id: plan.id,
          fiscalYear: plan.fiscal_year,
          nameZh: plan.name_zh,
          nameEn: plan.name_en,
        },
        months: monthsOfFiscalYear(plan.fiscal_year, fsm),
        lenses: JSON.parse(version.lenses || '{}') as Record<string, unknown>,
        tiers: version.committed_target === null ? null : targetTiers(version.committed_target, s),
        canApprove,
      };
    }

    app.get(
      '/plans',
      {
        schema: {
          tags,
          summary: 'Plans by fiscal year with every version and its status',
          response: { 200: z.array(planSchema) },
        },
      },
      async (req) => {
        requireUser(req);
        return (await listPlans(db)).map(({ plan, versions }) => ({
          id: plan.id,
          fiscalYear: plan.fiscal_year,
          nameZh: plan.name_zh,
          nameEn: plan.name_en,
          createdAt: plan.created_at,
          versions: versions.map(toVersionDto),
        }));
      },
    );

    app.post(
      '/plans',
      {
        schema: {
          tags,
          summary: 'Create a plan for a fiscal year with version 1 as a draft',
          body: createPlanBody,
          response: { 201: planSchema },
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        await assertDirector(db, user);
        const now = deps.now();
        const { plan, version } = await db.transaction().execute(async (trx) => {
          const created = await createPlan(trx, req.body, user.id, now);
          await audit(trx, now, {
            userId: user.id,
            action: 'create',
            entity: 'plan',
            entityId: created.plan.id,
            after: req.body,
          });
          return created;
        });
        return reply.status(201).send({
          id: plan.id,
          fiscalYear: plan.fiscal_year,
          nameZh: plan.name_zh,
          nameEn: plan.name_en,
          createdAt: plan.created_at,
          versions: [toVersionDto(version)],
        });
      },
    );

    app.get(
      '/plan-versions/:id',
      { schema: { tags, params: idParams, response: { 200: versionDetailSchema } } },
      async (req) => detail(req.params.id, await isDirector(db, requireUser(req))),
    );

    app.put(
      '/plan-versions/:id/settings',
      {
        schema: {
          tags,
          summary: 'Tier percentages and buffer (bp) of a draft',
          params: idParams,
          body: settingsBody,
          response: { 200: versionDetailSchema },
        },
      },
      async (req) => {
        const user = requireUser(req);
        await assertDirector(db, user);
        const now = deps.now();
        const { version: v } = await getVersion(db, req.params.id);
        assertDraft(v);
        const { version, ...settings } = req.body;
        targetTiers(0, settings); // the domain's own check: base ≤ 100% ≤ challenge
        await db.transaction().execute(async (trx) => {
          await touchVersion(trx, v, version, { settings: JSON.stringify(settings) });
          await audit(trx, now, {
            userId: user.id,
            action: 'update',
            entity: 'plan_version',
            entityId: v.id,
            before: settingsOf(v),
            after: settings,
          });
        });
        return detail(v.id, true);
      },
    );

    const transition = (action: Transition, who: 'director' | 'planner') =>
      app.post(
        `/plan-versions/:id/${action}`,
        {
          schema: {
            tags,
            summary: `Workflow: ${action}`,
            params: idParams,
            body: transitionBody,
            response: { 200: planVersionSchema },
          },
        },
        async (req) => {
          const user = requireUser(req);
          if (who === 'director') await assertDirector(db, user);
          else if (!(await isDirector(db, user))) requireRole(req, ['manager']);
          const now = deps.now();
          const { version: v } = await db.transaction().execute(async (trx) => {
            const { version: before } = await getVersion(trx, req.params.id);
            const { supersededId } = await transitionVersion(
              trx,
              before,
              action,
              req.body.version,
              user.id,
              now,
              req.body.note,
            );
            await audit(trx, now, {
              userId: user.id,
              action,
              entity: 'plan_version',
              entityId: before.id,
              before: { status: before.status },
              after: {
                status: (await getVersion(trx, before.id)).version.status,
                note: req.body.note ?? null,
                supersededId,
              },
            });
            if (supersededId !== null) {
              await audit(trx, now, {
                userId: user.id,
                action: 'supersede',
                entity: 'plan_version',
                entityId: supersededId,
                after: { by: before.id },
              });
            }
            return getVersion(trx, before.id);
          });
          return toVersionDto(v);
        },
      );
    transition('submit', 'planner');
    transition('approve', 'director');
    transition('reject', 'director');
    transition('activate', 'director');

    app.post(
      '/plan-versions/:id/copy',
      {
        schema: {
          tags,
          summary:
            'New draft based on this version (cells and splits copied); months already elapsed are frozen',
          params: idParams,
          response: { 201: planVersionSchema },
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        await assertDirector(db, user);
        const now = deps.now();
        const fsm = await getSetting(db, 'fiscalYearStartMonth');
        const created = await db.transaction().execute(async (trx) => {
          const { plan, version } = await getVersion(trx, req.params.id);
          const copy = await copyVersion(trx, version, plan, user.id, now, chinaToday(now), fsm);
          await audit(trx, now, {
            userId: user.id,
            action: 'copy',
            entity: 'plan_version',
            entityId: copy.id,
            after: { basedOnId: version.id, number: copy.number, frozenBefore: copy.frozen_before },
          });
          return copy;
        });
        return reply.status(201).send(toVersionDto(created));
      },
    );

    app.post(
      '/plan-versions/:id/lenses',
      {
        schema: {
          tags,
          summary:
            'Compute the three lenses (top-down, bottom-up capacity, funnel) and store inputs and results',
          params: idParams,
          body: lensesBody,
          response: { 200: lensesResponse },
        },
      },
      async (req) => {
        const user = requireUser(req);
        await assertDirector(db, user);
        const now = deps.now();
        const { plan, version: v } = await getVersion(db, req.params.id);
        assertDraft(v);
        const fsm = await getSetting(db, 'fiscalYearStartMonth');
        const months = monthsOfFiscalYear(plan.fiscal_year, fsm);
        const b = req.body;
        let reps = b.bottomUp.reps;
        if (!reps) {
          const org = await loadOrg(db, periodRange(fiscalYearId(plan.fiscal_year), fsm));
          reps = [...org.members.values()].map((m) => repOf(m, months));
        }
        const { result, details } = evaluateLenses({
          topDown: b.topDown,
          bottomUp: { ...b.bottomUp, months, reps },
          funnel: b.funnel ?? null,
          thresholds: b.thresholds ?? {},
        });
        const { version: _ignored, ...inputs } = b;
        const stored = {
          inputs: { ...inputs, bottomUp: { ...inputs.bottomUp, reps } },
          results: { ...result, details },
          computedAt: now.toISOString(),
        };
        const next = await db.transaction().execute(async (trx) => {
          const n = await touchVersion(trx, v, b.version, { lenses: JSON.stringify(stored) });
          await audit(trx, now, {
            userId: user.id,
            action: 'lenses',
            entity: 'plan_version',
            entityId: v.id,
            after: { inputs, verdict: result.verdict },
          });
          return n;
        });
        return {
          topDown: result.lenses.topDown,
          bottomUp: result.lenses.bottomUp,
          funnel: result.lenses.funnel,
          gaps: result.gaps,
          achievable: result.achievable,
          excessFen: result.excessFen,
          excessBp: result.excessBp,
          verdict: result.verdict,
          details,
          version: next,
        };
      },
    );

    app.put(
      '/plan-versions/:id/commit',
      {
        schema: {
          tags,
          summary:
            "Commit the target: sets the company root's fiscal-year cell and returns the tiers",
          params: idParams,
          body: commitBody,
          response: { 200: commitResponse },
        },
      },
      async (req) => {
        const user = requireUser(req);
        await assertDirector(db, user);
        const now = deps.now();
        const b = req.body;
        return db.transaction().execute(async (trx) => {
          const { plan, version: v } = await getVersion(trx, req.params.id);
          assertDraft(v);
          const metric = await metricByCode(trx, b.metric);
          if (metric.kind !== 'additive')
            throw new AppError('METRIC_NOT_SPLITTABLE', { code: metric.code, kind: metric.kind });
          const root = (await loadOrg(trx, periodRange(fiscalYearId(plan.fiscal_year), 1))).root;
          const key = withDims({
            ownerType: 'unit',
            ownerId: root.id,
            period: fiscalYearId(plan.fiscal_year),
          });
          const {
            cellId,
            tiers,
            version: next,
          } = await commitTarget(trx, v, b.version, metric, key, b.target, {
            userId: user.id,
            now,
          });
          return {
            committedTarget: b.target,
            metric: metric.code,
            period: key.period,
            cellId,
            tiers,
            version: next,
          };
        });
      },
    );
  };
