import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { amendAdjustment } from '../../app/adjustments/amend-adjustment.ts';
import { attachAdjustmentFile, readAdjustmentFile } from '../../app/adjustments/attach-file.ts';
import { createAdjustment } from '../../app/adjustments/create-adjustment.ts';
import { decideAdjustment } from '../../app/adjustments/decide-adjustment.ts';
import { exportAdjustmentXlsx } from '../../app/adjustments/export-adjustment.ts';
import { previewAdjustment } from '../../app/adjustments/preview-adjustment.ts';
import { listAdjustments, readAdjustment } from '../../app/adjustments/read-adjustments.ts';
import { recallAdjustment } from '../../app/adjustments/recall-adjustment.ts';
import { sendAdjustment } from '../../app/adjustments/send-adjustment.ts';
import { requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import { attachment, XLSX } from '../plans/excel-routes.ts';
import { exportLang } from '../plans/schemas.ts';
import { idParams, versionBody } from '../schemas.ts';
import { readUpload } from '../upload.ts';
import {
  amendBody,
  changeSpecSchema,
  createBody,
  decideBody,
  detailSchema,
  listQuery,
  previewSchema,
  summarySchema,
} from './schemas.ts';

const tags = ['adjustments'];

/**
 * Target adjustment requests (METHOD §6): preview (also a what-if), create, send, approve,
 * reject, recall, amend, evidence files, export. Every route calls one operation of
 * src/app/adjustments, which checks scope and writes the audit.
 */
export const adjustmentRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;

    app.post(
      '/adjustments/preview',
      {
        schema: {
          tags,
          summary:
            'The candidate numbers of a change (every cell before and after, siblings absorbing) and its approval chain; nothing is written (what-if)',
          body: changeSpecSchema,
          response: { 200: previewSchema },
        },
      },
      async (req) => previewAdjustment(db, requireUser(req), req.body, deps.now()),
    );

    app.get(
      '/adjustments',
      {
        schema: {
          tags,
          summary: 'Requests: mine, awaiting my decision, or all I may read',
          querystring: listQuery,
          response: { 200: z.array(summarySchema) },
        },
      },
      async (req) => listAdjustments(db, requireUser(req), req.query.box),
    );

    app.post(
      '/adjustments',
      {
        schema: {
          tags,
          summary: 'Create a request (a draft, or sent at once with `send`)',
          body: createBody,
          response: { 201: detailSchema },
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        const { id } = await createAdjustment(db, user, req.body, deps.now());
        return reply.status(201).send(await readAdjustment(db, user, id, deps.now()));
      },
    );

    app.get(
      '/adjustments/:id',
      {
        schema: {
          tags,
          summary: 'A request: its cells before and after, the full diff, chain, trail, files',
          params: idParams,
          response: { 200: detailSchema },
        },
      },
      async (req) => readAdjustment(db, requireUser(req), req.params.id, deps.now()),
    );

    app.put(
      '/adjustments/:id',
      {
        schema: {
          tags,
          summary: 'Amend a draft, rejected or recalled request (it becomes a draft again)',
          params: idParams,
          body: amendBody,
          response: { 200: detailSchema },
        },
      },
      async (req) => {
        const user = requireUser(req);
        await amendAdjustment(db, user, { id: req.params.id, ...req.body }, deps.now());
        return readAdjustment(db, user, req.params.id, deps.now());
      },
    );

    const action = (
      name: 'send' | 'approve' | 'reject' | 'recall',
      summary: string,
      run: (
        user: ReturnType<typeof requireUser>,
        id: number,
        body: { version: number; comment?: string },
      ) => Promise<unknown>,
    ) =>
      app.post(
        `/adjustments/:id/${name}`,
        {
          schema: {
            tags,
            summary,
            params: idParams,
            body: name === 'send' ? versionBody : decideBody,
            response: { 200: detailSchema },
          },
        },
        async (req) => {
          const user = requireUser(req);
          await run(user, req.params.id, req.body);
          return readAdjustment(db, user, req.params.id, deps.now());
        },
      );
    action('send', 'Send a draft: its approval chain is resolved and fixed', (user, id, b) =>
      sendAdjustment(db, user, { id, version: b.version }, deps.now()),
    );
    action(
      'approve',
      'Approve the step the request waits on (the last approval applies it)',
      (user, id, b) =>
        decideAdjustment(
          db,
          user,
          { id, decision: 'approve', version: b.version, comment: b.comment ?? '' },
          deps.now(),
        ),
    );
    action('reject', 'Reject with a comment: back to the requester', (user, id, b) =>
      decideAdjustment(
        db,
        user,
        { id, decision: 'reject', version: b.version, comment: b.comment ?? '' },
        deps.now(),
      ),
    );
    action('recall', 'The requester recalls a pending request', (user, id, b) =>
      recallAdjustment(db, user, { id, version: b.version, comment: b.comment }, deps.now()),
    );

    app.post(
      '/adjustments/:id/files',
      {
        schema: {
          tags,
          summary:
            'Attach an evidence file (multipart field "file"; ≤ 5 MB; pdf/png/jpg/xlsx/docx/txt by content)',
          consumes: ['multipart/form-data'],
          params: idParams,
          response: { 201: z.object({ id: z.number() }) },
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        const { buffer, fileName } = await readUpload(req);
        return reply
          .status(201)
          .send(
            await attachAdjustmentFile(
              db,
              user,
              { id: req.params.id, name: fileName, bytes: buffer },
              deps.now(),
            ),
          );
      },
    );

    app.get(
      '/adjustments/:id/files/:fileId',
      {
        schema: {
          tags,
          summary: 'An evidence file',
          params: idParams.extend({ fileId: z.coerce.number().int().positive() }),
        },
      },
      async (req, reply) => {
        const f = await readAdjustmentFile(db, requireUser(req), req.params.id, req.params.fileId);
        return reply
          .header('content-type', f.mime)
          .header('content-disposition', attachment(f.name))
          .send(f.data);
      },
    );

    app.get(
      '/adjustments/:id/export.xlsx',
      {
        schema: {
          tags,
          summary: 'The request as .xlsx: cells before/after, the trail, the request',
          params: idParams,
          querystring: exportLang,
        },
      },
      async (req, reply) => {
        const file = await exportAdjustmentXlsx(
          db,
          requireUser(req),
          { id: req.params.id, lang: req.query.lang ?? req.locale },
          deps.now(),
        );
        return reply
          .header('content-type', XLSX)
          .header('content-disposition', attachment(file.name))
          .send(file.body);
      },
    );
  };
