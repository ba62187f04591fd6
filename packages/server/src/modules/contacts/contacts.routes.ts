import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ZContact, ZCreateContactRequest, ZCreateOrganizationRequest, ZIdParams, ZListContactsQuery, ZMergeContactsRequest,
  ZOrganization, ZPage, ZUpdateContactRequest, ZUpdateOrganizationRequest,
} from '@careline/shared';
import { createContact, deleteContact, getContact, listContacts, mergeContacts, updateContact } from './contacts.ts';
import { createOrganization, deleteOrganization, getOrganization, listOrganizations, updateOrganization } from './organizations.ts';

export const contactRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['contacts'];
  app.get('/contacts', { config: { access: 'user' }, schema: { tags, summary: 'Customers, newest change first; q searches name, email, phone', querystring: ZListContactsQuery, response: { 200: ZPage(ZContact) } } },
    async (req) => listContacts(req.ctx, req.query));
  app.post('/contacts', { config: { access: 'user' }, schema: { tags, body: ZCreateContactRequest, response: { 201: ZContact } } },
    async (req, reply) => reply.status(201).send(await createContact(req.ctx, req.body)));
  app.get('/contacts/:id', { config: { access: 'user' }, schema: { tags, params: ZIdParams, response: { 200: ZContact } } },
    async (req) => getContact(req.ctx, req.params.id));
  app.patch('/contacts/:id', { config: { access: 'user' }, schema: { tags, params: ZIdParams, body: ZUpdateContactRequest, response: { 200: ZContact } } },
    async (req) => updateContact(req.ctx, req.params.id, req.body));
  app.delete('/contacts/:id', { config: { access: 'supervisor' }, schema: { tags, params: ZIdParams, response: { 204: z.null() } } },
    async (req, reply) => { await deleteContact(req.ctx, req.params.id); return reply.status(204).send(null); });
  app.post('/contacts/:id/merge', { config: { access: 'user' }, schema: { tags, summary: 'Merge another customer (sourceId) into this one', params: ZIdParams, body: ZMergeContactsRequest, response: { 200: ZContact } } },
    async (req) => mergeContacts(req.ctx, req.params.id, req.body.sourceId));

  const otags = ['organizations'];
  app.get('/organizations', { config: { access: 'user' }, schema: { tags: otags, response: { 200: z.array(ZOrganization) } } }, async (req) => listOrganizations(req.ctx));
  app.post('/organizations', { config: { access: 'user' }, schema: { tags: otags, body: ZCreateOrganizationRequest, response: { 201: ZOrganization } } },
    async (req, reply) => reply.status(201).send(await createOrganization(req.ctx, req.body)));
  app.get('/organizations/:id', { config: { access: 'user' }, schema: { tags: otags, params: ZIdParams, response: { 200: ZOrganization } } },
    async (req) => getOrganization(req.ctx, req.params.id));
  app.patch('/organizations/:id', { config: { access: 'user' }, schema: { tags: otags, params: ZIdParams, body: ZUpdateOrganizationRequest, response: { 200: ZOrganization } } },
    async (req) => updateOrganization(req.ctx, req.params.id, req.body));
  app.delete('/organizations/:id', { config: { access: 'supervisor' }, schema: { tags: otags, params: ZIdParams, response: { 204: z.null() } } },
    async (req, reply) => { await deleteOrganization(req.ctx, req.params.id); return reply.status(204).send(null); });
};
