import type { ArticleStatus, Language, TKbArticle, TKbCategory, TKbRevision, TKbTranslation } from '@careline/shared';
import type { Tx } from '../../db/connection.ts';
import type { DB } from '../../db/schema.ts';
import { fromJson } from '../../db/dialect.ts';

// All SQL for reading the knowledge base's tables, and the row → DTO mapping.

export const articleUrl = (publicUrl: string, lang: string, slug: string) => `${publicUrl}/help/${lang}/articles/${encodeURIComponent(slug)}`;

export const toCategoryDto = (c: DB['kb_categories']): TKbCategory => ({
  id: c.id, parentId: c.parent_id, slug: c.slug, position: Number(c.position), names: fromJson(c.names, {}), descriptions: fromJson(c.descriptions, {}),
  createdAt: c.created_at, updatedAt: c.updated_at,
});

export const toTranslationDto = (t: DB['kb_translations'], isInternal: boolean, publicUrl: string): TKbTranslation => ({
  id: t.id, language: t.language as Language, slug: t.slug, title: t.title, bodyHtml: t.body_html, status: t.status as ArticleStatus,
  version: Number(t.version), publishedAt: t.published_at, updatedById: t.updated_by_id, updatedAt: t.updated_at,
  url: isInternal ? null : articleUrl(publicUrl, t.language, t.slug),
});

export const toRevisionDto = (r: DB['kb_revisions']): TKbRevision => ({
  id: r.id, articleId: r.article_id, language: r.language as Language, version: Number(r.version), title: r.title, slug: r.slug,
  bodyHtml: r.body_html, status: r.status as ArticleStatus, action: r.action, note: r.note, authorId: r.author_id, createdAt: r.created_at,
});

/** Articles by id, in the given order, with their tags and translations. */
export const loadArticles = async (db: Tx, ids: string[], publicUrl: string): Promise<TKbArticle[]> => {
  if (!ids.length) return [];
  const rows = await db.selectFrom('kb_articles').selectAll().where('id', 'in', ids).execute();
  const tags = await db.selectFrom('kb_article_tags').selectAll().where('article_id', 'in', ids).orderBy('tag').execute();
  const translations = await db.selectFrom('kb_translations').selectAll().where('article_id', 'in', ids).orderBy('language').execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const a = byId.get(id);
    if (!a) return [];
    return [{
      id: a.id, categoryId: a.category_id, isInternal: a.is_internal, position: Number(a.position), defaultLanguage: a.default_language as Language,
      tags: tags.filter((t) => t.article_id === id).map((t) => t.tag), authorId: a.author_id, createdAt: a.created_at, updatedAt: a.updated_at,
      translations: translations.filter((t) => t.article_id === id).map((t) => toTranslationDto(t, a.is_internal, publicUrl)),
    }];
  });
};

export const tagsOf = async (db: Tx, articleId: string) =>
  (await db.selectFrom('kb_article_tags').select('tag').where('article_id', '=', articleId).orderBy('tag').execute()).map((r) => r.tag);

/** Published, public translations for the help center: one language, or the article's fallback. */
export type PublicArticle = {
  articleId: string; translationId: string; language: Language; slug: string; title: string; bodyHtml: string; bodyText: string;
  categoryId: string | null; position: number; updatedAt: string; isFallback: boolean;
};

const publicSelect = (db: Tx) => db.selectFrom('kb_translations').innerJoin('kb_articles', 'kb_articles.id', 'kb_translations.article_id')
  .select(['kb_translations.id', 'kb_translations.article_id', 'kb_translations.language', 'kb_translations.slug', 'kb_translations.title',
    'kb_translations.body_html', 'kb_translations.body_text', 'kb_translations.updated_at', 'kb_articles.category_id', 'kb_articles.position'])
  .where('kb_translations.status', '=', 'published').where('kb_articles.is_internal', '=', false);

type PublicRow = Awaited<ReturnType<ReturnType<typeof publicSelect>['execute']>>[number];
const toPublic = (r: PublicRow, lang: Language): PublicArticle => ({
  articleId: r.article_id, translationId: r.id, language: r.language as Language, slug: r.slug, title: r.title, bodyHtml: r.body_html,
  bodyText: r.body_text, categoryId: r.category_id, position: Number(r.position), updatedAt: r.updated_at, isFallback: r.language !== lang,
});

/** Public articles in `lang`, with the default-language version standing in for missing translations. */
export const listPublicArticles = async (db: Tx, lang: Language, fallback: Language, where: { categoryIds?: string[]; articleIds?: string[] } = {}) => {
  let q = publicSelect(db).where('kb_translations.language', 'in', [...new Set([lang, fallback])]);
  if (where.categoryIds) { if (!where.categoryIds.length) return []; q = q.where('kb_articles.category_id', 'in', where.categoryIds); }
  if (where.articleIds) { if (!where.articleIds.length) return []; q = q.where('kb_articles.id', 'in', where.articleIds); }
  const rows = await q.orderBy('kb_articles.position').orderBy('kb_translations.title').execute();
  const chosen = new Map<string, PublicRow>();
  for (const r of rows) if (!chosen.has(r.article_id) || r.language === lang) chosen.set(r.article_id, r);
  return [...chosen.values()].sort((a, b) => Number(a.position) - Number(b.position) || a.title.localeCompare(b.title)).map((r) => toPublic(r, lang));
};

/** A public article by its slug in any language, and all its published public translations (for hreflang and the switcher). */
export const findPublicArticleBySlug = async (db: Tx, lang: Language, slug: string) => {
  const hits = await publicSelect(db).where('kb_translations.slug', '=', slug).execute();
  const hit = hits.find((h) => h.language === lang) ?? hits[0];
  if (!hit) return null;
  const siblings = await publicSelect(db).where('kb_translations.article_id', '=', hit.article_id).execute();
  return { articleId: hit.article_id, matchedLanguage: hit.language as Language, translations: siblings };
};

export const pickTranslation = <T extends { language: string }>(translations: T[], lang: Language, fallback: Language) =>
  translations.find((t) => t.language === lang) ?? translations.find((t) => t.language === fallback) ?? translations[0] ?? null;

export const toPublicArticle = toPublic;
