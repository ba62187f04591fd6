import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZCreateTeamRequest, ZIdParams, ZTeam, ZUpdateTeamRequest } from '@careline/shared';
import { createTeam, deleteTeam, getTeam, listTeams, updateTeam } from './teams.ts';

export const teamRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['teams'];
  app.get('/teams', { config: { access: 'user' }, schema: { tags, response: { 200: z.array(ZTeam) } } }, async (req) => listTeams(req.ctx));
  app.post('/teams', { config: { access: 'supervisor' }, schema: { tags, body: ZCreateTeamRequest, response: { 201: ZTeam } } },
    async (req, reply) => reply.status(201).send(await createTeam(req.ctx, req.body)));
  app.get('/teams/:id', { config: { access: 'user' }, schema: { tags, params: ZIdParams, response: { 200: ZTeam } } }, async (req) => getTeam(req.ctx, req.params.id));
  app.patch('/teams/:id', { config: { access: 'supervisor' }, schema: { tags, params: ZIdParams, body: ZUpdateTeamRequest, response: { 200: ZTeam } } },
    async (req) => updateTeam(req.ctx, req.params.id, req.body));
  app.delete('/teams/:id', { config: { access: 'supervisor' }, schema: { tags, params: ZIdParams, response: { 204: z.null() } } },
    async (req, reply) => { await deleteTeam(req.ctx, req.params.id); return reply.status(204).send(null); });
};
