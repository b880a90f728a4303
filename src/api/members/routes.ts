import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { chinaToday } from '../../app/clock.ts';
import { createMember } from '../../app/members/create-member.ts';
import { previewTransfer } from '../../app/members/preview-transfer.ts';
import { getMember, listMembers } from '../../app/members/queries.ts';
import { transferMember } from '../../app/members/transfer-member.ts';
import { updateMember } from '../../app/members/update-member.ts';
import { requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import { idParams, paged } from '../schemas.ts';
import {
  createMemberBody,
  listMembersQuery,
  memberDetailSchema,
  memberSchema,
  transferBody,
  transferTargetsQuery,
  transferTargetsSchema,
  updateMemberBody,
} from './schemas.ts';

export const memberRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;

    app.get(
      '/members',
      {
        schema: {
          tags: ['members'],
          querystring: listMembersQuery,
          response: { 200: paged(memberSchema) },
        },
      },
      async (req) =>
        listMembers(
          db,
          requireUser(req).scope,
          req.query,
          req.query.asOf ?? chinaToday(deps.now()),
        ),
    );

    app.get(
      '/members/:id',
      { schema: { tags: ['members'], params: idParams, response: { 200: memberDetailSchema } } },
      async (req) => getMember(db, requireUser(req).scope, req.params.id, chinaToday(deps.now())),
    );

    app.post(
      '/members',
      {
        schema: {
          tags: ['members'],
          body: createMemberBody,
          response: { 201: memberDetailSchema },
        },
      },
      async (req, reply) =>
        reply.status(201).send(await createMember(db, requireUser(req), req.body, deps.now())),
    );

    app.put(
      '/members/:id',
      {
        schema: {
          tags: ['members'],
          params: idParams,
          body: updateMemberBody,
          response: { 200: memberDetailSchema },
        },
      },
      async (req) =>
        updateMember(db, requireUser(req), { ...req.body, id: req.params.id }, deps.now()),
    );

    app.get(
      '/members/:id/transfer-targets',
      {
        schema: {
          tags: ['members'],
          summary:
            'The target a transfer on this date would leave behind (draft and active versions), for the move / keep / re-split decision',
          params: idParams,
          querystring: transferTargetsQuery,
          response: { 200: transferTargetsSchema },
        },
      },
      async (req) =>
        previewTransfer(
          db,
          requireUser(req),
          { memberId: req.params.id, unitId: req.query.unitId, date: req.query.date },
          deps.now(),
        ),
    );

    app.post(
      '/members/:id/transfer',
      {
        schema: {
          tags: ['members'],
          summary: 'Move a member to another unit from a date on; history stays with the old unit',
          params: idParams,
          body: transferBody,
          response: { 200: memberDetailSchema },
        },
      },
      async (req) =>
        transferMember(db, requireUser(req), { ...req.body, memberId: req.params.id }, deps.now()),
    );
  };
