import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZCreatedWebhook, ZCreateWebhookRequest, ZIdParams, ZId, ZUpdateWebhookRequest, ZWebhook, ZWebhookDelivery } from '@careline/shared';
import { createWebhook, deleteWebhook, getWebhook, listDeliveries, listWebhooks, redeliver, updateWebhook } from './webhooks.ts';

export const webhookRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['webhooks'];
  const admin = { access: 'admin' as const };
  app.get('/webhooks', { config: admin, schema: { tags, response: { 200: z.array(ZWebhook) } } }, async (req) => listWebhooks(req.ctx));
  app.post('/webhooks', { config: admin, schema: { tags, summary: 'Subscribe a URL to events; returns the HMAC secret once', body: ZCreateWebhookRequest, response: { 201: ZCreatedWebhook } } },
    async (req, reply) => reply.status(201).send(await createWebhook(req.ctx, req.body)));
  app.get('/webhooks/:id', { config: admin, schema: { tags, params: ZIdParams, response: { 200: ZWebhook } } }, async (req) => getWebhook(req.ctx, req.params.id));
  app.patch('/webhooks/:id', { config: admin, schema: { tags, params: ZIdParams, body: ZUpdateWebhookRequest, response: { 200: ZWebhook } } },
    async (req) => updateWebhook(req.ctx, req.params.id, req.body));
  app.delete('/webhooks/:id', { config: admin, schema: { tags, params: ZIdParams, response: { 204: z.null() } } },
    async (req, reply) => { await deleteWebhook(req.ctx, req.params.id); return reply.status(204).send(null); });
  app.get('/webhooks/:id/deliveries', { config: admin, schema: { tags, summary: 'The last 100 deliveries with their outcome', params: ZIdParams, response: { 200: z.array(ZWebhookDelivery) } } },
    async (req) => listDeliveries(req.ctx, req.params.id));
  app.post('/webhooks/:id/deliveries/:deliveryId/redeliver', { config: admin, schema: { tags, params: z.strictObject({ id: ZId, deliveryId: ZId }), response: { 202: ZWebhookDelivery } } },
    async (req, reply) => reply.status(202).send(await redeliver(req.ctx, req.params.id, req.params.deliveryId)));
};
