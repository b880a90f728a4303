import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createProductLine } from '../../app/product-lines/create-product-line.ts';
import { deleteProductLine } from '../../app/product-lines/delete-product-line.ts';
import { listProductLines } from '../../app/product-lines/queries.ts';
import { updateProductLine } from '../../app/product-lines/update-product-line.ts';
import { requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import { idParams, versionQuery } from '../schemas.ts';
import { createProductLineBody, productLineSchema, updateProductLineBody } from './schemas.ts';

export const productLineRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;

    app.get(
      '/product-lines',
      {
        schema: {
          tags: ['product-lines'],
          summary: 'Every product line in tree order (by path)',
          response: { 200: z.array(productLineSchema) },
        },
      },
      async (req) => {
        requireUser(req);
        return listProductLines(db);
      },
    );

    app.post(
      '/product-lines',
      {
        schema: {
          tags: ['product-lines'],
          body: createProductLineBody,
          response: { 201: productLineSchema },
        },
      },
      async (req, reply) =>
        reply.status(201).send(await createProductLine(db, requireUser(req), req.body, deps.now())),
    );

    app.put(
      '/product-lines/:id',
      {
        schema: {
          tags: ['product-lines'],
          summary: 'Rename, re-order or move a line (its sub-lines move with it)',
          params: idParams,
          body: updateProductLineBody,
          response: { 200: productLineSchema },
        },
      },
      async (req) =>
        updateProductLine(db, requireUser(req), { ...req.body, id: req.params.id }, deps.now()),
    );

    app.delete(
      '/product-lines/:id',
      {
        schema: {
          tags: ['product-lines'],
          summary: 'Delete an empty line; refused with IN_USE while it has sub-lines or products',
          params: idParams,
          querystring: versionQuery,
          response: { 204: z.null() },
        },
      },
      async (req, reply) => {
        const input = { id: req.params.id, version: req.query.version };
        await deleteProductLine(db, requireUser(req), input, deps.now());
        return reply.status(204).send(null);
      },
    );
  };
