import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { deleteHolidayOverride } from '../../app/calendar/delete-holiday-override.ts';
import { calendarYear, calendarYears, listHolidayOverrides } from '../../app/calendar/queries.ts';
import { setHolidayOverride } from '../../app/calendar/set-holiday-override.ts';
import { requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import {
  calendarYearSchema,
  calendarYearsSchema,
  dateParams,
  listOverridesQuery,
  overrideSchema,
  putOverrideBody,
  yearParams,
} from './schemas.ts';

export const calendarRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;

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
        return calendarYears(db);
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
        return listHolidayOverrides(db, req.query.year);
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
      async (req) =>
        setHolidayOverride(db, requireUser(req), { ...req.body, ...req.params }, deps.now()),
    );

    app.delete(
      '/calendar/overrides/:date',
      { schema: { tags: ['calendar'], params: dateParams, response: { 204: z.null() } } },
      async (req, reply) => {
        await deleteHolidayOverride(db, requireUser(req), req.params, deps.now());
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
        return calendarYear(db, req.params.year, req.locale);
      },
    );
  };
