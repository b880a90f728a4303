import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { chinaToday } from '../../app/clock.ts';
import { readBattleReport } from '../../app/reports/read-battle-report.ts';
import { readWeeklySheet } from '../../app/reports/read-weekly-sheet.ts';
import { updateReportSchedule } from '../../app/reports/update-report-schedule.ts';
import { getReportSchedule } from '../../db/report-schedule.ts';
import { requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import {
  battleQuery,
  battleReportSchema,
  scheduleSchema,
  updateScheduleBody,
  weeklyQuery,
  weeklySheetSchema,
} from './schemas.ts';

const tags = ['reports'];

/** The daily battle report and the weekly sheet as pages (scoped like tracking), and their schedule. */
export const reportRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const readDb = deps.readDb ?? deps.db;
    const today = () => chinaToday(deps.now());

    app.get(
      '/reports/battle',
      {
        schema: {
          tags,
          summary:
            "A unit's daily battle report (每日战报): the day, the month to date against time progress, gap, run-rate, top three and furthest behind",
          querystring: battleQuery,
          response: { 200: battleReportSchema },
        },
      },
      async (req) => readBattleReport(readDb, requireUser(req), req.query, today()),
    );

    app.get(
      '/reports/weekly',
      {
        schema: {
          tags,
          summary: "A unit's weekly review sheet (周会): the week, the month to date, the ranking",
          querystring: weeklyQuery,
          response: { 200: weeklySheetSchema },
        },
      },
      // Open alerts: wired in with the alert engine (an empty section until then).
      async (req) => readWeeklySheet(readDb, requireUser(req), req.query, today()),
    );

    app.get(
      '/reports/schedule',
      { schema: { tags, response: { 200: scheduleSchema } } },
      async (req) => {
        requireUser(req);
        return getReportSchedule(deps.db);
      },
    );

    app.put(
      '/reports/schedule',
      {
        schema: {
          tags,
          summary: 'When the reports are emitted and for which unit kinds (admins)',
          body: updateScheduleBody,
          response: { 200: scheduleSchema },
        },
      },
      async (req) => updateReportSchedule(deps.db, requireUser(req), req.body, deps.now()),
    );
  };
