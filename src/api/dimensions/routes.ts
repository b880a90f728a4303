import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createDimensionMember } from '../../app/dimensions/create-dimension-member.ts';
import { deleteDimensionMember } from '../../app/dimensions/delete-dimension-member.ts';
import { listDimensionMembers } from '../../app/dimensions/queries.ts';
import { updateDimensionMember } from '../../app/dimensions/update-dimension-member.ts';
import { requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import { versionQuery } from '../schemas.ts';
import {
  createDimensionMemberBody,
  dimensionIdParams,
  dimensionMemberSchema,
  dimensionParams,
  updateDimensionMemberBody,
} from './schemas.ts';

export const dimensionRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;

    app.get(
      '/dimensions/:dimension',
      {
        schema: {
          tags: ['dimensions'],
          summary:
            'Members of a dimension (channel, region, segment, customer_type) in display order',
          params: dimensionParams,
          response: { 200: z.array(dimensionMemberSchema) },
        },
      },
      async (req) => {
        requireUser(req);
        return listDimensionMembers(db, req.params.dimension);
      },
    );

    app.post(
      '/dimensions/:dimension',
      {
        schema: {
          tags: ['dimensions'],
          params: dimensionParams,
          body: createDimensionMemberBody,
          response: { 201: dimensionMemberSchema },
        },
      },
      async (req, reply) => {
        const input = { ...req.body, dimension: req.params.dimension };
        const created = await createDimensionMember(db, requireUser(req), input, deps.now());
        return reply.status(201).send(created);
      },
    );

    app.put(
      '/dimensions/:dimension/:id',
      {
        schema: {
          tags: ['dimensions'],
          params: dimensionIdParams,
          body: updateDimensionMemberBody,
          response: { 200: dimensionMemberSchema },
        },
      },
      async (req) =>
        updateDimensionMember(db, requireUser(req), { ...req.body, ...req.params }, deps.now()),
    );

    app.delete(
      '/dimensions/:dimension/:id',
      {
        schema: {
          tags: ['dimensions'],
          summary: 'Delete a member; refused with IN_USE while customers (or other records) use it',
          params: dimensionIdParams,
          querystring: versionQuery,
          response: { 204: z.null() },
        },
      },
      async (req, reply) => {
        const input = { ...req.params, version: req.query.version };
        await deleteDimensionMember(db, requireUser(req), input, deps.now());
        return reply.status(204).send(null);
      },
    );
  };
