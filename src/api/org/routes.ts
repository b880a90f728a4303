import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { chinaToday } from '../../app/clock.ts';
import { createOrgUnit } from '../../app/org/create-org-unit.ts';
import { deleteOrgUnit } from '../../app/org/delete-org-unit.ts';
import { getOrgUnit, listOrgUnits } from '../../app/org/list-org-units.ts';
import { updateOrgUnit } from '../../app/org/update-org-unit.ts';
import { requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import { idParams, isoDate, versionQuery } from '../schemas.ts';
import { createOrgUnitBody, orgUnitSchema, updateOrgUnitBody } from './schemas.ts';

export const orgRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;

    app.get(
      '/org-units',
      {
        schema: {
          tags: ['org'],
          summary: 'Org units visible to the caller, in tree order (by path)',
          querystring: z.object({ asOf: isoDate.optional() }),
          response: { 200: z.array(orgUnitSchema) },
        },
      },
      async (req) =>
        listOrgUnits(db, requireUser(req).scope, req.query.asOf ?? chinaToday(deps.now())),
    );

    app.get(
      '/org-units/:id',
      { schema: { tags: ['org'], params: idParams, response: { 200: orgUnitSchema } } },
      async (req) => getOrgUnit(db, requireUser(req).scope, chinaToday(deps.now()), req.params.id),
    );

    app.post(
      '/org-units',
      { schema: { tags: ['org'], body: createOrgUnitBody, response: { 201: orgUnitSchema } } },
      async (req, reply) =>
        reply.status(201).send(await createOrgUnit(db, requireUser(req), req.body, deps.now())),
    );

    app.put(
      '/org-units/:id',
      {
        schema: {
          tags: ['org'],
          params: idParams,
          body: updateOrgUnitBody,
          response: { 200: orgUnitSchema },
        },
      },
      async (req) =>
        updateOrgUnit(db, requireUser(req), { ...req.body, id: req.params.id }, deps.now()),
    );

    app.delete(
      '/org-units/:id',
      {
        schema: {
          tags: ['org'],
          params: idParams,
          querystring: versionQuery,
          response: { 204: z.null() },
        },
      },
      async (req, reply) => {
        const input = { id: req.params.id, version: req.query.version };
        await deleteOrgUnit(db, requireUser(req), input, deps.now());
        return reply.status(204).send(null);
      },
    );
  };
