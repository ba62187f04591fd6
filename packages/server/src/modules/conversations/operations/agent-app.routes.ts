import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZConversationCounts, ZConversationWithMessages, ZIdParams, ZRowDetails, ZRowDetailsQuery, ZSplitMessageParams } from '@careline/shared';
import { countConversations } from './count-conversations.ts';
import { markConversationRead, rowDetails } from './read-markers.ts';
import { splitMessage } from './split-message.ts';

/** The agent app's extra conversation endpoints: view counts, read markers and split. */
export const agentAppConversationRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['conversations'];
  const user = { access: 'user' as const };
  app.get('/conversations/counts', { config: user, schema: { tags, summary: 'Open conversations per view (mine, unassigned, all, inbox, team), per status, and unread counts', response: { 200: ZConversationCounts } } },
    async (req) => countConversations(req.ctx));
  app.get('/conversations/row-details', { config: user, schema: { tags, summary: 'Customer name, handle and my read marker for list rows', querystring: ZRowDetailsQuery, response: { 200: ZRowDetails } } },
    async (req) => rowDetails(req.ctx, req.query.ids.split(',')));
  app.post('/conversations/:id/read', { config: user, schema: { tags, summary: 'Mark a conversation as read by me up to now', params: ZIdParams, response: { 200: z.object({ lastReadAt: z.string() }) } } },
    async (req) => markConversationRead(req.ctx, req.params.id));
  app.post('/conversations/:id/messages/:messageId/split', { config: user, schema: { tags, summary: 'Move one message into a new conversation of the same customer (assigned to me)', params: ZSplitMessageParams, response: { 201: ZConversationWithMessages } } },
    async (req, reply) => reply.status(201).send(await splitMessage(req.ctx, req.params.id, req.params.messageId)));
};
