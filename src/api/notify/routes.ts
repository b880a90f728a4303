import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createChannel } from '../../app/notify/create-channel.ts';
import { listChannels, listDeliveries } from '../../app/notify/queries.ts';
import { retryDelivery } from '../../app/notify/retry-delivery.ts';
import { sendTestMessage } from '../../app/notify/send-test-message.ts';
import { setChannelEnabled } from '../../app/notify/set-channel-enabled.ts';
import { updateChannel } from '../../app/notify/update-channel.ts';
import { requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import { idParams, paged } from '../schemas.ts';
import {
  channelSchema,
  createChannelBody,
  deliverySchema,
  listDeliveriesQuery,
  setEnabledBody,
  testReplySchema,
  updateChannelBody,
} from './schemas.ts';

/** Notification channels and their delivery log: administrators only. */
export const notifyRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;
    const tags = ['notify'];

    app.get(
      '/notify/channels',
      { schema: { tags, response: { 200: z.array(channelSchema) } } },
      async (req) => listChannels(db, requireUser(req)),
    );

    app.post(
      '/notify/channels',
      { schema: { tags, body: createChannelBody, response: { 201: channelSchema } } },
      async (req, reply) =>
        reply.status(201).send(await createChannel(db, requireUser(req), req.body, deps.now())),
    );

    app.put(
      '/notify/channels/:id',
      {
        schema: {
          tags,
          params: idParams,
          body: updateChannelBody,
          response: { 200: channelSchema },
        },
      },
      async (req) =>
        updateChannel(db, requireUser(req), { ...req.body, id: req.params.id }, deps.now()),
    );

    app.put(
      '/notify/channels/:id/enabled',
      {
        schema: {
          tags,
          summary: 'Disable or re-enable a channel (enabling clears its failure count)',
          params: idParams,
          body: setEnabledBody,
          response: { 200: channelSchema },
        },
      },
      async (req) =>
        setChannelEnabled(db, requireUser(req), { ...req.body, id: req.params.id }, deps.now()),
    );

    app.post(
      '/notify/channels/:id/test',
      {
        schema: {
          tags,
          summary: "Send a test message now and return the receiver's raw reply",
          params: idParams,
          response: { 200: testReplySchema },
        },
      },
      async (req) =>
        sendTestMessage(db, deps.dialect, requireUser(req), { id: req.params.id }, deps.now),
    );

    app.get(
      '/notify/deliveries',
      {
        schema: {
          tags,
          querystring: listDeliveriesQuery,
          response: { 200: paged(deliverySchema) },
        },
      },
      async (req) => listDeliveries(db, requireUser(req), req.query),
    );

    app.post(
      '/notify/deliveries/:id/retry',
      { schema: { tags, params: idParams, response: { 204: z.null() } } },
      async (req, reply) => {
        await retryDelivery(db, requireUser(req), { id: req.params.id }, deps.now());
        return reply.status(204).send(null);
      },
    );
  };
