import type { Language } from '@careline/shared';
import type { Ctx } from '../../platform/context.ts';
import type { Write } from '../../db/connection.ts';
import { newId } from '../../platform/ids.ts';
import { toJson } from '../../db/dialect.ts';
import { DEMO_ARTICLES, DEMO_CATEGORIES } from './demo-articles.ts';
import { insertArticle, writeTranslationInTx } from './articles.ts';

/**
 * Demo knowledge base: three categories and a handful of published articles (returns, warranty,
 * shipping, quality) in en, vi and pl, one only in English (shows the fallback notice) and one
 * internal article for agents. Call inside the demo seed's transaction; `webformInboxId` brands the help center.
 */
export const seedKnowledgeDemo = async (w: Write, ctx: Ctx, opts: { webformInboxId?: string } = {}) => {
  const now = ctx.clock.iso();
  const categories = new Map<string, string>();
  for (const c of DEMO_CATEGORIES) {
    const id = newId();
    categories.set(c.slug, id);
    await w.tx.insertInto('kb_categories').values({ id, parent_id: null, slug: c.slug, position: c.position, names: toJson(c.names), descriptions: toJson(c.descriptions), created_at: now, updated_at: now }).execute();
  }
  for (const [i, a] of DEMO_ARTICLES.entries()) {
    const [first, ...rest] = Object.entries(a.translations) as [Language, { title: string; body: string }][];
    const article = await insertArticle(w, ctx, {
      categoryId: categories.get(a.category) ?? null, isInternal: a.isInternal ?? false, tags: a.tags, position: i, defaultLanguage: 'en',
      translation: { language: first![0], title: first![1].title, bodyHtml: first![1].body, status: 'published' },
    });
    for (const [lang, t] of rest) await writeTranslationInTx(w, ctx, article.id, lang, { title: t.title, bodyHtml: t.body, status: 'published' });
  }
  if (opts.webformInboxId) {
    const value = toJson({ defaultLanguage: 'en', brandInboxId: opts.webformInboxId, title: { en: 'Lumen Home Help Center', vi: 'Trung tâm trợ giúp Lumen Home', pl: 'Centrum pomocy Lumen Home' } });
    await w.tx.insertInto('settings').values({ key: 'knowledge', value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
  }
  return { categories: categories.size, articles: DEMO_ARTICLES.length };
};
