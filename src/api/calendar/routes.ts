import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { officialHolidayData } from '../../data/chinese-holidays.ts';
import type { Db } from '../../db/connect.ts';
import { buildCalendar, type HolidayData } from '../../domain/calendar.ts';
import { assertDate, eachDay } from '../../domain/dates.ts';
import { AppError } from '../../domain/errors.ts';
import { audit } from '../../db/audit.ts';
import { requireRole, requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import type { Locale } from '../../app/actor.ts';
import {
  calendarYearSchema,
  calendarYearsSchema,
  dateParams,
  listOverridesQuery,
  overrideSchema,
  putOverrideBody,
  yearParams,
} from './schemas.ts';

/** Overrides of one year, or of every year. */
async function overridesOf(db: Db, year?: number) {
  let q = db.selectFrom('holiday_overrides').selectAll().orderBy('date');
  if (year !== undefined)
    q = q.where('date', '>=', `${year}-01-01`).where('date', '<=', `${year}-12-31`);
  return q.execute();
}

function toOverrideDto(r: {
  date: string;
  kind: 'holiday' | 'workday';
  name: string;
  updated_at: string;
}) {
  return { date: r.date, kind: r.kind, name: r.name, updatedAt: r.updated_at };
}

export const calendarRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;
    // The package data is static; map it once per language.
    const official: Record<Locale, HolidayData> = {
      'zh-CN': officialHolidayData('zh-CN'),
      en: officialHolidayData('en'),
    };

    app.get(
      '/calendar/years',
      {
        schema: {
          tags: ['calendar'],
          summary:
            'Years with the published holiday schedule and years with overrides (warn when a plan year has neither)',
          response: { 200: calendarYearsSchema },
        },
      },
      async (req) => {
        requireUser(req);
        const rows = await db
          .selectFrom('holiday_overrides')
          .select([sql<string>`substr(date, 1, 4)`.as('year'), sql<number>`count(*)`.as('n')])
          .groupBy(sql`substr(date, 1, 4)`)
          .execute();
        const overrides = new Map(rows.map((r) => [Number(r.year), Number(r.n)]));
        const years = [...new Set([...official['zh-CN'].years, ...overrides.keys()])].sort(
          (a, b) => a - b,
        );
        return years.map((year) => ({
          year,
          official: official['zh-CN'].years.includes(year),
          overrides: overrides.get(year) ?? 0,
        }));
      },
    );

    app.get(
      '/calendar/overrides',
      {
        schema: {
          tags: ['calendar'],
          querystring: listOverridesQuery,
          response: { 200: z.array(overrideSchema) },
        },
      },
      async (req) => {
        requireUser(req);
        return (await overridesOf(db, req.query.year)).map(toOverrideDto);
      },
    );

    app.put(
      '/calendar/overrides/:date',
      {
        schema: {
          tags: ['calendar'],
          summary:
            'Mark a day as a holiday or a (make-up) working day, replacing any earlier override',
          params: dateParams,
          body: putOverrideBody,
          response: { 200: overrideSchema },
        },
      },
      async (req) => {
        const user = requireRole(req, ['admin']);
        const { date } = req.params;
        assertDate(date);
        const now = deps.now();
        const values = { kind: req.body.kind, name: req.body.name, updated_at: now.toISOString() };
        await db.transaction().execute(async (trx) => {
          const before = await trx
            .selectFrom('holiday_overrides')
            .selectAll()
            .where('date', '=', date)
            .executeTakeFirst();
          await trx
            .insertInto('holiday_overrides')
            .values({ date, ...values })
            .onConflict((oc) => oc.column('date').doUpdateSet(values))
            .execute();
          await audit(trx, now, {
            userId: user.id,
            action: before ? 'update' : 'create',
            entity: 'holiday_override',
            entityId: date,
            before,
            after: { date, kind: values.kind, name: values.name },
          });
        });
        const row = await db
          .selectFrom('holiday_overrides')
          .selectAll()
          .where('date', '=', date)
          .executeTakeFirstOrThrow();
        return toOverrideDto(row);
      },
    );

    app.delete(
      '/calendar/overrides/:date',
      { schema: { tags: ['calendar'], params: dateParams, response: { 204: z.null() } } },
      async (req, reply) => {
        const user = requireRole(req, ['admin']);
        const { date } = req.params;
        const now = deps.now();
        await db.transaction().execute(async (trx) => {
          const before = await trx
            .selectFrom('holiday_overrides')
            .selectAll()
            .where('date', '=', date)
            .executeTakeFirst();
          if (!before) throw new AppError('NOT_FOUND', { entity: 'holiday_override' });
          await trx.deleteFrom('holiday_overrides').where('date', '=', date).execute();
          await audit(trx, now, {
            userId: user.id,
            action: 'delete',
            entity: 'holiday_override',
            entityId: date,
            before,
          });
        });
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/calendar/:year',
      {
        schema: {
          tags: ['calendar'],
          summary:
            'Every day of a year: working or not, and why (official schedule, overrides, weekends)',
          params: yearParams,
          response: { 200: calendarYearSchema },
        },
      },
      async (req) => {
        requireUser(req);
        const { year } = req.params;
        const start = `${year}-01-01`;
        const end = `${year}-12-31`;
        const overrides = await overridesOf(db, year);
        const overridden = new Set(overrides.map((o) => o.date));
        const calendar = buildCalendar(official[req.locale], overrides);
        const days = eachDay(start, end).map((date) => {
          const info = calendar.dayInfo(date);
          return {
            date,
            working: info.working,
            kind: info.kind,
            name: info.name ?? null,
            overridden: overridden.has(date),
          };
        });
        return {
          year,
          hasOfficialData: calendar.hasOfficialData(year),
          workingDays: calendar.workingDaysIn(start, end),
          days,
        };
      },
    );
  };
