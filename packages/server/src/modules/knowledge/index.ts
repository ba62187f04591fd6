// Public surface of the knowledge module: routes, the demo seed, and what the web form and portal share.
export { knowledgeRoutes } from './knowledge.routes.ts';
export { publicKnowledgeRoutes, suggestPublic } from './public.routes.ts';
export { helpCenterRoutes, helpContext, acceptForms } from './help-center/help-center.routes.ts';
export { seedKnowledgeDemo } from './seed-demo.ts';
export { html, raw, esc, page, negotiateLanguage, pickTimeZone, timeTag, TZ_COOKIE, type Raw } from './help-center/html.ts';
export { T, LANGUAGE_NAMES } from './help-center/i18n.ts';
export { brandOfInbox, companyName, getKbSettings, isLanguage, type Brand } from './settings.ts';
export { startDeflection, endDeflection, findDeflection } from './deflection.ts';

import type { FastifyInstance } from 'fastify';
import { knowledgeRoutes as apiRoutes } from './knowledge.routes.ts';
import { publicKnowledgeRoutes as publicRoutes } from './public.routes.ts';
import { helpCenterRoutes as htmlRoutes } from './help-center/help-center.routes.ts';

/** Registers the agent API (/api/v1/knowledge/*), the public API (/api/public/knowledge/*) and the help center (/help/*). */
export const knowledgeModule = async (app: FastifyInstance) => {
  await app.register(apiRoutes, { prefix: '/api/v1' });
  await app.register(publicRoutes);
  await app.register(htmlRoutes);
};
