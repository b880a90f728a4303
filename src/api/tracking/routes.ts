import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { chinaToday } from '../../app/clock.ts';
import { exportTrackingTable } from '../../app/tracking/export-tracking-table.ts';
import { readBreakdown } from '../../app/tracking/read-breakdown.ts';
import { readMyTargets } from '../../app/tracking/read-my-targets.ts';
import { readForecastAccuracy } from '../../app/tracking/read-forecast-accuracy.ts';
import { readOverview } from '../../app/tracking/read-overview.ts';
import { readRanking } from '../../app/tracking/read-ranking.ts';
import { readSeries } from '../../app/tracking/read-series.ts';
import { requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import {
  breakdownQuery,
  breakdownSchema,
  exportQuery,
  meQuery,
  meSchema,
  nodeQuery,
  overviewSchema,
  accuracyQuery,
  forecastAccuracySchema,
  rankingQuery,
  rankingSchema,
  seriesQuery,
  seriesSchema,
} from './schemas.ts';

const tags = ['tracking'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The JSON of each cached answer, made once (checked against the response schema, as the
 * serializer would) and sent as is while the read model hands out the same object: a cached
 * company-year overview is then neither re-validated, re-stringified nor re-encoded per request.
 */
const jsonOf = new WeakMap<object, Buffer>();

function sendAnswer(reply: FastifyReply, schema: z.ZodType, answer: object): FastifyReply {
  let json = jsonOf.get(answer);
  if (json === undefined) {
    // Encoded once too: a ranking of 65 members is ≈ 16 kB, much of it Chinese names.
    json = Buffer.from(JSON.stringify(schema.parse(answer)));
    jsonOf.set(answer, json);
  }
  return reply.type('application/json; charset=utf-8').send(json);
}

/** Tracking 过程管理 (METHOD §4): read-only, scoped, answered by the read model in src/app/tracking. */
export const trackingRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    // Read-only routes: the read connection, so a running import does not hold them up.
    const db = deps.readDb ?? deps.db;
    const today = () => chinaToday(deps.now());

    app.get(
      '/tracking/overview',
      {
        schema: {
          tags,
          summary:
            'Target, actual, attainment, time progress, gap, run-rate, tiers, growth, funnel and forecasts of a unit or member over a period',
          querystring: nodeQuery,
          response: { 200: overviewSchema },
        },
      },
      async (req, reply) =>
        sendAnswer(
          reply,
          overviewSchema,
          await readOverview(db, requireUser(req), req.query, today()),
        ),
    );

    app.get(
      '/tracking/forecast-accuracy',
      {
        schema: {
          tags,
          summary:
            'How accurate each forecast method has been for a unit or member: the month-end forecasts kept of closed periods against their actuals (accuracy and bias)',
          querystring: accuracyQuery,
          response: { 200: forecastAccuracySchema },
        },
      },
      async (req) => readForecastAccuracy(db, requireUser(req), req.query, today()),
    );

    app.get(
      '/tracking/series',
      {
        schema: {
          tags,
          summary:
            'Cumulative actual vs target per day, week or month, with the linear forecast to the period end',
          querystring: seriesQuery,
          response: { 200: seriesSchema },
        },
      },
      async (req, reply) =>
        sendAnswer(reply, seriesSchema, await readSeries(db, requireUser(req), req.query, today())),
    );

    app.get(
      '/tracking/breakdown',
      {
        schema: {
          tags,
          summary:
            'Structure share of the actual by a dimension, against targets where the plan has them',
          querystring: breakdownQuery,
          response: { 200: breakdownSchema },
        },
      },
      async (req, reply) =>
        sendAnswer(
          reply,
          breakdownSchema,
          await readBreakdown(db, requireUser(req), req.query, today()),
        ),
    );

    app.get(
      '/tracking/ranking',
      {
        schema: {
          tags,
          summary:
            'Members or child units of a unit ranked by attainment (or actual), with the 271 bands',
          querystring: rankingQuery,
          response: { 200: rankingSchema },
        },
      },
      async (req, reply) =>
        sendAnswer(
          reply,
          rankingSchema,
          await readRanking(db, requireUser(req), req.query, today()),
        ),
    );

    app.get(
      '/tracking/me',
      {
        schema: {
          tags,
          summary:
            'The signed-in member’s month and fiscal year overviews and the month’s daily series (mobile “my targets”)',
          querystring: meQuery,
          response: { 200: meSchema },
        },
      },
      async (req) => readMyTargets(db, requireUser(req), req.query, today()),
    );

    app.get(
      '/tracking/export',
      {
        schema: {
          tags,
          summary: 'One tracking table as .xlsx, headers in the caller’s language',
          querystring: exportQuery,
        },
      },
      async (req, reply) => {
        const file = await exportTrackingTable(
          db,
          requireUser(req),
          req.query,
          today(),
          req.locale,
        );
        return reply
          .header('content-type', XLSX)
          .header('content-disposition', `attachment; filename="${file.fileName}"`)
          .send(file.bytes);
      },
    );
  };
