import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { Db } from '../../db/connect.ts';
import { fitMatrixCells, loadMatrix, type MatrixSpec } from '../../db/plans/fit-matrix-cells.ts';
import type { SplitContext } from '../../db/plans/decompose-cell.ts';
import { withDims, type Dims } from '../../db/plans/keys.ts';
import { metricByCode } from '../../db/plans/metrics.ts';
import { assertDraft, getVersion, touchVersion } from '../../db/plans/versions.ts';
import { getSetting } from '../../db/settings.ts';
import { AppError } from '../../domain/errors.ts';
import { audit } from '../../db/audit.ts';
import { requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import type { Actor } from '../../app/actor.ts';
import { idParams } from '../schemas.ts';
import { assertTargetWritable } from '../../app/plans/access.ts';
import { parseDims } from './read-routes.ts';
import { matrixFitBody, matrixFitResponse, matrixQuery, matrixSchema } from './schemas.ts';

const tags = ['plans'];

/**
 * The two-margin matrix fit in the planner (METHOD §11 "Two fixed margins"): read a unit's cell as
 * rows × columns with suggested margins and last year's actuals, preview the fit, apply it.
 * Planners only: the director anywhere, a manager on a unit of their subtree.
 */
export const matrixRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;

    app.get(
      '/plan-versions/:id/matrix',
      {
        schema: {
          tags,
          summary:
            'A unit’s target as rows × columns on two axes: current cells, suggested margins, last year’s actual matrix',
          params: idParams,
          querystring: matrixQuery,
          response: { 200: matrixSchema },
        },
      },
      async (req) => {
        const user = requireUser(req);
        const qy = req.query;
        await assertTargetWritable(db, user, unitOwner(qy.unitId), unitOwner(qy.unitId));
        const { ctx, metric } = await context(db, deps, user, req.params.id, qy.metric);
        const spec = specOf(qy.unitId, qy.period, parseDims(qy.dims), qy.rows, qy.cols, qy.seed);
        const m = await loadMatrix(db, ctx, {
          ...spec,
          metricCode: metric.code,
          metricUnit: metric.unit,
        });
        const line = (l: (typeof m.rows)[number]) => ({
          ref: l.ref,
          nameZh: l.nameZh,
          nameEn: l.nameEn,
          cellId: l.cell?.id ?? null,
          current: l.cell?.value ?? null,
          locked: l.cell?.locked === 1,
        });
        return {
          metric: metric.code,
          parent: {
            cellId: m.parent.id,
            key: spec.parent,
            value: m.parent.value,
            ...m.parentName,
          },
          rowAxis: qy.rows,
          colAxis: qy.cols,
          seed: qy.seed,
          seedYear: m.seedYear,
          rows: m.rows.map(line),
          cols: m.cols.map(line),
          current: m.current.map((r) => r.map((c) => c?.value ?? null)),
          locked: m.current.map((r) => r.map((c) => c?.locked === 1)),
          seedMatrix: m.seedMatrix,
          suggestedRowTotals: m.suggestedRowTotals,
          suggestedColTotals: m.suggestedColTotals,
        };
      },
    );

    app.post(
      '/plan-versions/:id/matrix-fit',
      {
        schema: {
          tags,
          summary:
            'Fit a unit’s target to fixed row and column totals (IPF from a seed, controlled rounding keeping both exact); dryRun previews, otherwise writes the cells with provenance',
          params: idParams,
          body: matrixFitBody,
          response: { 200: matrixFitResponse },
        },
      },
      async (req) => {
        const user = requireUser(req);
        const b = req.body;
        await assertTargetWritable(db, user, unitOwner(b.unitId), unitOwner(b.unitId));
        const now = deps.now();
        const run = async (q: Db) => {
          const {
            ctx,
            metric,
            version: v,
          } = await context(q, deps, user, req.params.id, b.metricCode);
          assertDraft(v);
          if (!b.dryRun && b.version === undefined)
            throw new AppError('VALIDATION', { field: 'version', reason: 'required to apply' });
          const spec = specOf(b.unitId, b.period, { ...b.dims }, b.rowAxis, b.colAxis, b.seed);
          const r = await fitMatrixCells(q, ctx, {
            ...spec,
            metricCode: metric.code,
            metricUnit: metric.unit,
            rowTotals: b.rowTotals,
            colTotals: b.colTotals,
            write: !b.dryRun,
          });
          let next: number | null = null;
          if (!b.dryRun) {
            next = await touchVersion(q, v, b.version);
            const refs = (ls: { ref: string }[]) => ls.map((l) => l.ref);
            await audit(q, now, {
              userId: user.id,
              action: 'matrix_fit',
              entity: 'plan_version',
              entityId: v.id,
              before: {
                rows: r.before.rows,
                cols: r.before.cols,
                cells: r.before.cells,
              },
              after: {
                metric: metric.code,
                parent: spec.parent,
                rowAxis: b.rowAxis,
                colAxis: b.colAxis,
                seed: b.seed,
                rows: refs(r.layout.rows),
                cols: refs(r.layout.cols),
                rowTotals: r.rowTotals,
                colTotals: r.colTotals,
                cells: r.cells,
                cellsWritten: r.cellsWritten,
              },
            });
          }
          return {
            applied: !b.dryRun,
            rows: r.layout.rows.map((l) => l.ref),
            cols: r.layout.cols.map((l) => l.ref),
            rowTotals: r.rowTotals,
            colTotals: r.colTotals,
            cells: r.cells,
            fitted: r.fitted,
            iterations: r.iterations,
            converged: r.converged,
            rounding: r.rounding,
            cellsWritten: r.cellsWritten,
            version: next,
          };
        };
        // A dry run reads only; applying is one transaction (cells, splits, version, audit).
        return b.dryRun ? run(db) : db.transaction().execute((trx) => run(trx as unknown as Db));
      },
    );
  };

function unitOwner(id: number) {
  return { ownerType: 'unit' as const, ownerId: id };
}

function specOf(
  unitId: number,
  period: string,
  dims: Partial<Dims>,
  rowAxis: z.infer<typeof matrixQuery>['rows'],
  colAxis: z.infer<typeof matrixQuery>['cols'],
  seed: z.infer<typeof matrixQuery>['seed'],
): Omit<MatrixSpec, 'metricCode' | 'metricUnit'> {
  return {
    parent: withDims({ ownerType: 'unit', ownerId: unitId, period }, dims),
    rowAxis,
    colAxis,
    seed,
  };
}

async function context(db: Db, deps: AppDeps, user: Actor, versionId: number, metricCode: string) {
  const { version } = await getVersion(db, versionId);
  const metric = await metricByCode(db, metricCode);
  if (metric.kind !== 'additive')
    throw new AppError('METRIC_NOT_SPLITTABLE', { code: metric.code, kind: metric.kind });
  const ctx: SplitContext = {
    versionId: version.id,
    metricId: metric.id,
    frozenBefore: version.frozen_before,
    fiscalStartMonth: await getSetting(db, 'fiscalYearStartMonth'),
    lensesJson: version.lenses,
    userId: user.id,
    now: deps.now(),
  };
  return { ctx, metric, version };
}
