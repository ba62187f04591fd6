import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZApiToken, ZCreateApiTokenRequest, ZCreatedApiToken, ZIdParams, ZSignInRequest, ZUser } from '@careline/shared';
import { requireUser } from '../../platform/auth/access.ts';
import { SESSION_COOKIE } from './authenticate.ts';
import { createApiToken, listApiTokens, revokeApiToken } from './operations/api-tokens.ts';
import { signIn, signOut } from './operations/sign-in.ts';
import { getUser } from '../users/index.ts';

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/auth/sign-in', {
    config: { access: 'public' },
    schema: { tags: ['auth'], summary: 'Sign in with email and password; sets the session cookie', body: ZSignInRequest, response: { 200: ZUser } },
  }, async (req, reply) => {
    const { token, user, expiresAt } = await signIn(req.ctx, { ...req.body, ip: req.ip, userAgent: req.headers['user-agent'] ?? null });
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/', httpOnly: true, sameSite: 'lax', secure: req.ctx.config.publicUrl.startsWith('https:'), expires: new Date(expiresAt),
    });
    return user;
  });

  app.post('/auth/sign-out', {
    config: { access: 'user' },
    schema: { tags: ['auth'], summary: 'End this session', response: { 204: z.null() } },
  }, async (req, reply) => {
    const cookie = req.cookies[SESSION_COOKIE];
    if (cookie) await signOut(req.ctx, cookie);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send(null);
  });

  app.get('/auth/session', {
    config: { access: 'user' },
    schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: ZUser } },
  }, async (req) => getUser(req.ctx, requireUser(req.ctx.actor).id));

  app.get('/api-tokens', {
    config: { access: 'user' },
    schema: { tags: ['auth'], summary: 'Your API tokens (admins: everyone\'s)', response: { 200: z.array(ZApiToken) } },
  }, async (req) => listApiTokens(req.ctx));

  app.post('/api-tokens', {
    config: { access: 'user' },
    schema: { tags: ['auth'], summary: 'Create an API token; the token is shown once', body: ZCreateApiTokenRequest, response: { 201: ZCreatedApiToken } },
  }, async (req, reply) => reply.status(201).send(await createApiToken(req.ctx, req.body.name)));

  app.delete('/api-tokens/:id', {
    config: { access: 'user' },
    schema: { tags: ['auth'], summary: 'Revoke an API token', params: ZIdParams, response: { 204: z.null() } },
  }, async (req, reply) => { await revokeApiToken(req.ctx, req.params.id); return reply.status(204).send(null); });
};

