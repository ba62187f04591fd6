import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ZAssignRequest, ZAttachment, ZConversation, ZConversationWithMessages, ZCreateConversationRequest, ZCreateCustomStatusRequest,
  ZCustomStatus, ZIdParams, ZListConversationsQuery, ZMergeConversationsRequest, ZMessage, ZNoteRequest, ZPage, ZReplyRequest,
  ZTagsRequest, ZUpdateConversationRequest,
} from '@careline/shared';
import { AppError } from '../../platform/errors/app-error.ts';
import { createConversation } from './operations/create-conversation.ts';
import { getConversation } from './operations/get-conversation.ts';
import { listConversations } from './operations/list-conversations.ts';
import { postMessage } from './operations/post-message.ts';
import { assignConversation, changeTags, updateConversation } from './operations/update-conversation.ts';
import { mergeConversations } from './operations/merge-conversations.ts';
import { createCustomStatus, deleteCustomStatus, listCustomStatuses } from './custom-statuses.ts';
import { readAttachment, storeAttachment } from './attachments.ts';
import { agentAppConversationRoutes } from './operations/agent-app.routes.ts';

export const conversationRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['conversations'];
  const user = { access: 'user' as const };

  app.get('/conversations', { config: user, schema: { tags, summary: 'List conversations, newest activity first (cursor-paged)', querystring: ZListConversationsQuery, response: { 200: ZPage(ZConversation) } } },
    async (req) => listConversations(req.ctx, req.query));
  app.post('/conversations', { config: user, schema: { tags, summary: 'Create a conversation with its first message', body: ZCreateConversationRequest, response: { 201: ZConversationWithMessages } } },
    async (req, reply) => reply.status(201).send(await createConversation(req.ctx, req.body)));
  app.get('/conversations/:id', { config: user, schema: { tags, summary: 'One conversation with all its messages', params: ZIdParams, response: { 200: ZConversationWithMessages } } },
    async (req) => getConversation(req.ctx, req.params.id));
  app.patch('/conversations/:id', { config: user, schema: { tags, summary: 'Change status (or custom status), priority, subject, snooze, attributes', params: ZIdParams, body: ZUpdateConversationRequest, response: { 200: ZConversationWithMessages } } },
    async (req) => updateConversation(req.ctx, req.params.id, req.body));
  app.post('/conversations/:id/reply', { config: user, schema: { tags, summary: 'Reply to the customer', params: ZIdParams, body: ZReplyRequest, response: { 201: ZMessage } } },
    async (req, reply) => reply.status(201).send(await postMessage(req.ctx, req.params.id, { ...req.body, kind: 'outgoing' })));
  app.post('/conversations/:id/notes', { config: user, schema: { tags, summary: 'Add an internal note (never sent to the customer)', params: ZIdParams, body: ZNoteRequest, response: { 201: ZMessage } } },
    async (req, reply) => reply.status(201).send(await postMessage(req.ctx, req.params.id, { ...req.body, kind: 'note' })));
  app.post('/conversations/:id/assign', { config: user, schema: { tags, summary: 'Assign to an agent and/or a team (null unassigns)', params: ZIdParams, body: ZAssignRequest, response: { 200: ZConversationWithMessages } } },
    async (req) => assignConversation(req.ctx, req.params.id, req.body));
  app.post('/conversations/:id/tags', { config: user, schema: { tags, summary: 'Add tags', params: ZIdParams, body: ZTagsRequest, response: { 200: ZConversationWithMessages } } },
    async (req) => changeTags(req.ctx, req.params.id, req.body.tags, 'add'));
  app.delete('/conversations/:id/tags', { config: user, schema: { tags, summary: 'Remove tags', params: ZIdParams, body: ZTagsRequest, response: { 200: ZConversationWithMessages } } },
    async (req) => changeTags(req.ctx, req.params.id, req.body.tags, 'remove'));
  app.post('/conversations/:id/merge', { config: user, schema: { tags, summary: 'Merge another conversation (sourceId) of the same customer into this one', params: ZIdParams, body: ZMergeConversationsRequest, response: { 200: ZConversationWithMessages } } },
    async (req) => mergeConversations(req.ctx, req.params.id, req.body.sourceId));
  await agentAppConversationRoutes(app, {});

  app.get('/custom-statuses', { config: user, schema: { tags, response: { 200: z.array(ZCustomStatus) } } }, async (req) => listCustomStatuses(req.ctx));
  app.post('/custom-statuses', { config: { access: 'admin' }, schema: { tags, summary: 'A named status mapped onto one of the five base states', body: ZCreateCustomStatusRequest, response: { 201: ZCustomStatus } } },
    async (req, reply) => reply.status(201).send(await createCustomStatus(req.ctx, req.body)));
  app.delete('/custom-statuses/:id', { config: { access: 'admin' }, schema: { tags, params: ZIdParams, response: { 204: z.null() } } },
    async (req, reply) => { await deleteCustomStatus(req.ctx, req.params.id); return reply.status(204).send(null); });

  app.post('/attachments', { config: user, schema: { tags, summary: 'Upload a file (multipart/form-data, field "file"); reference its id in a reply', consumes: ['multipart/form-data'], response: { 201: ZAttachment } } },
    async (req, reply) => {
      if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', { userMessage: 'Send the file as multipart/form-data.' });
      const file = await req.file();
      if (!file) throw new AppError('VALIDATION_FAILED', { userMessage: 'No file in the form', fields: [{ field: 'body.file', message: 'required' }] });
      const data = await file.toBuffer();
      return reply.status(201).send(await storeAttachment(req.ctx, { filename: file.filename, contentType: file.mimetype, data }));
    });
  app.get('/attachments/:id', { config: user, schema: { tags, summary: 'Download an attachment', params: ZIdParams } },
    async (req, reply) => {
      const a = await readAttachment(req.ctx, req.params.id);
      // Never let the browser render uploaded HTML/SVG as our own page.
      const inline = /^image\/(png|jpe?g|gif|webp)$/.test(a.contentType);
      return reply.type(a.contentType).header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(a.filename)}`)
        .header('x-content-type-options', 'nosniff').send(a.data);
    });
};
