import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import multipart from '@fastify/multipart';
import websocket from '@fastify/websocket';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { securityHeaders } from './platform/http/security-headers.ts';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Ctx, Deps } from './platform/context.ts';
import { checkAccess, type Access } from './platform/auth/access.ts';
import { installErrorHandler, sendProblem } from './platform/http/error-handler.ts';
import { AppError } from './platform/errors/app-error.ts';
import { newId } from './platform/ids.ts';
import { authRoutes, checkCsrf, createActorCache, resolveActor } from './modules/auth/index.ts';
import { userRoutes } from './modules/users/index.ts';
import { teamRoutes } from './modules/teams/index.ts';
import { inboxRoutes } from './modules/inboxes/index.ts';
import { contactRoutes } from './modules/contacts/index.ts';
import { conversationRoutes, registerConversationJobs } from './modules/conversations/index.ts';
import { registerWebhooks, webhookRoutes } from './modules/webhooks/index.ts';
import { auditRoutes } from './modules/audit/index.ts';
import { createHub, realtimeRoutes, type Hub } from './modules/realtime/index.ts';
import { registerSystemMail } from './platform/mail/system-mail.ts';
import { knowledgeModule } from './modules/knowledge/index.ts'; import { webformModule } from './modules/channels/webform/index.ts'; import { portalModule } from './modules/portal/index.ts';
import { emailRoutes, registerEmail } from './modules/channels/email/index.ts';
import { chatModule } from './modules/channels/chat/index.ts';
import { cannedReplyRoutes } from './modules/canned-replies/index.ts';
import { notificationRoutes, registerNotifications } from './modules/notifications/index.ts';

declare module 'fastify' {
  interface FastifyContextConfig { access?: Access }
  interface FastifyRequest { ctx: Ctx }
}

export type RouteRule = { method: string; url: string; access: Access | undefined };
export type App = FastifyInstance & { hub: Hub; routeTable: RouteRule[] };
const here = path.dirname(fileURLToPath(import.meta.url));

/** A long-running part of a module besides HTTP (SMTP listener, IMAP fetchers…), started after listen. */
export type Service = { name: string; start(): Promise<void>; stop(): Promise<void> };

/** Module wiring that is not HTTP: listeners, job handlers and services. Called once per process. */
export const registerModules = (deps: Deps): Service[] => {
  const services: Service[] = [];
  registerSystemMail(deps);
  registerWebhooks(deps);
  registerConversationJobs(deps);
  services.push(...registerEmail(deps));
  registerNotifications(deps);
  return services;
};

/** Builds the HTTP app on the given dependencies; does not listen. */
export const createApp = async (deps: Deps): Promise<App> => {
  const app = Fastify({
    loggerInstance: deps.log, bodyLimit: deps.config.BODY_LIMIT_BYTES, trustProxy: deps.config.TRUST_PROXY,
    genReqId: () => newId(), requestIdHeader: false, return503OnClosing: true,
  }) as unknown as App;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);

  // Every API route must say who may call it; a route without a rule stops the server from starting.
  const routeTable: RouteRule[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/v1') && !route.config?.access) throw new Error(`Route ${route.method} ${route.url} has no access rule`);
    for (const method of [route.method].flat()) if (method !== 'HEAD') routeTable.push({ method, url: route.url, access: route.config?.access });
  });

  await app.register(cookie);
  const headers = securityHeaders();
  app.addHook('onRequest', async (_req, reply) => { reply.headers(headers); });
  await app.register(rateLimit, {
    global: true, max: deps.config.RATE_LIMIT_PER_MINUTE, timeWindow: 60_000,
    keyGenerator: (req) => req.headers.authorization ?? req.cookies?.careline_session ?? req.ip,
    errorResponseBuilder: () => new AppError('RATE_LIMITED'),
  });
  await app.register(multipart, { limits: { fileSize: 25 * 1024 * 1024, files: 1 }, throwFileSizeLimit: true });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Careline API', version: '1.0.0', description: 'Errors are RFC 9457 problem documents with a stable `code` (docs/api/errors.md).' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'careline_session' }, token: { type: 'http', scheme: 'bearer' } } },
      security: [{ session: [] }, { token: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  const allowedOrigins = new Set([new URL(deps.config.publicUrl).origin]);
  app.decorateRequest('ctx', null as unknown as Ctx);
  const actors = createActorCache(deps);
  const authenticate = async (req: FastifyRequest) => {
    const actor = (await resolveActor(deps, req, actors)) ?? { type: 'anonymous' as const };
    req.ctx = { ...deps, actor };
    if (actor.type === 'user' && actor.via === 'session') checkCsrf(req, allowedOrigins);
    const access = req.routeOptions.config?.access;
    if (access) checkAccess(access, actor);
  };
  // Added per route after the rate limiter's own hook, so a flood is refused before any database work.
  app.addHook('onRoute', (route) => {
    route.onRequest = [...[route.onRequest ?? []].flat(), authenticate] as typeof route.onRequest;
  });

  const hub = createHub(deps);
  app.decorate('hub', hub);
  app.addHook('onClose', async () => hub.close());

  app.get('/api/health', { config: { access: 'public' } }, async () => ({ ok: true, engine: deps.db.engine }));
  app.get('/api/public-config', { config: { access: 'public' } }, async () => ({ publicUrl: deps.config.publicUrl, languages: ['en', 'vi', 'pl'] }));

  await app.register(async (api) => {
    for (const routes of [authRoutes, userRoutes, teamRoutes, inboxRoutes, contactRoutes, conversationRoutes, webhookRoutes, auditRoutes]) await api.register(routes);
    for (const routes of [cannedReplyRoutes, notificationRoutes]) await api.register(routes);
    await api.register(emailRoutes);
    await api.register(realtimeRoutes(deps, hub));
  }, { prefix: '/api/v1' });
  await app.register(chatModule(deps));

  for (const m of [knowledgeModule, webformModule, portalModule]) await app.register(m);
  await serveWebApp(app);
  return app;
};

/**
 * The agent app (packages/web, built by Vite) at /, with its client-side routes falling back to
 * index.html; anything else unknown is a problem document.
 */
const serveWebApp = async (app: FastifyInstance) => {
  const dist = path.resolve(here, '../../web/dist');
  const hasWebApp = fs.existsSync(path.join(dist, 'index.html'));
  if (hasWebApp) await app.register(fastifyStatic, { root: dist, prefix: '/', wildcard: false, index: 'index.html' });
  app.setNotFoundHandler((req, reply) => {
    if (hasWebApp && req.method === 'GET' && !req.url.startsWith('/api/') && req.headers.accept?.includes('text/html')) return reply.sendFile('index.html');
    return sendProblem(req, reply, 'ROUTE_NOT_FOUND', `No endpoint ${req.method} ${req.url.split('?')[0]}`);
  });
};
