import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { fitMatrix, readMatrix } from '../../app/plans/fit-matrix.ts';
import { requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import { idParams } from '../schemas.ts';
import { parseDims } from './dims.ts';
import { matrixFitBody, matrixFitResponse, matrixQuery, matrixSchema } from './schemas.ts';

const tags = ['plans'];

/**
 * The two-margin matrix fit in the planner (METHOD §11 "Two fixed margins"): read a unit's cell as
 * rows × columns with suggested margins and last year's actuals, preview the fit, apply it.
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
        const q = req.query;
        return readMatrix(
          db,
          requireUser(req),
          {
            versionId: req.params.id,
            metricCode: q.metric,
            unitId: q.unitId,
            period: q.period,
            dims: parseDims(q.dims),
            rowAxis: q.rows,
            colAxis: q.cols,
            seed: q.seed,
          },
          deps.now(),
        );
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
      async (req) =>
        fitMatrix(db, requireUser(req), { versionId: req.params.id, ...req.body }, deps.now()),
    );
  };
