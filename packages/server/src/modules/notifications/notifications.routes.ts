import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZNotificationPreferences, ZPushSubscriptionRequest, ZUnsubscribeRequest, ZUpdateNotificationPreferences, ZVapidPublicKey } from '@careline/shared';
import { countSubscriptions, deleteSubscription, getPreferences, saveSubscription, updatePreferences } from './preferences.ts';
import { getVapidKeys } from './vapid.ts';

export const notificationRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['notifications'];
  const user = { access: 'user' as const };
  app.get('/notifications/vapid-public-key', { config: user, schema: { tags, summary: 'The application server key for PushManager.subscribe()', response: { 200: ZVapidPublicKey } } },
    async (req) => ({ publicKey: (await getVapidKeys(req.ctx)).publicKey }));
  app.post('/notifications/subscriptions', { config: user, schema: { tags, summary: 'Register this browser\'s push subscription (PushSubscription.toJSON())', body: ZPushSubscriptionRequest, response: { 204: z.null() } } },
    async (req, reply) => { await saveSubscription(req.ctx, req.body, req.headers['user-agent'] ?? null); return reply.status(204).send(null); });
  app.delete('/notifications/subscriptions', { config: user, schema: { tags, summary: 'Forget a push subscription', body: ZUnsubscribeRequest, response: { 204: z.null() } } },
    async (req, reply) => { await deleteSubscription(req.ctx, req.body.endpoint); return reply.status(204).send(null); });
  app.get('/notifications/preferences', { config: user, schema: { tags, summary: 'Which events notify me, and on how many devices', response: { 200: ZNotificationPreferences.extend({ devices: z.number() }) } } },
    async (req) => ({ ...(await getPreferences(req.ctx)), devices: await countSubscriptions(req.ctx) }));
  app.patch('/notifications/preferences', { config: user, schema: { tags, body: ZUpdateNotificationPreferences, response: { 200: ZNotificationPreferences } } },
    async (req) => updatePreferences(req.ctx, req.body));
};
