import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZCreateUserRequest, ZIdParams, ZUpdateProfileRequest, ZUpdateUserRequest, ZUser } from '@careline/shared';
import { requireUser } from '../../platform/auth/access.ts';
import { createUser, getUser, listUsers, updateProfile, updateUser } from './operations/manage-users.ts';

export const userRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['users'];
  app.get('/users', { config: { access: 'user' }, schema: { tags, summary: 'All users (for assignment and mentions)', response: { 200: z.array(ZUser) } } },
    async (req) => listUsers(req.ctx));
  app.post('/users', { config: { access: 'admin' }, schema: { tags, summary: 'Create a user', body: ZCreateUserRequest, response: { 201: ZUser } } },
    async (req, reply) => reply.status(201).send(await createUser(req.ctx, req.body)));
  app.get('/users/:id', { config: { access: 'user' }, schema: { tags, params: ZIdParams, response: { 200: ZUser } } },
    async (req) => getUser(req.ctx, req.params.id));
  app.patch('/users/:id', { config: { access: 'admin' }, schema: { tags, summary: 'Change a user (role, password, disable…)', params: ZIdParams, body: ZUpdateUserRequest, response: { 200: ZUser } } },
    async (req) => updateUser(req.ctx, req.params.id, req.body));
  app.delete('/users/:id', { config: { access: 'admin' }, schema: { tags, summary: 'Disable a user (history keeps their name)', params: ZIdParams, response: { 204: z.null() } } },
    async (req, reply) => { await updateUser(req.ctx, req.params.id, { isDisabled: true }); return reply.status(204).send(null); });
  app.get('/profile', { config: { access: 'user' }, schema: { tags, summary: 'My profile', response: { 200: ZUser } } },
    async (req) => getUser(req.ctx, requireUser(req.ctx.actor).id));
  app.patch('/profile', { config: { access: 'user' }, schema: { tags, summary: 'Change my name, language, time zone, availability or password', body: ZUpdateProfileRequest, response: { 200: ZUser } } },
    async (req) => updateProfile(req.ctx, req.body));
};
