import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { rootUnit } from '../../db/plans/org.ts';
import { fiscalYearId, getVersion } from '../../db/plans/versions.ts';
import { salesTotals, type SalesMeasures } from '../../db/rollups.ts';
import { getSetting } from '../../db/settings.ts';
import { AppError } from '../../domain/errors.ts';
import { monthsOfFiscalYear, periodRange } from '../../domain/periods.ts';
import { requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import { chinaToday } from '../../app/clock.ts';
import { idParams } from '../schemas.ts';
import { isDirector } from '../../app/plans/access.ts';
import { historyQuery, historySchema } from './schemas.ts';

const MEASURE: Record<z.infer<typeof historySchema>['metric'], keyof SalesMeasures> = {
  revenue: 'amount',
  gross_profit: 'grossProfit',
  deals: 'orders',
};

/**
 * Last years' monthly actuals of a unit's subtree, for the planner: the top-down lens grows from
 * last year's total and the 'history' seasonality takes each month's share. Read from the sales
 * rollups (never the order lines), by fiscal year, so the months line up with the plan's.
 * Planners only: the director for any unit (the company by default), a manager inside their subtree.
 */
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
      async (req) => {
        const user = requireUser(req);
        const { plan } = await getVersion(db, req.params.id);
        const director = await isDirector(db, user);
        if (!director && user.role !== 'manager') throw new AppError('FORBIDDEN');
        let unit: { id: number; path: string };
        if (req.query.unitId !== undefined) {
          const u = await db
            .selectFrom('org_units')
            .select(['id', 'path'])
            .where('id', '=', req.query.unitId)
            .executeTakeFirst();
          if (!u) throw new AppError('NOT_FOUND', { entity: 'org_unit' });
          unit = u;
        } else if (director) {
          unit = await rootUnit(db);
        } else {
          // A manager's own top unit: the company's numbers are the director's.
          const managed = user.scope.unitPaths[0];
          if (!managed) throw new AppError('FORBIDDEN');
          unit = { id: Number(managed.split('/').at(-2)), path: managed };
        }
        if (!director && !user.scope.unitPaths.some((p) => unit.path.startsWith(p)))
          throw new AppError('FORBIDDEN');

        const fsm = await getSetting(db, 'fiscalYearStartMonth');
        const measure = MEASURE[req.query.metric];
        const fys = Array.from({ length: req.query.years }, (_, k) => plan.fiscal_year - 1 - k);
        const oldest = fys.at(-1) ?? plan.fiscal_year - 1;
        const { rows } = await salesTotals(db, {
          unitPath: unit.path,
          start: periodRange(fiscalYearId(oldest), fsm).start,
          end: periodRange(fiscalYearId(plan.fiscal_year - 1), fsm).end,
          groupBy: 'month',
        });
        const byMonth = new Map(rows.map((r) => [String(r.key), r[measure]]));
        const today = chinaToday(deps.now());
        const years = fys.map((fiscalYear) => {
          const months = monthsOfFiscalYear(fiscalYear, fsm).map((month) => ({
            month,
            amount: byMonth.get(month) ?? 0,
          }));
          const complete = periodRange(fiscalYearId(fiscalYear), fsm).end < today;
          return { fiscalYear, total: months.reduce((a, m) => a + m.amount, 0), complete, months };
        });
        return {
          metric: req.query.metric,
          unitId: unit.id,
          years,
          lastYearActual: years[0]?.total ?? 0,
        };
      },
    );
  };
