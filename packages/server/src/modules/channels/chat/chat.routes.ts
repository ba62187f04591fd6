import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CHAT_LANGUAGES, CHAT_LIMITS, ZChatAttachment, ZChatMessage, ZWidgetArticle, ZWidgetConfig, ZWidgetEmailRequest, ZWidgetSendRequest,
  ZWidgetSession, ZWidgetSessionRequest, ZWidgetTranscriptRequest, ZWidgetVisitor,
} from '@careline/shared';
import type { Deps } from '../../../platform/context.ts';
import { AppError, notFound } from '../../../platform/errors/app-error.ts';
import { safeEqual } from '../../../platform/ids.ts';
import { loadMessages, storeAttachment } from '../../conversations/index.ts';
import { findConversationAttachment, findVisitorByToken, insertUpload } from './chat.repo.ts';
import { compareMessages, isVisitorVisible, toChatMessage } from './chat-messages.ts';
import { attachmentSignature } from './identity.ts';
import { assertOriginAllowed } from './inbox-cache.ts';
import type { ChatRuntime } from './runtime.ts';
import { startSession, toVisitorDto } from './operations/start-session.ts';
import { sendVisitorMessage } from './operations/send-message.ts';
import { captureEmail, sendTranscript } from './operations/email.ts';
import { CHAT_CHANNEL } from './visitor-hub.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The built widget (packages/widget, `npm run build -w packages/widget`). */
export const WIDGET_BUNDLE = path.resolve(here, '../../../../../widget/dist/careline.js');
export const VISITOR_HEADER = 'x-careline-visitor';

const minute = 60_000;
const perIp = (max: number) => ({ max, timeWindow: minute, keyGenerator: (req: FastifyRequest) => `chat-ip:${req.ip}` });
const perVisitor = (max: number) => ({ max, timeWindow: minute, keyGenerator: (req: FastifyRequest) => `chat-v:${String(req.headers[VISITOR_HEADER] ?? req.ip)}` });

/**
 * The widget's public API (/widget-api/*, cross-origin with CORS, refused outside the inbox's allowed
 * origins), its WebSocket, and the widget script itself (/widget/careline.js).
 */
export const chatRoutes = (deps: Deps, chat: ChatRuntime): FastifyPluginAsyncZod => async (app) => {
  const ownOrigin = new URL(deps.config.publicUrl).origin;
  const tags = ['widget'];

  // CORS: the widget runs on the customer's site. Visitors authenticate with a header, never cookies,
  // so reflecting the Origin is safe; the inbox's allow-list is checked per request below.
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.url.startsWith('/widget-api/')) {
      reply.header('access-control-allow-origin', req.headers.origin ?? '*').header('vary', 'Origin')
        .header('cross-origin-resource-policy', 'cross-origin');
    }
    return payload;
  });
  app.options('/widget-api/*', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) => reply.status(204)
    .header('access-control-allow-methods', 'GET, POST, OPTIONS')
    .header('access-control-allow-headers', `content-type, ${VISITOR_HEADER}`)
    .header('access-control-max-age', '600').send());

  const visitorOf = async (req: FastifyRequest) => {
    const token = req.headers[VISITOR_HEADER];
    const visitor = typeof token === 'string' && token ? await findVisitorByToken(deps.db.kysely, token) : undefined;
    if (!visitor) throw new AppError('UNAUTHENTICATED', { userMessage: 'Unknown visitor; start a new chat session.' });
    const inbox = await chat.inboxes.byId(visitor.inbox_id);
    assertOriginAllowed(inbox, req.headers.origin, ownOrigin);
    return { visitor, inbox };
  };

  app.get('/widget-api/config', {
    config: { access: 'public', rateLimit: perIp(240) },
    schema: { tags, summary: 'Look and presence of a chat inbox, by its public token', querystring: z.strictObject({ token: z.string().min(1).max(100) }), response: { 200: ZWidgetConfig } },
  }, async (req) => {
    const inbox = await chat.inboxes.byToken(req.query.token);
    assertOriginAllowed(inbox, req.headers.origin, ownOrigin);
    const s = inbox.settings;
    return {
      businessName: inbox.row.business_name || inbox.row.name, greeting: inbox.row.greeting, color: s.color, position: s.position,
      language: s.language, preChatForm: s.preChatForm, presence: await chat.inboxes.presence(inbox),
      limits: { textMax: CHAT_LIMITS.textMax, attachmentBytes: CHAT_LIMITS.attachmentBytes },
    };
  });

  app.post('/widget-api/sessions', {
    config: { access: 'public', rateLimit: perIp(60) },
    schema: { tags, summary: 'Start or resume a visitor (anonymous, or identified with an HMAC signature)', body: ZWidgetSessionRequest, response: { 200: ZWidgetSession } },
  }, async (req) => {
    const inbox = await chat.inboxes.byToken(req.body.token);
    assertOriginAllowed(inbox, req.headers.origin, ownOrigin);
    return startSession(deps, inbox, req.body);
  });

  app.get('/widget-api/messages', {
    config: { access: 'public', rateLimit: perVisitor(120) },
    schema: { tags, summary: "The visitor's conversation, after a message id (catch-up)", querystring: z.strictObject({ after: z.string().max(64).optional() }), response: { 200: z.object({ visitor: ZWidgetVisitor, items: z.array(ZChatMessage) }) } },
  }, async (req) => {
    const { visitor, inbox } = await visitorOf(req);
    const all = visitor.conversation_id ? (await loadMessages(deps.db.kysely, { conversationId: visitor.conversation_id })).filter(isVisitorVisible) : [];
    const from = req.query.after ? all.find((m) => m.id === req.query.after) : undefined;
    const items = from ? all.filter((m) => compareMessages(m, from) > 0) : all;
    await chat.names.ensure(items);
    return { visitor: toVisitorDto(visitor), items: items.map((m) => toChatMessage(m, inbox.row.secret, chat.names, inbox.row.business_name)) };
  });

  app.post('/widget-api/messages', {
    config: { access: 'public', rateLimit: perVisitor(60) },
    schema: { tags, summary: 'Send a message (the WebSocket is the usual path; this is the fallback)', body: ZWidgetSendRequest, response: { 200: ZChatMessage, 201: ZChatMessage } },
  }, async (req, reply) => {
    const { visitor, inbox } = await visitorOf(req);
    const result = await sendVisitorMessage(deps, visitor.id, req.body);
    if (result.message.conversationId !== visitor.conversation_id) deps.bus.publish(CHAT_CHANNEL, { type: 'attach', visitorId: visitor.id, conversationId: result.message.conversationId });
    await chat.names.ensure([result.message]);
    return reply.status(result.isDuplicate ? 200 : 201).send(toChatMessage(result.message, inbox.row.secret, chat.names, inbox.row.business_name));
  });

  app.post('/widget-api/attachments', {
    config: { access: 'public', rateLimit: perVisitor(20) },
    schema: { tags, summary: 'Upload a file (multipart/form-data, field "file"), then send its id with a message', consumes: ['multipart/form-data'], response: { 201: ZChatAttachment } },
  }, async (req, reply) => {
    const { visitor, inbox } = await visitorOf(req);
    if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', { userMessage: 'Send the file as multipart/form-data.' });
    const file = await req.file({ limits: { fileSize: CHAT_LIMITS.attachmentBytes, files: 1 } });
    if (!file) throw new AppError('VALIDATION_FAILED', { userMessage: 'No file in the form', fields: [{ field: 'body.file', message: 'required' }] });
    const data = await file.toBuffer().catch((e: { code?: string }) => {
      if (e.code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('PAYLOAD_TOO_LARGE', { userMessage: `Files can be at most ${CHAT_LIMITS.attachmentBytes / 1024 / 1024} MB.` });
      throw e;
    });
    const stored = await storeAttachment({ ...deps, actor: { type: 'contact', contactId: visitor.contact_id ?? visitor.id } }, { filename: file.filename, contentType: file.mimetype, data });
    await deps.db.transaction(({ tx }) => insertUpload(tx, stored.id, visitor.id, deps.clock.iso()));
    return reply.status(201).send({ ...stored, url: `/widget-api/attachments/${stored.id}?sig=${attachmentSignature(inbox.row.secret, stored.id)}` });
  });

  app.get('/widget-api/attachments/:id', {
    config: { access: 'public', rateLimit: perIp(240) },
    schema: { tags, summary: 'Download an attachment of the conversation (signed link)', params: z.strictObject({ id: z.uuid() }), querystring: z.strictObject({ sig: z.string().max(64) }) },
  }, async (req, reply) => {
    const a = await findConversationAttachment(deps.db.kysely, req.params.id);
    if (!a || (a.kind !== 'incoming' && a.kind !== 'outgoing')) throw notFound('Attachment');
    const inbox = await chat.inboxes.byId(a.inbox_id).catch(() => null);
    if (!inbox || !safeEqual(attachmentSignature(inbox.row.secret, req.params.id), req.query.sig)) throw notFound('Attachment');
    const data = await deps.blobs.get(a.blob_key);
    if (!data) throw notFound('Attachment');
    const inline = /^image\/(png|jpe?g|gif|webp)$/.test(a.content_type);
    return reply.type(inline ? a.content_type : 'application/octet-stream')
      .header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(a.filename)}`)
      .header('x-content-type-options', 'nosniff').header('cache-control', 'private, max-age=3600').send(data);
  });

  app.post('/widget-api/email', {
    config: { access: 'public', rateLimit: perVisitor(10) },
    schema: { tags, summary: 'Leave an email address: unread replies follow by email', body: ZWidgetEmailRequest, response: { 200: ZWidgetVisitor } },
  }, async (req) => {
    const { visitor } = await visitorOf(req);
    return toVisitorDto(await captureEmail(deps, visitor.id, req.body));
  });

  app.post('/widget-api/transcript', {
    config: { access: 'public', rateLimit: perVisitor(5) },
    schema: { tags, summary: 'Email the conversation to the visitor', body: ZWidgetTranscriptRequest, response: { 202: z.object({ email: z.string(), messages: z.number() }) } },
  }, async (req, reply) => {
    const { visitor } = await visitorOf(req);
    return reply.status(202).send(await sendTranscript(deps, visitor.id, chat.inboxes, chat.names, req.body.email));
  });

  app.get('/widget-api/articles', {
    config: { access: 'public', rateLimit: perIp(60) },
    schema: { tags, summary: 'Help articles matching the question (from the knowledge base, when there is one)', querystring: z.strictObject({ token: z.string().min(1).max(100), q: z.string().trim().min(1).max(300), lang: z.enum(CHAT_LANGUAGES).default('en') }), response: { 200: z.object({ items: z.array(ZWidgetArticle) }) } },
  }, async (req) => {
    const inbox = await chat.inboxes.byToken(req.query.token);
    assertOriginAllowed(inbox, req.headers.origin, ownOrigin);
    return { items: await suggestArticles(app, new URL(deps.config.publicUrl).origin, req.query.q, req.query.lang) };
  });

  app.get('/widget-api/socket', {
    websocket: true, config: { access: 'public', rateLimit: perIp(120) },
    schema: { tags, summary: 'WebSocket: first frame {type:"hello", visitorToken, after}; see packages/shared/src/chat.ts' },
  }, (socket, req) => chat.hub.accept(socket, { ip: req.ip, origin: req.headers.origin }));

  app.get('/widget/careline.js', { config: { access: 'public', rateLimit: perIp(600) }, schema: { hide: true } }, async (_req, reply) => {
    const code = await readBundle();
    if (!code) throw new AppError('NOT_FOUND', { userMessage: 'The widget is not built: run `npm run build -w packages/widget`.' });
    return reply.type('application/javascript; charset=utf-8').header('cross-origin-resource-policy', 'cross-origin')
      .header('access-control-allow-origin', '*').header('cache-control', 'public, max-age=300').send(code);
  });
};

let bundle: { code: Buffer; mtimeMs: number } | null = null;
const readBundle = async () => {
  const stat = await fs.promises.stat(WIDGET_BUNDLE).catch(() => null);
  if (!stat) return null;
  if (!bundle || bundle.mtimeMs !== stat.mtimeMs) bundle = { code: await fs.promises.readFile(WIDGET_BUNDLE), mtimeMs: stat.mtimeMs };
  return bundle.code;
};

/** Snippets may carry search highlights (<mark>); the widget shows plain text only. */
const plainText = (html: string) => html.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/** Asks the knowledge base's public endpoint in-process; no knowledge base (404) means no suggestions. */
const suggestArticles = async (app: FastifyInstance, baseUrl: string, q: string, lang: string) => {
  const res = await app.inject({ method: 'GET', url: `/api/public/knowledge/suggest?q=${encodeURIComponent(q)}&lang=${lang}` });
  if (res.statusCode !== 200) return [];
  const body = res.json() as { items?: { id?: unknown; title?: unknown; url?: unknown; snippet?: unknown }[] };
  return (body.items ?? []).slice(0, 5).flatMap((a) => {
    if (typeof a.title !== 'string' || typeof a.url !== 'string') return [];
    const url = new URL(a.url, baseUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return [];
    return [{ id: String(a.id ?? a.url), title: a.title, url: url.origin === baseUrl ? url.pathname + url.search : url.toString(), snippet: typeof a.snippet === 'string' ? plainText(a.snippet) : '' }];
  });
};
