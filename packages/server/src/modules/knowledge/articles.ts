import type { ArticleStatus, Language, TKbArticle } from '@careline/shared';
import type { Ctx } from '../../platform/context.ts';
import type { Write, Tx } from '../../db/connection.ts';
import type { DB } from '../../db/schema.ts';
import { AppError, notFound } from '../../platform/errors/app-error.ts';
import { newId } from '../../platform/ids.ts';
import { audit } from '../../platform/audit.ts';
import { stripUndefined } from '../../platform/objects.ts';
import { decodeCursor, encodeCursor } from '../../platform/http/cursor.ts';
import { loadArticles, tagsOf, toRevisionDto } from './knowledge.repo.ts';
import { slugify } from '@careline/shared';
import { htmlToText, sanitizeArticleHtml } from './sanitize.ts';
import { nextDocId, reindex, searchArticles, type DocSource } from './search/search.ts';

// Articles (one per topic) and their translations (one per language, each with its own slug,
// status and revision history). Every change re-indexes the affected translations in the same transaction.

const userId = (ctx: Ctx) => (ctx.actor.type === 'user' ? ctx.actor.user.id : null);

export type TranslationInput = { title: string; slug?: string; bodyHtml: string; status?: ArticleStatus; note?: string };

const docSource = (t: Pick<DB['kb_translations'], 'title' | 'body_text' | 'language' | 'status'>, tags: string[], isInternal: boolean): DocSource => ({
  title: t.title, bodyText: t.body_text, language: t.language as Language, status: t.status, isInternal, tags,
});

const uniqueSlug = async (tx: Tx, lang: string, wanted: string | undefined, title: string, exceptId: string | null) => {
  const taken = async (slug: string) => {
    let q = tx.selectFrom('kb_translations').select('id').where('language', '=', lang).where('slug', '=', slug);
    if (exceptId) q = q.where('id', '<>', exceptId);
    return !!(await q.executeTakeFirst());
  };
  if (wanted) {
    if (await taken(wanted)) throw new AppError('CONFLICT', { userMessage: `Another ${lang} article already uses the address "${wanted}".` });
    return wanted;
  }
  const base = slugify(title) || 'article';
  for (let i = 1; ; i++) {
    const slug = i === 1 ? base : `${base}-${i}`;
    if (!(await taken(slug))) return slug;
  }
};

/** Creates or updates one translation inside the caller's transaction, with a revision and the index updated. */
const writeTranslation = async (w: Write, ctx: Ctx, article: DB['kb_articles'], lang: Language, input: Partial<TranslationInput>, action: string) => {
  const now = ctx.clock.iso();
  const tags = await tagsOf(w.tx, article.id);
  const before = await w.tx.selectFrom('kb_translations').selectAll().where('article_id', '=', article.id).where('language', '=', lang).executeTakeFirst();
  const title = input.title ?? before?.title;
  const bodyHtml = input.bodyHtml !== undefined ? sanitizeArticleHtml(input.bodyHtml) : before?.body_html;
  if (title === undefined || bodyHtml === undefined) {
    throw new AppError('VALIDATION_FAILED', { userMessage: 'A new translation needs a title and a body.', fields: [{ field: 'body.bodyHtml', message: 'required' }] });
  }
  const status = input.status ?? (before?.status as ArticleStatus | undefined) ?? 'draft';
  const slug = input.slug || !before ? await uniqueSlug(w.tx, lang, input.slug, title, before?.id ?? null) : before.slug;
  const row: DB['kb_translations'] = {
    id: before?.id ?? newId(), article_id: article.id, language: lang, slug, title, body_html: bodyHtml, body_text: htmlToText(bodyHtml), status,
    version: (before?.version ?? 0) + 1, doc_id: before ? Number(before.doc_id) : await nextDocId(w.tx, ctx.db.engine),
    created_by_id: before?.created_by_id ?? userId(ctx), updated_by_id: userId(ctx),
    published_at: status === 'published' ? (before?.status === 'published' ? before.published_at : now) : before?.published_at ?? null,
    created_at: before?.created_at ?? now, updated_at: now,
  };
  if (before) {
    const { id, article_id, created_at, doc_id, ...set } = row;
    await w.tx.updateTable('kb_translations').set(set).where('id', '=', before.id).execute();
  } else await w.tx.insertInto('kb_translations').values(row).execute();
  await w.tx.insertInto('kb_revisions').values({
    id: newId(), article_id: article.id, language: lang, version: row.version, title, slug, body_html: bodyHtml, status, action,
    note: input.note ?? null, author_id: userId(ctx), created_at: now,
  }).execute();
  await w.tx.updateTable('kb_articles').set({ updated_at: now }).where('id', '=', article.id).execute();
  await reindex(w.tx, ctx.db.engine, row.doc_id, before ? docSource(before, tags, article.is_internal) : null, docSource(row, tags, article.is_internal));
  await audit(w, ctx.actor, now, {
    entity: 'kb_article', entityId: article.id, action: `translation_${action}`,
    before: before ? { language: lang, title: before.title, status: before.status, version: before.version } : undefined,
    after: { language: lang, title, status, version: row.version },
  });
  return row;
};

export type CreateArticleInput = {
  categoryId: string | null; isInternal: boolean; tags: string[]; position: number; defaultLanguage: Language;
  translation: TranslationInput & { language: Language };
};

const assertCategory = async (tx: Tx, id: string | null | undefined) => {
  if (id && !(await tx.selectFrom('kb_categories').select('id').where('id', '=', id).executeTakeFirst())) {
    throw new AppError('VALIDATION_FAILED', { userMessage: 'Unknown category', fields: [{ field: 'body.categoryId', message: 'unknown category' }] });
  }
};

/** Inside the caller's transaction (the demo seed creates many at once). */
export const insertArticle = async (w: Write, ctx: Ctx, input: CreateArticleInput) => {
  await assertCategory(w.tx, input.categoryId);
  const now = ctx.clock.iso();
  const article: DB['kb_articles'] = {
    id: newId(), category_id: input.categoryId, is_internal: input.isInternal, position: input.position, default_language: input.defaultLanguage,
    author_id: userId(ctx), created_at: now, updated_at: now,
  };
  await w.tx.insertInto('kb_articles').values(article).execute();
  const tags = [...new Set(input.tags)];
  if (tags.length) await w.tx.insertInto('kb_article_tags').values(tags.map((tag) => ({ article_id: article.id, tag }))).execute();
  await audit(w, ctx.actor, now, { entity: 'kb_article', entityId: article.id, action: 'created', after: { categoryId: input.categoryId, isInternal: input.isInternal, tags } });
  await writeTranslation(w, ctx, article, input.translation.language, input.translation, 'created');
  return article;
};

export const createArticle = async (ctx: Ctx, input: CreateArticleInput) => {
  const article = await ctx.db.transaction((w) => insertArticle(w, ctx, input));
  return getArticle(ctx, article.id);
};

export const getArticle = async (ctx: Ctx, id: string): Promise<TKbArticle> => {
  const [a] = await loadArticles(ctx.db.kysely, [id], ctx.config.publicUrl);
  if (!a) throw notFound('Article');
  return a;
};

const articleRow = async (tx: Tx, id: string) => {
  const a = await tx.selectFrom('kb_articles').selectAll().where('id', '=', id).executeTakeFirst();
  if (!a) throw notFound('Article');
  return a;
};

export const putTranslation = async (ctx: Ctx, id: string, lang: Language, input: Partial<TranslationInput>) => {
  await ctx.db.transaction(async (w) => {
    const article = await articleRow(w.tx, id);
    const exists = await w.tx.selectFrom('kb_translations').select('id').where('article_id', '=', id).where('language', '=', lang).executeTakeFirst();
    await writeTranslation(w, ctx, article, lang, input, exists ? (input.status && Object.keys(input).length === 1 ? 'status' : 'updated') : 'created');
  });
  return getArticle(ctx, id);
};

/** For callers already in a transaction (the demo seed). */
export const writeTranslationInTx = async (w: Write, ctx: Ctx, articleId: string, lang: Language, input: Partial<TranslationInput>) =>
  writeTranslation(w, ctx, await articleRow(w.tx, articleId), lang, input, 'created');

export const setTranslationStatus = async (ctx: Ctx, id: string, lang: Language, status: ArticleStatus) => {
  await ctx.db.transaction(async (w) => {
    const article = await articleRow(w.tx, id);
    if (!(await w.tx.selectFrom('kb_translations').select('id').where('article_id', '=', id).where('language', '=', lang).executeTakeFirst())) throw notFound('Translation');
    await writeTranslation(w, ctx, article, lang, { status }, 'status');
  });
  return getArticle(ctx, id);
};

export const deleteTranslation = async (ctx: Ctx, id: string, lang: Language) => {
  await ctx.db.transaction(async (w) => {
    const article = await articleRow(w.tx, id);
    const t = await w.tx.selectFrom('kb_translations').selectAll().where('article_id', '=', id).where('language', '=', lang).executeTakeFirst();
    if (!t) throw notFound('Translation');
    const count = await w.tx.selectFrom('kb_translations').select((eb) => eb.fn.countAll<number>().as('n')).where('article_id', '=', id).executeTakeFirstOrThrow();
    if (Number(count.n) <= 1) throw new AppError('CONFLICT', { userMessage: 'This is the only translation; delete the article instead.' });
    await reindex(w.tx, ctx.db.engine, Number(t.doc_id), docSource(t, await tagsOf(w.tx, id), article.is_internal), null);
    await w.tx.deleteFrom('kb_translations').where('id', '=', t.id).execute();
    await audit(w, ctx.actor, ctx.clock.iso(), { entity: 'kb_article', entityId: id, action: 'translation_deleted', before: { language: lang, title: t.title } });
  });
  return getArticle(ctx, id);
};

export type UpdateArticleInput = { categoryId?: string | null; isInternal?: boolean; tags?: string[]; position?: number; defaultLanguage?: Language };

export const updateArticle = async (ctx: Ctx, id: string, input: UpdateArticleInput) => {
  await ctx.db.transaction(async (w) => {
    const before = await articleRow(w.tx, id);
    await assertCategory(w.tx, input.categoryId);
    const oldTags = await tagsOf(w.tx, id);
    const now = ctx.clock.iso();
    const set = stripUndefined({ category_id: input.categoryId, is_internal: input.isInternal, position: input.position, default_language: input.defaultLanguage });
    await w.tx.updateTable('kb_articles').set({ ...set, updated_at: now }).where('id', '=', id).execute();
    const newTags = input.tags ? [...new Set(input.tags)] : oldTags;
    if (input.tags) {
      await w.tx.deleteFrom('kb_article_tags').where('article_id', '=', id).execute();
      if (newTags.length) await w.tx.insertInto('kb_article_tags').values(newTags.map((tag) => ({ article_id: id, tag }))).execute();
    }
    const isInternal = input.isInternal ?? before.is_internal;
    if (input.tags || isInternal !== before.is_internal) {
      const translations = await w.tx.selectFrom('kb_translations').selectAll().where('article_id', '=', id).execute();
      for (const t of translations) {
        await reindex(w.tx, ctx.db.engine, Number(t.doc_id), docSource(t, oldTags, before.is_internal), docSource(t, newTags, isInternal));
      }
    }
    await audit(w, ctx.actor, now, { entity: 'kb_article', entityId: id, action: 'updated', before: { ...before, tags: oldTags }, after: { ...set, tags: newTags } });
  });
  return getArticle(ctx, id);
};

export const deleteArticle = async (ctx: Ctx, id: string) => {
  await ctx.db.transaction(async (w) => {
    const article = await articleRow(w.tx, id);
    const tags = await tagsOf(w.tx, id);
    const translations = await w.tx.selectFrom('kb_translations').selectAll().where('article_id', '=', id).execute();
    for (const t of translations) await reindex(w.tx, ctx.db.engine, Number(t.doc_id), docSource(t, tags, article.is_internal), null);
    await w.tx.deleteFrom('kb_articles').where('id', '=', id).execute();
    await audit(w, ctx.actor, ctx.clock.iso(), { entity: 'kb_article', entityId: id, action: 'deleted', before: { titles: translations.map((t) => `${t.language}: ${t.title}`) } });
  });
};

export const listRevisions = async (ctx: Ctx, id: string, lang?: Language) => {
  await articleRow(ctx.db.kysely, id);
  let q = ctx.db.kysely.selectFrom('kb_revisions').selectAll().where('article_id', '=', id).orderBy('language').orderBy('version', 'desc');
  if (lang) q = q.where('language', '=', lang);
  return (await q.execute()).map(toRevisionDto);
};

/** Makes an old revision current again, as a new version (history is never rewritten). */
export const restoreRevision = async (ctx: Ctx, id: string, revisionId: string) => {
  await ctx.db.transaction(async (w) => {
    const article = await articleRow(w.tx, id);
    const rev = await w.tx.selectFrom('kb_revisions').selectAll().where('id', '=', revisionId).where('article_id', '=', id).executeTakeFirst();
    if (!rev) throw notFound('Revision');
    const current = await w.tx.selectFrom('kb_translations').select(['id', 'slug']).where('article_id', '=', id).where('language', '=', rev.language).executeTakeFirst();
    const slugFree = !(await w.tx.selectFrom('kb_translations').select('id').where('language', '=', rev.language).where('slug', '=', rev.slug)
      .where('article_id', '<>', id).executeTakeFirst());
    await writeTranslation(w, ctx, article, rev.language as Language, {
      title: rev.title, bodyHtml: rev.body_html, slug: slugFree ? rev.slug : current?.slug, note: `restored version ${rev.version}`,
    }, 'restored');
  });
  return getArticle(ctx, id);
};

export type ListArticlesQuery = { q?: string; lang?: Language; status?: ArticleStatus; categoryId?: string; isInternal?: boolean; cursor?: string; limit: number };

/** Agents' list: everything (drafts, archived, internal); with q, ranked by the search instead of by date. */
export const listArticles = async (ctx: Ctx, q: ListArticlesQuery) => {
  const db = ctx.db.kysely;
  if (q.q) {
    const r = await searchArticles(db, ctx.db.engine, { q: q.q, languages: q.lang ? [q.lang] : null, status: q.status ?? null, includeInternal: true, limit: q.limit, mode: 'search' });
    let ids = [...new Set(r.hits.map((h) => h.articleId))];
    if (q.categoryId || q.isInternal !== undefined) {
      const keep = new Set((await filtered(db, q).where('kb_articles.id', 'in', ids.length ? ids : ['00000000-0000-0000-0000-000000000000']).execute()).map((r) => r.id));
      ids = ids.filter((id) => keep.has(id));
    }
    return { items: await loadArticles(db, ids, ctx.config.publicUrl), nextCursor: null };
  }
  let query = filtered(db, q).orderBy('kb_articles.updated_at', 'desc').orderBy('kb_articles.id', 'desc').limit(q.limit + 1);
  const cursor = decodeCursor(q.cursor);
  if (cursor) query = query.where((eb) => eb.or([eb('kb_articles.updated_at', '<', cursor.t), eb.and([eb('kb_articles.updated_at', '=', cursor.t), eb('kb_articles.id', '<', cursor.id)])]));
  const rows = await query.execute();
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return { items: await loadArticles(db, page.map((r) => r.id), ctx.config.publicUrl), nextCursor: rows.length > q.limit && last ? encodeCursor(last.updated_at, last.id) : null };
};

const filtered = (db: Tx, q: ListArticlesQuery) => {
  let query = db.selectFrom('kb_articles').select(['kb_articles.id', 'kb_articles.updated_at']);
  if (q.categoryId) query = query.where('kb_articles.category_id', '=', q.categoryId);
  if (q.isInternal !== undefined) query = query.where('kb_articles.is_internal', '=', q.isInternal);
  if (q.lang || q.status) {
    query = query.where('kb_articles.id', 'in', (eb) => {
      let sub = eb.selectFrom('kb_translations').select('article_id');
      if (q.lang) sub = sub.where('language', '=', q.lang);
      if (q.status) sub = sub.where('status', '=', q.status);
      return sub;
    });
  }
  return query;
};
