import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZCannedReply, ZCreateCannedReplyRequest, ZIdParams, ZListCannedRepliesQuery, ZUpdateCannedReplyRequest } from '@careline/shared';
import { createCannedReply, deleteCannedReply, listCannedReplies, updateCannedReply } from './canned-replies.ts';

export const cannedReplyRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['canned replies'];
  const manage = { access: 'supervisor' as const };
  app.get('/canned-replies', { config: { access: 'user' }, schema: { tags, summary: 'Canned replies; q searches shortcut, title and text (shortcut matches first)', querystring: ZListCannedRepliesQuery, response: { 200: z.array(ZCannedReply) } } },
    async (req) => listCannedReplies(req.ctx, req.query.q || undefined));
  app.post('/canned-replies', { config: manage, schema: { tags, summary: 'Create a canned reply; text may use {{contact.first_name}}, {{agent.name}}, {{conversation.id}}…', body: ZCreateCannedReplyRequest, response: { 201: ZCannedReply } } },
    async (req, reply) => reply.status(201).send(await createCannedReply(req.ctx, req.body)));
  app.patch('/canned-replies/:id', { config: manage, schema: { tags, params: ZIdParams, body: ZUpdateCannedReplyRequest, response: { 200: ZCannedReply } } },
    async (req) => updateCannedReply(req.ctx, req.params.id, req.body));
  app.delete('/canned-replies/:id', { config: manage, schema: { tags, params: ZIdParams, response: { 204: z.null() } } },
    async (req, reply) => { await deleteCannedReply(req.ctx, req.params.id); return reply.status(204).send(null); });
};
