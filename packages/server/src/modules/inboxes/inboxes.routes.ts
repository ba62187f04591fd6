import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZCreateInboxRequest, ZIdParams, ZInbox, ZUpdateInboxRequest } from '@careline/shared';
import { createInbox, deleteInbox, getInbox, listInboxes, rotateInboxSecret, updateInbox } from './inboxes.ts';

const ZInboxWithSecret = ZInbox.extend({ secret: z.string().describe('signs chat identities and authenticates raw-mail posts; shown once') });

export const inboxRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['inboxes'];
  app.get('/inboxes', { config: { access: 'user' }, schema: { tags, summary: 'Inboxes you can see', response: { 200: z.array(ZInbox) } } }, async (req) => listInboxes(req.ctx));
  app.post('/inboxes', { config: { access: 'admin' }, schema: { tags, body: ZCreateInboxRequest, response: { 201: ZInboxWithSecret } } },
    async (req, reply) => reply.status(201).send(await createInbox(req.ctx, req.body)));
  app.get('/inboxes/:id', { config: { access: 'user' }, schema: { tags, params: ZIdParams, response: { 200: ZInbox } } }, async (req) => getInbox(req.ctx, req.params.id));
  app.patch('/inboxes/:id', { config: { access: 'admin' }, schema: { tags, params: ZIdParams, body: ZUpdateInboxRequest, response: { 200: ZInbox } } },
    async (req) => updateInbox(req.ctx, req.params.id, req.body));
  app.post('/inboxes/:id/rotate-secret', { config: { access: 'admin' }, schema: { tags, params: ZIdParams, response: { 200: z.object({ secret: z.string() }) } } },
    async (req) => rotateInboxSecret(req.ctx, req.params.id));
  app.delete('/inboxes/:id', { config: { access: 'admin' }, schema: { tags, params: ZIdParams, response: { 204: z.null() } } },
    async (req, reply) => { await deleteInbox(req.ctx, req.params.id); return reply.status(204).send(null); });
};
