import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { proposeTarget } from '../../app/plans/propose-target.ts';
import { readMonthlyTable } from '../../app/plans/read-monthly-table.ts';
import { readProposals } from '../../app/plans/read-proposals.ts';
import { updateKeyStrategy } from '../../app/plans/update-key-strategy.ts';
import { requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import { idParams } from '../schemas.ts';
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
      async (req) =>
        proposeTarget(db, requireUser(req), { versionId: req.params.id, ...req.body }, deps.now()),
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
      async (req) =>
        updateKeyStrategy(
          db,
          requireUser(req),
          { versionId: req.params.id, ...req.body },
          deps.now(),
        ),
    );
  };
