import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { readPlanHistory } from '../../app/plans/read-history.ts';
import { readOwnerHistory } from '../../app/plans/read-owner-history.ts';
import { requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import { idParams } from '../schemas.ts';
import { historyQuery, historySchema, ownerHistoryQuery, ownerHistorySchema } from './schemas.ts';

/** Last years' monthly actuals of a unit's subtree, for the planner (see `readPlanHistory`). */
export const historyRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;

    app.get(
      '/plan-versions/:id/history',
      {
        schema: {
          tags: ['plans'],
          summary:
            "Monthly actuals of the N fiscal years before the plan's, for the company (or unitId), from the rollups",
          params: idParams,
          querystring: historyQuery,
          response: { 200: historySchema },
        },
      },
      async (req) => readPlanHistory(db, requireUser(req), req.params.id, req.query, deps.now()),
    );

    app.get(
      '/plan-versions/:id/history/owners',
      {
        schema: {
          tags: ['plans'],
          summary:
            "Last fiscal year's actual of every unit and member under the company (or unitId), from the rollups: the org split by history starts from it",
          params: idParams,
          querystring: ownerHistoryQuery,
          response: { 200: ownerHistorySchema },
        },
      },
      async (req) => readOwnerHistory(db, requireUser(req), req.params.id, req.query, deps.now()),
    );
  };
