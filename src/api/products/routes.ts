import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createProduct } from '../../app/products/create-product.ts';
import { deleteProduct } from '../../app/products/delete-product.ts';
import { getProduct, listProducts } from '../../app/products/queries.ts';
import { updateProduct } from '../../app/products/update-product.ts';
import { requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import { idParams, paged, versionQuery } from '../schemas.ts';
import {
  createProductBody,
  listProductsQuery,
  productSchema,
  updateProductBody,
} from './schemas.ts';

export const productRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;

    app.get(
      '/products',
      {
        schema: {
          tags: ['products'],
          summary: 'Products by code; a product line filter includes its sub-lines',
          querystring: listProductsQuery,
          response: { 200: paged(productSchema) },
        },
      },
      async (req) => {
        requireUser(req);
        return listProducts(db, req.query);
      },
    );

    app.get(
      '/products/:id',
      { schema: { tags: ['products'], params: idParams, response: { 200: productSchema } } },
      async (req) => {
        requireUser(req);
        return getProduct(db, req.params.id);
      },
    );

    app.post(
      '/products',
      { schema: { tags: ['products'], body: createProductBody, response: { 201: productSchema } } },
      async (req, reply) =>
        reply.status(201).send(await createProduct(db, requireUser(req), req.body, deps.now())),
    );

    app.put(
      '/products/:id',
      {
        schema: {
          tags: ['products'],
          params: idParams,
          body: updateProductBody,
          response: { 200: productSchema },
        },
      },
      async (req) =>
        updateProduct(db, requireUser(req), { ...req.body, id: req.params.id }, deps.now()),
    );

    app.delete(
      '/products/:id',
      {
        schema: {
          tags: ['products'],
          params: idParams,
          querystring: versionQuery,
          response: { 204: z.null() },
        },
      },
      async (req, reply) => {
        const input = { id: req.params.id, version: req.query.version };
        await deleteProduct(db, requireUser(req), input, deps.now());
        return reply.status(204).send(null);
      },
    );
  };
