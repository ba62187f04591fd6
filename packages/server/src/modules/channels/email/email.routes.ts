import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ZBackfillProgress, ZBackfillRequest, ZConversationWithMessages, ZEmailConversationInfo, ZEmailHealth, ZEmailReplyRequest, ZEmailSettings,
  ZEmailSettingsInput, ZForwardRequest, ZIdParams, ZMessage, ZOutboundEmailRequest, ZSignatureRequest, ZMySignature,
} from '@careline/shared';
import { AppError, notFound } from '../../../platform/errors/app-error.ts';
import { safeEqual } from '../../../platform/ids.ts';
import { findInboxRow } from '../../inboxes/index.ts';
import { getEmailSettings, loadChannelConfig, updateEmailSettings } from './operations/settings.ts';
import { getEmailHealth } from './operations/health.ts';
import { ingestMail } from './operations/ingest-mail.ts';
import { forwardConversation, getEmailConversationInfo, getMySignature, getRawEmail, saveMySignature, sendEmailReply, sendOutboundEmail } from './operations/compose.ts';
import { getBackfill, startBackfill } from './operations/backfill.ts';

const ZIngestResult = z.object({
  status: z.enum(['stored', 'duplicate', 'ignored']), conversationId: z.string().nullable(), messageId: z.string().nullable(), reason: z.string().nullable(),
});

export const emailRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['email'];

  // Raw RFC 5322 bodies for the webhook (a forwarding MTA, a provider's inbound-mail hook).
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser(['message/rfc822', 'application/octet-stream', 'text/plain'], { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.post('/inboxes/:id/mail', {
    config: { access: 'public' },
    bodyLimit: 64 * 1024 * 1024,
    schema: {
      tags, summary: 'Deliver a raw email (message/rfc822) to an email inbox',
      description: 'Authenticate with the inbox secret: header `X-Careline-Inbox-Secret: <secret>`, or HTTP Basic auth with the secret as password '
        + '(https://mail:<secret>@careline.example.com/api/v1/inboxes/<id>/mail). Answers 202 only after the message is stored (or recognised as a duplicate).',
      params: ZIdParams, response: { 202: ZIngestResult },
    },
  }, async (req, reply) => {
    const inbox = await findInboxRow(req.ctx.db.kysely, { id: req.params.id });
    const given = inboxSecretOf(req.headers);
    if (!inbox || !given || !safeEqual(given, inbox.secret)) throw new AppError('UNAUTHENTICATED', { userMessage: 'Unknown inbox or wrong inbox secret.' });
    if (inbox.channel !== 'email') throw notFound('Email inbox');
    if (!(await loadChannelConfig(req.ctx.db.kysely, inbox.id)).isWebhookInbound) throw new AppError('FORBIDDEN', { userMessage: 'This inbox does not accept mail by webhook.' });
    const raw = req.body as unknown;
    if (!Buffer.isBuffer(raw) || raw.length === 0) throw new AppError('UNSUPPORTED_MEDIA_TYPE', { userMessage: 'Send the raw message as message/rfc822.' });
    if (raw.length > req.ctx.config.EMAIL_MAX_MESSAGE_BYTES) throw new AppError('PAYLOAD_TOO_LARGE');
    const r = await ingestMail(req.ctx, { inboxId: inbox.id, raw, source: 'webhook' });
    return reply.status(202).send({
      status: r.status, conversationId: 'conversationId' in r ? r.conversationId : null, messageId: 'messageId' in r ? r.messageId : null,
      reason: r.status === 'ignored' ? r.reason : null,
    });
  });

  app.get('/inboxes/:id/email-settings', { config: { access: 'admin' }, schema: { tags, summary: 'Email settings of an inbox (passwords and tokens are never returned)', params: ZIdParams, response: { 200: ZEmailSettings } } },
    async (req) => getEmailSettings(req.ctx, req.params.id));
  app.put('/inboxes/:id/email-settings', { config: { access: 'admin' }, schema: { tags, summary: 'Set how an email inbox receives and sends mail', params: ZIdParams, body: ZEmailSettingsInput, response: { 200: ZEmailSettings } } },
    async (req) => updateEmailSettings(req.ctx, req.params.id, req.body));
  app.get('/inboxes/:id/email-health', { config: { access: 'user' }, schema: { tags, summary: 'Is mail arriving? Last success, last error, volume', params: ZIdParams, response: { 200: ZEmailHealth } } },
    async (req) => getEmailHealth(req.ctx, req.params.id));
  app.post('/inboxes/:id/email-backfill', { config: { access: 'admin' }, schema: { tags, summary: 'Import past messages of the IMAP mailbox from a date (idempotent)', params: ZIdParams, body: ZBackfillRequest, response: { 202: ZBackfillProgress } } },
    async (req, reply) => reply.status(202).send(await startBackfill(req.ctx, req.params.id, req.body.since)));
  app.get('/inboxes/:id/email-backfill', { config: { access: 'admin' }, schema: { tags, summary: 'Progress of the backfill', params: ZIdParams, response: { 200: ZBackfillProgress } } },
    async (req) => getBackfill(req.ctx, req.params.id));
  app.get('/inboxes/:id/email-signature', { config: { access: 'user' }, schema: { tags, summary: 'Your signature in this inbox (empty: none of your own) and the inbox signature used then', params: ZIdParams, response: { 200: ZMySignature } } },
    async (req) => getMySignature(req.ctx, req.params.id));
  app.put('/inboxes/:id/email-signature', { config: { access: 'user' }, schema: { tags, summary: 'Set your signature in this inbox', params: ZIdParams, body: ZSignatureRequest, response: { 200: ZSignatureRequest } } },
    async (req) => saveMySignature(req.ctx, req.params.id, req.body.signature));

  app.get('/conversations/:id/email', { config: { access: 'user' }, schema: { tags, summary: 'Email participants of a conversation (customer address, CC list)', params: ZIdParams, response: { 200: ZEmailConversationInfo } } },
    async (req) => getEmailConversationInfo(req.ctx, req.params.id));
  app.post('/conversations/:id/email-reply', { config: { access: 'user' }, schema: { tags, summary: 'Reply by email with CC/BCC', params: ZIdParams, body: ZEmailReplyRequest, response: { 201: ZMessage } } },
    async (req, reply) => reply.status(201).send(await sendEmailReply(req.ctx, req.params.id, req.body)));
  app.post('/conversations/:id/forward', { config: { access: 'user' }, schema: { tags, summary: 'Forward the conversation or some messages to a third party', params: ZIdParams, body: ZForwardRequest, response: { 201: ZMessage } } },
    async (req, reply) => reply.status(201).send(await forwardConversation(req.ctx, req.params.id, req.body)));
  app.post('/email/outbound', { config: { access: 'user' }, schema: { tags, summary: 'Send a new email that starts a conversation', body: ZOutboundEmailRequest, response: { 201: ZConversationWithMessages } } },
    async (req, reply) => reply.status(201).send(await sendOutboundEmail(req.ctx, req.body)));
  app.get('/email/messages/:id/raw', { config: { access: 'user' }, schema: { tags, summary: 'Download the original of an incoming email (.eml)', params: ZIdParams } },
    async (req, reply) => reply.type('message/rfc822').header('content-disposition', `attachment; filename="message-${req.params.id}.eml"`).send(await getRawEmail(req.ctx, req.params.id)));
};

/** X-Careline-Inbox-Secret, or the password of HTTP Basic auth (what inbound-mail webhooks of providers can send). */
const inboxSecretOf = (headers: Record<string, string | string[] | undefined>) => {
  const header = headers['x-careline-inbox-secret'];
  if (typeof header === 'string' && header) return header.trim();
  const basic = /^Basic\s+(\S+)$/i.exec(String(headers.authorization ?? ''))?.[1];
  if (!basic) return '';
  const decoded = Buffer.from(basic, 'base64').toString('utf8');
  return decoded.slice(decoded.indexOf(':') + 1);
};
