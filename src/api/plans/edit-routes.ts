import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getSetting } from '../../db/settings.ts';
import { cascadePlan } from '../../db/plans/cascade.ts';
import { decomposeCell, type SplitContext } from '../../db/plans/decompose-cell.ts';
import { editCells } from '../../db/plans/edit-cells.ts';
import { withDims } from '../../db/plans/keys.ts';
import { metricByCode } from '../../db/plans/metrics.ts';
import { assertDraft, getVersion, touchVersion } from '../../db/plans/versions.ts';
import { AppError } from '../../domain/errors.ts';
import { audit } from '../../db/audit.ts';
import { requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import { idParams } from '../schemas.ts';
import { assertDirector, assertTargetWritable } from '../../app/plans/access.ts';
import { decomposeBody, decomposeResponse, editCellsBody, editCellsResponse } from './schemas.ts';

const tags = ['plans'];

export const editRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;

    app.post(
      '/plan-versions/:id/decompose',
      {
        schema: {
          tags,
          summary:
            'Split a parent cell over an axis (or build the whole plan with mode cascade); records the split as provenance',
          params: idParams,
          body: decomposeBody,
          response: { 200: decomposeResponse },
        },
      },
      async (req) => {
        const user = requireUser(req);
        const b = req.body;
        const now = deps.now();
        const fiscalStartMonth = await getSetting(db, 'fiscalYearStartMonth');
        const parent = withDims(
          { ownerType: b.parent.ownerType, ownerId: b.parent.ownerId, period: b.parent.period },
          b.parent.dims,
        );
        if (b.mode === 'cascade') await assertDirector(db, user);
        // Splitting a parent writes its children: the parent must be the caller's to split.
        else await assertTargetWritable(db, user, parent, parent);
        // Large plans take a while; one transaction keeps them all-or-nothing.
        return db.transaction().execute(async (trx) => {
          const { version: v } = await getVersion(trx, req.params.id);
          assertDraft(v);
          const metric = await metricByCode(trx, b.metricCode);
          if (metric.kind !== 'additive')
            throw new AppError('METRIC_NOT_SPLITTABLE', { code: metric.code, kind: metric.kind });
          const ctx: SplitContext = {
            versionId: v.id,
            metricId: metric.id,
            frozenBefore: v.frozen_before,
            fiscalStartMonth,
            lensesJson: v.lenses,
            userId: user.id,
            now,
          };
          const next = await touchVersion(trx, v, b.version);
          if (b.mode === 'cascade') {
            if (!b.org)
              throw new AppError('PLANNING_INVALID', {
                reason: 'a cascade needs org: { method, inputs }',
              });
            const r = await cascadePlan(trx, ctx, {
              parent,
              time: { method: b.method, inputs: b.inputs },
              org: { method: b.org.method, inputs: b.org.inputs },
              ...(b.productLines
                ? { productLines: { method: b.productLines.method, inputs: b.productLines.inputs } }
                : {}),
            });
            await audit(trx, now, {
              userId: user.id,
              action: 'decompose',
              entity: 'plan_version',
              entityId: v.id,
              after: {
                mode: 'cascade',
                metric: metric.code,
                time: { method: b.method, inputs: b.inputs },
                org: b.org,
                productLines: b.productLines ?? null,
                cells: r.cellsWritten,
              },
            });
            const root = r.months.reduce((a, m) => a + m.value, 0);
            return {
              mode: 'cascade' as const,
              splitId: null,
              parentCellId: 0,
              parentValue: root,
              children: [],
              months: r.months,
              cellsWritten: r.cellsWritten,
              splitsWritten: r.splitsWritten,
              version: next,
            };
          }
          const r = await decomposeCell(trx, ctx, {
            parent,
            axis: b.axis,
            method: b.method,
            inputs: b.inputs,
          });
          await audit(trx, now, {
            userId: user.id,
            action: 'decompose',
            entity: 'plan_version',
            entityId: v.id,
            after: {
              metric: metric.code,
              parent,
              axis: b.axis,
              method: b.method,
              inputs: b.inputs,
              splitId: r.splitId,
              children: r.children.map((c) => [c.ref, c.value]),
            },
          });
          return {
            mode: 'single' as const,
            splitId: r.splitId,
            parentCellId: r.parentCellId,
            parentValue: r.parentValue,
            children: r.children,
            months: [],
            cellsWritten: r.children.length + r.respread,
            splitsWritten: 1,
            version: next,
          };
        });
      },
    );

    app.put(
      '/plan-versions/:id/cells',
      {
        schema: {
          tags,
          summary:
            'Edit cells of a draft: a new value locks the cell and its unlocked siblings absorb the difference',
          params: idParams,
          body: editCellsBody,
          response: { 200: editCellsResponse },
        },
      },
      async (req) => {
        const user = requireUser(req);
        const now = deps.now();
        return db.transaction().execute(async (trx) => {
          const { version: v } = await getVersion(trx, req.params.id);
          assertDraft(v);
          const next = await touchVersion(trx, v, req.body.version);
          const changed = await editCells(
            trx,
            { versionId: v.id, frozenBefore: v.frozen_before },
            req.body.edits,
            async (cell, parentKey) =>
              assertTargetWritable(
                trx,
                user,
                { ownerType: cell.owner_type, ownerId: cell.owner_id },
                parentKey,
              ),
          );
          await audit(trx, now, {
            userId: user.id,
            action: 'update',
            entity: 'target_cells',
            entityId: v.id,
            before: changed.map((c) => ({ cellId: c.cellId, ...c.before })),
            after: changed.map((c) => ({ cellId: c.cellId, ...c.after })),
          });
          return { version: next, changed };
        });
      },
    );
  };
