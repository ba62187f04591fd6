import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { ZDeflectionEventRequest, ZDeflectionEventResponse, ZPublicSuggestQuery, ZPublicSuggestResponse } from '@careline/shared';
import { searchArticles } from './search/search.ts';
import { getKbSettings } from './settings.ts';
import { articleUrl } from './knowledge.repo.ts';
import { endDeflection, findDeflection, recordEvent, startDeflection } from './deflection.ts';

// Public knowledge API for the chat widget and the web form (no sign-in; rate-limited per IP).
const perIp = (max: number) => ({ max, timeWindow: 60_000, keyGenerator: (req: FastifyRequest) => req.ip });

/** Public articles that best match a text, in the customer's language (default language standing in). */
export const suggestPublic = async (ctx: FastifyRequest['ctx'], q: string, lang: 'en' | 'vi' | 'pl', limit = 5) => {
  if (!q.trim()) return [];
  const settings = await getKbSettings(ctx.db.kysely);
  const r = await searchArticles(ctx.db.kysely, ctx.db.engine, { q, languages: [...new Set([lang, settings.defaultLanguage])], includeInternal: false, limit, mode: 'suggest' });
  return r.hits.map((h) => ({ id: h.articleId, title: h.title, url: articleUrl(ctx.config.publicUrl, lang, h.slug), snippet: h.snippet, language: h.language }));
};

export const publicKnowledgeRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['public'];
  app.get('/api/public/knowledge/suggest', {
    config: { access: 'public', rateLimit: perIp(120) },
    schema: { tags, summary: 'Suggested public articles for what a customer types (chat widget, web form)', security: [], querystring: ZPublicSuggestQuery, response: { 200: ZPublicSuggestResponse } },
  }, async (req) => ({ items: (await suggestPublic(req.ctx, req.query.q, req.query.lang)).map(({ id, title, url, snippet }) => ({ id, title, url, snippet })) }));

  app.post('/api/public/knowledge/deflection', {
    config: { access: 'public', rateLimit: perIp(60) },
    schema: {
      tags, security: [], body: ZDeflectionEventRequest, response: { 200: ZDeflectionEventResponse },
      summary: 'Deflection tracking: "shown" (starts a session unless sessionId is given), "clicked", "solved" (this solved my problem), "submitted"',
    },
  }, async (req) => {
    const b = req.body;
    let sessionId = b.sessionId && (await findDeflection(req.ctx, b.sessionId)) ? b.sessionId : null;
    if (b.event === 'shown') {
      if (!sessionId) sessionId = await startDeflection(req.ctx, { source: b.source, language: b.lang, query: b.query, articleIds: b.articleIds });
      else await req.ctx.db.transaction(({ tx }) => tx.updateTable('kb_deflections').set({ article_ids: JSON.stringify(b.articleIds.slice(0, 20)), query: b.query.slice(0, 2000) }).where('id', '=', sessionId!).where('outcome', 'is', null).execute());
      return { sessionId };
    }
    if (!sessionId) sessionId = await startDeflection(req.ctx, { source: b.source, language: b.lang, query: b.query, articleIds: b.articleIds });
    if (b.event === 'clicked' && b.articleIds[0]) await recordEvent(req.ctx, { kind: 'suggestion_click', articleId: b.articleIds[0], language: b.lang, source: b.source, sessionId }).catch(() => {});
    if (b.event === 'solved') await endDeflection(req.ctx, sessionId, 'solved', b.articleIds[0] ?? null);
    if (b.event === 'submitted') await endDeflection(req.ctx, sessionId, 'submitted');
    return { sessionId };
  });
};
