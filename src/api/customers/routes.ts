import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { chinaToday } from '../../app/clock.ts';
import { createCustomer } from '../../app/customers/create-customer.ts';
import { deleteCustomer } from '../../app/customers/delete-customer.ts';
import { getCustomer, listCustomers } from '../../app/customers/queries.ts';
import { updateCustomer } from '../../app/customers/update-customer.ts';
import { requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import { idParams, paged, versionQuery } from '../schemas.ts';
import {
  createCustomerBody,
  customerSchema,
  listCustomersQuery,
  updateCustomerBody,
} from './schemas.ts';

export const customerRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;

    app.get(
      '/customers',
      {
        schema: {
          tags: ['customers'],
          summary: 'Customers the caller may see (by owner), by code',
          querystring: listCustomersQuery,
          response: { 200: paged(customerSchema) },
        },
      },
      async (req) => listCustomers(db, requireUser(req), req.query, chinaToday(deps.now())),
    );

    app.get(
      '/customers/:id',
      { schema: { tags: ['customers'], params: idParams, response: { 200: customerSchema } } },
      async (req) => getCustomer(db, requireUser(req), req.params.id, chinaToday(deps.now())),
    );

    app.post(
      '/customers',
      {
        schema: {
          tags: ['customers'],
          body: createCustomerBody,
          response: { 201: customerSchema },
        },
      },
      async (req, reply) =>
        reply.status(201).send(await createCustomer(db, requireUser(req), req.body, deps.now())),
    );

    app.put(
      '/customers/:id',
      {
        schema: {
          tags: ['customers'],
          params: idParams,
          body: updateCustomerBody,
          response: { 200: customerSchema },
        },
      },
      async (req) =>
        updateCustomer(db, requireUser(req), { ...req.body, id: req.params.id }, deps.now()),
    );

    app.delete(
      '/customers/:id',
      {
        schema: {
          tags: ['customers'],
          params: idParams,
          querystring: versionQuery,
          response: { 204: z.null() },
        },
      },
      async (req, reply) => {
        const input = { id: req.params.id, version: req.query.version };
        await deleteCustomer(db, requireUser(req), input, deps.now());
        return reply.status(204).send(null);
      },
    );
  };
