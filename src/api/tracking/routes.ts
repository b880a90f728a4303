import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../domain/errors.ts';
import { fiscalYearOf } from '../../domain/periods.ts';
import { writeXlsx, type OutSheet } from '../../app/import/write-table.ts';
import { requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import { chinaToday } from '../../app/clock.ts';
import { buildBreakdown } from './breakdown.ts';
import { myTargetChoices, resolvePeriod, trackingContext } from './context.ts';
import { breakdownSheet, overviewSheet, rankingSheet, seriesSheet } from './export.ts';
import { buildOverview } from './overview.ts';
import { buildRanking } from './ranking.ts';
import {
  breakdownQuery,
  breakdownSchema,
  exportQuery,
  meQuery,
  meSchema,
  nodeQuery,
  overviewSchema,
  rankingQuery,
  rankingSchema,
  seriesQuery,
  seriesSchema,
} from './schemas.ts';
import { buildSeries } from './series.ts';

const tags = ['tracking'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Tracking 过程管理 (METHOD §4): read-only, scoped, answered from the rollups and the active plan. */
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
      async (req) =>
        buildOverview(db, await trackingContext(db, requireUser(req), req.query, today())),
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
      async (req) =>
        buildSeries(
          db,
          await trackingContext(db, requireUser(req), req.query, today()),
          req.query.granularity,
        ),
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
      async (req) =>
        buildBreakdown(
          db,
          await trackingContext(db, requireUser(req), req.query, today()),
          req.query.by,
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
      async (req) =>
        buildRanking(
          db,
          await trackingContext(db, requireUser(req), req.query, today()),
          req.query.by,
          req.query.rankBy,
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
      async (req) => {
        const user = requireUser(req);
        if (user.memberId === null) throw new AppError('NOT_FOUND', { entity: 'member' });
        const t = today();
        const asOf = req.query.asOf ?? t;
        const choices = await myTargetChoices(db, user, user.memberId);
        const asked = req.query.node;
        const node =
          asked === undefined
            ? (choices.find((c) => c.type === 'unit') ?? choices[0]!)
            : asked === 'me'
              ? choices[0]!
              : choices.find((c) => c.type === 'unit' && c.id === asked);
        // Only oneself and the units one manages: a unit further down is the dashboard's business.
        if (!node) throw new AppError('FORBIDDEN');
        const base = await trackingContext(
          db,
          user,
          {
            ...(node.type === 'unit' ? { unitId: node.id } : { memberId: node.id }),
            asOf,
            metric: req.query.metric,
          },
          t,
        );
        const year = {
          ...base,
          period: resolvePeriod(
            { period: fiscalYearOf(asOf, base.fiscalStartMonth) },
            asOf,
            base.fiscalStartMonth,
          ),
        };
        const [month, fy, series] = await Promise.all([
          buildOverview(db, base),
          buildOverview(db, year),
          buildSeries(db, base, 'day'),
        ]);
        return { choices, month, year: fy, series };
      },
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
        const q = req.query;
        const ctx = await trackingContext(db, requireUser(req), q, today());
        let sheet: OutSheet;
        if (q.table === 'overview') sheet = overviewSheet(await buildOverview(db, ctx), req.locale);
        else if (q.table === 'series')
          sheet = seriesSheet(await buildSeries(db, ctx, q.granularity), req.locale);
        else if (q.table === 'ranking') {
          const by = q.by === 'child_unit' ? 'child_unit' : 'member';
          sheet = rankingSheet(await buildRanking(db, ctx, by, q.rankBy), req.locale);
        } else {
          if (!q.by)
            throw new AppError('VALIDATION', { field: 'by', reason: 'required for a breakdown' });
          sheet = breakdownSheet(await buildBreakdown(db, ctx, q.by), req.locale);
        }
        const name = `tracking-${q.table}-${ctx.node.type}-${ctx.node.id}-${ctx.period.id.replace('..', '_')}.xlsx`;
        return reply
          .header('content-type', XLSX)
          .header('content-disposition', `attachment; filename="${name}"`)
          .send(await writeXlsx([sheet]));
      },
    );
  };
