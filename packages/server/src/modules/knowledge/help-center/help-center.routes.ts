import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Language } from '@careline/shared';
import type { Ctx } from '../../../platform/context.ts';
import { getKbSettings, helpCenterBrand, isLanguage } from '../settings.ts';
import { findPublicArticleBySlug, listPublicArticles, pickTranslation, toCategoryDto, toPublicArticle } from '../knowledge.repo.ts';
import { searchArticles } from '../search/search.ts';
import { recordEvent, recordSearch } from '../deflection.ts';
import { articlePage, categoryPage, homePage, notFoundPage, searchPage, sitemap, type HelpContext } from './pages.ts';
import { negotiateLanguage, pickTimeZone, TZ_COOKIE } from './html.ts';
import { T } from './i18n.ts';

// The public help center: server-rendered HTML under /help/* that works without JavaScript.

const here = path.dirname(fileURLToPath(import.meta.url));
const ASSETS: Record<string, { type: string; body: Buffer }> = Object.fromEntries(
  [['help.css', 'text/css; charset=utf-8'], ['contact.js', 'text/javascript; charset=utf-8'], ['tz.js', 'text/javascript; charset=utf-8']]
    .map(([name, type]) => [name, { type: type!, body: fs.readFileSync(path.join(here, 'assets', name!)) }]),
);

const PUBLIC = { access: 'public' as const };
const perIp = (max: number) => ({ max, timeWindow: 60_000, keyGenerator: (req: FastifyRequest) => req.ip });

/** Parses HTML form posts (application/x-www-form-urlencoded) for the public pages of this plugin and its siblings. */
export const acceptForms = (app: FastifyInstance) => {
  if (app.hasContentTypeParser('application/x-www-form-urlencoded')) return;
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
};

export const helpContext = async (ctx: Ctx, lang: Language): Promise<HelpContext> => {
  const settings = await getKbSettings(ctx.db.kysely);
  const brand = await helpCenterBrand(ctx.db.kysely, settings);
  return { lang, brand, publicUrl: ctx.config.publicUrl, defaultLanguage: settings.defaultLanguage, siteTitle: settings.title[lang] || `${brand.name} – ${T[lang].helpCenter}` };
};

const sendHtml = (reply: FastifyReply, body: string, status = 200) =>
  reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(body);

const categories = async (ctx: Ctx) => (await ctx.db.kysely.selectFrom('kb_categories').selectAll().orderBy('position').orderBy('slug').execute()).map(toCategoryDto);

type Form = Record<string, string | undefined>;

export const helpCenterRoutes = async (app: FastifyInstance) => {
  acceptForms(app);
  const notFound = async (req: FastifyRequest, reply: FastifyReply, lang: Language) => sendHtml(reply, notFoundPage(await helpContext(req.ctx, lang)), 404);

  app.get('/help/assets/:name', { config: PUBLIC, schema: { hide: true } }, async (req, reply) => {
    const asset = ASSETS[(req.params as { name: string }).name];
    if (!asset) return reply.status(404).send();
    return reply.type(asset.type).header('cache-control', 'public, max-age=3600').send(asset.body);
  });

  app.get('/help', { config: PUBLIC, schema: { hide: true } }, async (req, reply) => {
    const settings = await getKbSettings(req.ctx.db.kysely);
    return reply.redirect(`/help/${negotiateLanguage((req.query as { lang?: string }).lang, req.headers['accept-language'], settings.defaultLanguage)}`, 302);
  });

  app.get('/help/sitemap.xml', { config: PUBLIC, schema: { hide: true } }, async (req, reply) => {
    const db = req.ctx.db.kysely;
    const articles = await db.selectFrom('kb_translations').innerJoin('kb_articles', 'kb_articles.id', 'kb_translations.article_id')
      .select(['kb_translations.article_id', 'kb_translations.language', 'kb_translations.slug', 'kb_translations.updated_at'])
      .where('kb_translations.status', '=', 'published').where('kb_articles.is_internal', '=', false).orderBy('kb_translations.article_id').execute();
    return reply.type('application/xml; charset=utf-8').send(sitemap(req.ctx.config.publicUrl, await categories(req.ctx),
      articles.map((a) => ({ articleId: a.article_id, language: a.language, slug: a.slug, updatedAt: a.updated_at }))));
  });

  app.get('/help/:lang', { config: PUBLIC, schema: { hide: true } }, async (req, reply) => {
    const { lang } = req.params as { lang: string };
    if (!isLanguage(lang)) return notFound(req, reply, 'en');
    const ctx = await helpContext(req.ctx, lang);
    const db = req.ctx.db.kysely;
    const all = await categories(req.ctx);
    const articles = await listPublicArticles(db, lang, ctx.defaultLanguage);
    const top = all.filter((c) => !c.parentId).map((c) => {
      const ids = new Set([c.id, ...all.filter((s) => s.parentId === c.id).map((s) => s.id)]);
      return { ...c, count: articles.filter((a) => a.categoryId && ids.has(a.categoryId)).length };
    });
    const since = new Date(req.ctx.clock.now().getTime() - 30 * 86400_000).toISOString();
    const views = await db.selectFrom('kb_events').select(['article_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('kind', '=', 'view').where('created_at', '>=', since).groupBy('article_id').orderBy('n', 'desc').limit(50).execute();
    const rank = new Map(views.map((v, i) => [v.article_id, i]));
    const popular = [...articles].sort((a, b) => (rank.get(a.articleId) ?? 1e9) - (rank.get(b.articleId) ?? 1e9) || a.position - b.position).slice(0, 6);
    return sendHtml(reply, homePage(ctx, top, popular));
  });

  app.get('/help/:lang/categories/:slug', { config: PUBLIC, schema: { hide: true } }, async (req, reply) => {
    const { lang, slug } = req.params as { lang: string; slug: string };
    if (!isLanguage(lang)) return notFound(req, reply, 'en');
    const ctx = await helpContext(req.ctx, lang);
    const all = await categories(req.ctx);
    const category = all.find((c) => c.slug === slug);
    if (!category) return notFound(req, reply, lang);
    const sections = all.filter((c) => c.parentId === category.id);
    const articles = await listPublicArticles(req.ctx.db.kysely, lang, ctx.defaultLanguage, { categoryIds: [category.id, ...sections.map((s) => s.id)] });
    return sendHtml(reply, categoryPage(ctx, category, all.find((c) => c.id === category.parentId) ?? null,
      sections.map((section) => ({ section, articles: articles.filter((a) => a.categoryId === section.id) })),
      articles.filter((a) => a.categoryId === category.id)));
  });

  app.get('/help/:lang/search', { config: { ...PUBLIC, rateLimit: perIp(60) }, schema: { hide: true } }, async (req, reply) => {
    const { lang } = req.params as { lang: string };
    if (!isLanguage(lang)) return notFound(req, reply, 'en');
    const q = String((req.query as { q?: unknown }).q ?? '').trim().slice(0, 200);
    const ctx = await helpContext(req.ctx, lang);
    const languages = [...new Set([lang, ctx.defaultLanguage])];
    const r = q ? await searchArticles(req.ctx.db.kysely, req.ctx.db.engine, { q, languages, includeInternal: false, limit: 20, mode: 'search' }) : { hits: [], corrected: null };
    if (q) await recordSearch(req.ctx, { query: q, language: lang, source: 'help_center', resultCount: r.hits.length });
    return sendHtml(reply, searchPage(ctx, q, r.hits, r.corrected));
  });

  app.get('/help/:lang/articles/:slug', { config: PUBLIC, schema: { hide: true } }, async (req, reply) => {
    const { lang, slug } = req.params as { lang: string; slug: string };
    if (!isLanguage(lang)) return notFound(req, reply, 'en');
    const query = req.query as { ds?: string; feedback?: string };
    const ctx = { ...(await helpContext(req.ctx, lang)), timeZone: pickTimeZone(req.cookies?.[TZ_COOKIE]) };
    const db = req.ctx.db.kysely;
    const found = await findPublicArticleBySlug(db, lang, slug);
    if (!found) return notFound(req, reply, lang);
    const own = found.translations.find((t) => t.language === lang);
    // The article exists in this language under its own slug: send the reader there.
    if (own && own.slug !== slug) return reply.redirect(`/help/${lang}/articles/${encodeURIComponent(own.slug)}`, 301);
    const row = own ?? pickTranslation(found.translations, ctx.defaultLanguage, found.matchedLanguage)!;
    const shown = toPublicArticle(row, lang);
    const cats = await categories(req.ctx);
    const category = cats.find((c) => c.id === shown.categoryId) ?? null;
    const sessionId = typeof query.ds === 'string' && /^[0-9a-f-]{36}$/i.test(query.ds) ? query.ds : null;
    await recordEvent(req.ctx, { kind: 'view', articleId: shown.articleId, language: lang, source: sessionId ? 'webform' : 'help_center', sessionId });
    if (sessionId) await recordEvent(req.ctx, { kind: 'suggestion_click', articleId: shown.articleId, language: lang, source: 'webform', sessionId });
    let related = shown.categoryId ? (await listPublicArticles(db, lang, ctx.defaultLanguage, { categoryIds: [shown.categoryId] })).filter((a) => a.articleId !== shown.articleId) : [];
    if (related.length < 3) {
      const more = await searchArticles(db, req.ctx.db.engine, { q: shown.title, languages: [...new Set([lang, ctx.defaultLanguage])], includeInternal: false, limit: 6, mode: 'suggest' });
      const ids = more.hits.map((h) => h.articleId).filter((id) => id !== shown.articleId && !related.some((r) => r.articleId === id));
      related = [...related, ...(await listPublicArticles(db, lang, ctx.defaultLanguage, { articleIds: ids }))];
    }
    return sendHtml(reply, articlePage(ctx, {
      shown, category, related: related.slice(0, 5), voted: query.feedback === 'thanks', sessionId,
      translations: found.translations.map((t) => ({ language: t.language as Language, slug: t.slug })),
    }));
  });

  app.post('/help/:lang/articles/:slug/feedback', { config: { ...PUBLIC, rateLimit: perIp(20) }, schema: { hide: true } }, async (req, reply) => {
    const { lang, slug } = req.params as { lang: string; slug: string };
    if (!isLanguage(lang)) return notFound(req, reply, 'en');
    const form = (req.body ?? {}) as Form;
    const found = await findPublicArticleBySlug(req.ctx.db.kysely, lang, slug);
    if (!found || (form.helpful !== 'yes' && form.helpful !== 'no')) return notFound(req, reply, lang);
    const ds = form.ds && /^[0-9a-f-]{36}$/i.test(form.ds) ? form.ds : null;
    await recordEvent(req.ctx, { kind: form.helpful === 'yes' ? 'helpful_yes' : 'helpful_no', articleId: found.articleId, language: lang, source: 'help_center', sessionId: ds, comment: form.comment ?? null });
    return reply.redirect(`/help/${lang}/articles/${encodeURIComponent(slug)}?feedback=thanks#feedback`, 303);
  });
};
