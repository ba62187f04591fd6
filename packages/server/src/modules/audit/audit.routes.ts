import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZAuditEntry } from '@careline/shared';
import { fromJson } from '../../db/dialect.ts';

const ZAuditQuery = z.strictObject({
  entity: z.enum(['conversation', 'contact', 'organization', 'user', 'team', 'inbox', 'webhook', 'api_token', 'custom_status']),
  entityId: z.string().max(64),
});

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/audit', { config: { access: 'supervisor' }, schema: { tags: ['audit'], summary: 'Every change to one record: who, what, before → after, when', querystring: ZAuditQuery, response: { 200: z.array(ZAuditEntry) } } },
    async (req) => (await req.ctx.db.kysely.selectFrom('audit_log').selectAll()
      .where('entity', '=', req.query.entity).where('entity_id', '=', req.query.entityId).orderBy('created_at').orderBy('id').limit(1000).execute())
      .map((a) => ({ id: a.id, actorType: a.actor_type, actorId: a.actor_id, entity: a.entity, entityId: a.entity_id, action: a.action,
        before: fromJson(a.before, null), after: fromJson(a.after, null), createdAt: a.created_at })));
};
