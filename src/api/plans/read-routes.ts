import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { explainTarget } from '../../app/plans/explain-target.ts';
import { readCompare } from '../../app/plans/read-compare.ts';
import { readPlanGrid } from '../../app/plans/read-plan-grid.ts';
import { requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import { idParams } from '../schemas.ts';
import { parseDims } from './dims.ts';
import { compareQuery, compareSchema, gridQuery, gridSchema, whySchema } from './schemas.ts';

const tags = ['plans'];

export const readRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;

    app.get(
      '/plan-versions/:id/grid',
      {
        schema: {
          tags,
          summary:
            'Org rows (units down to members, within the caller’s scope) × months and the year, with totals and check flags — the same rows as the grid’s Excel export',
          params: idParams,
          querystring: gridQuery,
          response: { 200: gridSchema },
        },
      },
      async (req) =>
        readPlanGrid(db, requireUser(req), {
          versionId: req.params.id,
          metricCode: req.query.metric,
          ...(req.query.unitId === undefined ? {} : { unitId: req.query.unitId }),
          ...(req.query.depth === undefined ? {} : { depth: req.query.depth }),
          dims: parseDims(req.query.dims),
        }),
    );

    app.get(
      '/target-cells/:id/why',
      {
        schema: {
          tags,
          summary: 'Why is this target what it is: the chain of splits up to the committed target',
          params: idParams,
          response: { 200: whySchema },
        },
      },
      async (req) => explainTarget(db, requireUser(req), req.params.id),
    );

    app.get(
      '/plan-versions/compare',
      {
        schema: {
          tags,
          summary:
            'Differences between two versions per owner × period (cells not split by a dimension)',
          querystring: compareQuery,
          response: { 200: compareSchema },
        },
      },
      async (req) => readCompare(db, requireUser(req), req.query),
    );
  };
