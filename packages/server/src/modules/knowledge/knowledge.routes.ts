import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ZAgentSuggestQuery, ZAgentSuggestResponse, ZCreateKbArticleRequest, ZCreateKbCategoryRequest, ZDeflectionReport, ZDeflectionReportQuery,
  ZIdParams, ZKbArticle, ZKbCategory, ZKbRevision, ZKbSearchQuery, ZKbSearchResult, ZKbSettings, ZKbTranslationParams, ZListKbArticlesQuery,
  ZPage, ZPutKbTranslationRequest, ZSetKbStatusRequest, ZUpdateKbArticleRequest, ZUpdateKbCategoryRequest, ZUpdateKbSettingsRequest, type Language,
} from '@careline/shared';
import {
  createArticle, deleteArticle, deleteTranslation, getArticle, listArticles, listRevisions, putTranslation, restoreRevision, setTranslationStatus, updateArticle,
} from './articles.ts';
import { createCategory, deleteCategory, listCategories, updateCategory } from './categories.ts';
import { searchArticles } from './search/search.ts';
import { deflectionReport, recordSearch } from './deflection.ts';
import { getKbSettings, updateKbSettings } from './settings.ts';
import { articleUrl } from './knowledge.repo.ts';

// Agent and admin API of the knowledge base, under /api/v1/knowledge. Any signed-in user may write and
// publish articles; deleting, the report and the settings need a supervisor or an admin.
export const knowledgeRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['knowledge'];
  const user = { access: 'user' as const };
  const supervisor = { access: 'supervisor' as const };

  app.get('/knowledge/categories', { config: user, schema: { tags, summary: 'Categories and sections (sections have a parentId)', response: { 200: z.array(ZKbCategory) } } },
    async (req) => listCategories(req.ctx));
  app.post('/knowledge/categories', { config: supervisor, schema: { tags, summary: 'Create a category, or a section when parentId is set', body: ZCreateKbCategoryRequest, response: { 201: ZKbCategory } } },
    async (req, reply) => reply.status(201).send(await createCategory(req.ctx, req.body)));
  app.patch('/knowledge/categories/:id', { config: supervisor, schema: { tags, params: ZIdParams, body: ZUpdateKbCategoryRequest, response: { 200: ZKbCategory } } },
    async (req) => updateCategory(req.ctx, req.params.id, req.body));
  app.delete('/knowledge/categories/:id', { config: supervisor, schema: { tags, summary: 'Delete a category and its sections; their articles stay, uncategorised', params: ZIdParams, response: { 204: z.null() } } },
    async (req, reply) => { await deleteCategory(req.ctx, req.params.id); return reply.status(204).send(null); });

  app.get('/knowledge/articles', { config: user, schema: { tags, summary: 'List articles (all statuses, internal included); with q, ranked by search', querystring: ZListKbArticlesQuery, response: { 200: ZPage(ZKbArticle) } } },
    async (req) => listArticles(req.ctx, req.query));
  app.post('/knowledge/articles', { config: user, schema: { tags, summary: 'Create an article with its first translation', body: ZCreateKbArticleRequest, response: { 201: ZKbArticle } } },
    async (req, reply) => reply.status(201).send(await createArticle(req.ctx, req.body)));
  app.get('/knowledge/articles/:id', { config: user, schema: { tags, summary: 'One article with all its translations', params: ZIdParams, response: { 200: ZKbArticle } } },
    async (req) => getArticle(req.ctx, req.params.id));
  app.patch('/knowledge/articles/:id', { config: user, schema: { tags, summary: 'Category, internal flag, tags, position, default language', params: ZIdParams, body: ZUpdateKbArticleRequest, response: { 200: ZKbArticle } } },
    async (req) => updateArticle(req.ctx, req.params.id, req.body));
  app.delete('/knowledge/articles/:id', { config: supervisor, schema: { tags, params: ZIdParams, response: { 204: z.null() } } },
    async (req, reply) => { await deleteArticle(req.ctx, req.params.id); return reply.status(204).send(null); });

  app.put('/knowledge/articles/:id/translations/:lang', { config: user, schema: { tags, summary: 'Create or update the translation in one language (a new revision each time)', params: ZKbTranslationParams, body: ZPutKbTranslationRequest, response: { 200: ZKbArticle } } },
    async (req) => putTranslation(req.ctx, req.params.id, req.params.lang, req.body));
  app.post('/knowledge/articles/:id/translations/:lang/status', { config: user, schema: { tags, summary: 'Publish, archive or return a translation to draft', params: ZKbTranslationParams, body: ZSetKbStatusRequest, response: { 200: ZKbArticle } } },
    async (req) => setTranslationStatus(req.ctx, req.params.id, req.params.lang, req.body.status));
  app.delete('/knowledge/articles/:id/translations/:lang', { config: supervisor, schema: { tags, summary: 'Delete one translation (not the last one)', params: ZKbTranslationParams, response: { 200: ZKbArticle } } },
    async (req) => deleteTranslation(req.ctx, req.params.id, req.params.lang));
  app.get('/knowledge/articles/:id/revisions', { config: user, schema: { tags, summary: 'Revision history (who changed what), newest first', params: ZIdParams, querystring: z.strictObject({ lang: z.enum(['en', 'vi', 'pl']).optional() }), response: { 200: z.array(ZKbRevision) } } },
    async (req) => listRevisions(req.ctx, req.params.id, req.query.lang));
  app.post('/knowledge/articles/:id/revisions/:revisionId/restore', { config: user, schema: { tags, summary: 'Make an old revision current again (as a new version)', params: z.strictObject({ id: z.uuid(), revisionId: z.uuid() }), response: { 200: ZKbArticle } } },
    async (req) => restoreRevision(req.ctx, req.params.id, req.params.revisionId));

  app.get('/knowledge/search', { config: user, schema: { tags, summary: 'Search published articles, internal ones included; searches without results are recorded', querystring: ZKbSearchQuery, response: { 200: ZKbSearchResult } } },
    async (req) => {
      const r = await searchArticles(req.ctx.db.kysely, req.ctx.db.engine, { q: req.query.q, languages: req.query.lang ? [req.query.lang] : null, includeInternal: true, limit: req.query.limit, mode: 'search' });
      await recordSearch(req.ctx, { query: req.query.q, language: req.query.lang ?? null, source: 'api', resultCount: r.hits.length });
      return {
        items: r.hits.map((h) => ({ articleId: h.articleId, translationId: h.translationId, language: h.language, title: h.title, slug: h.slug,
          url: h.isInternal ? null : articleUrl(req.ctx.config.publicUrl, h.language, h.slug), isInternal: h.isInternal, snippet: h.snippet, score: h.score })),
        total: r.hits.length, corrected: r.corrected,
      };
    });
  app.get('/knowledge/suggestions', { config: user, schema: { tags, summary: 'Agent composer: best published articles for a text (conversation subject/body), internal ones included', querystring: ZAgentSuggestQuery, response: { 200: ZAgentSuggestResponse } } },
    async (req) => {
      if (!req.query.q) return { items: [] };
      const langs: Language[] | null = req.query.lang ? [...new Set([req.query.lang, (await getKbSettings(req.ctx.db.kysely)).defaultLanguage])] : null;
      const r = await searchArticles(req.ctx.db.kysely, req.ctx.db.engine, { q: req.query.q, languages: langs, includeInternal: true, limit: req.query.limit, mode: 'suggest' });
      return { items: r.hits.map((h) => ({ id: h.articleId, translationId: h.translationId, language: h.language, title: h.title,
        url: h.isInternal ? null : articleUrl(req.ctx.config.publicUrl, h.language, h.slug), snippet: h.snippet, isInternal: h.isInternal })) };
    });

  app.get('/knowledge/reports/deflection', { config: supervisor, schema: { tags, summary: 'Views, helpfulness votes, searches without results and contacts deflected, per week and per article and language', querystring: ZDeflectionReportQuery, response: { 200: ZDeflectionReport } } },
    async (req) => deflectionReport(req.ctx, req.query));

  app.get('/knowledge/settings', { config: user, schema: { tags, response: { 200: ZKbSettings } } }, async (req) => getKbSettings(req.ctx.db.kysely));
  app.patch('/knowledge/settings', { config: { access: 'admin' }, schema: { tags, summary: 'Help-center default language, branding inbox and title', body: ZUpdateKbSettingsRequest, response: { 200: ZKbSettings } } },
    async (req) => updateKbSettings(req.ctx, req.body));
};
