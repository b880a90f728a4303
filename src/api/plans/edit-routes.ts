import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { decomposeTarget } from '../../app/plans/decompose-target.ts';
import { editTargetCells } from '../../app/plans/edit-target-cells.ts';
import { requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import { idParams } from '../schemas.ts';
import { decomposeBody, decomposeResponse, editCellsBody, editCellsResponse } from './schemas.ts';

const tags = ['plans'];

export const editRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;

    app.post(
      '/plan-versions/:id/decompose',
      {
        schema: {
          tags,
          summary:
            'Split a parent cell over an axis (or build the whole plan with mode cascade); records the split as provenance',
          params: idParams,
          body: decomposeBody,
          response: { 200: decomposeResponse },
        },
      },
      async (req) =>
        decomposeTarget(
          db,
          requireUser(req),
          { versionId: req.params.id, ...req.body },
          deps.now(),
        ),
    );

    app.put(
      '/plan-versions/:id/cells',
      {
        schema: {
          tags,
          summary:
            'Edit cells of a draft: a new value locks the cell and its unlocked siblings absorb the difference. Send the `version` and `cellsRev` the grid was read at: edits of disjoint subtrees both succeed, an edit touching a cell changed since gets 409',
          params: idParams,
          body: editCellsBody,
          response: { 200: editCellsResponse },
        },
      },
      async (req) =>
        editTargetCells(
          db,
          requireUser(req),
          { versionId: req.params.id, ...req.body },
          deps.now(),
        ),
    );
  };
