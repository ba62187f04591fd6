// Type-only imports from shared: a value import would pull zod into the bundle.
import type { ArticleStatus, Language, Role, TKbArticle, TKbCategory, TKbTranslation } from '@careline/shared';
import { toast } from '../../lib/data.ts';
import { LANGS, type T } from '../../lib/i18n.ts';

// Small helpers shared by the knowledge-base pages (list, editor, revisions, categories, report).

export const STATUSES: ArticleStatus[] = ['draft', 'published', 'archived'];

/**
 * What the API lets each role do (packages/server/src/modules/knowledge/knowledge.routes.ts): every signed-in user
 * reads, writes and publishes articles; categories, deleting and the report need a supervisor or an admin;
 * the help-center settings need an admin.
 */
export const permissions = (role: Role) => {
  const isManager = role === 'admin' || role === 'supervisor';
  return { canManageCategories: isManager, canDelete: isManager, canSeeReport: isManager, canEditSettings: role === 'admin' };
};

export const fail = (t: T) => (e: unknown) => toast(t('common.error', { detail: (e as Error).message }), 'error');

/** A localised name: the UI language, else English, else any language that has one. */
export const localized = (names: Partial<Record<Language, string>>, lang: Language) =>
  names[lang]?.trim() || names.en?.trim() || LANGS.map((l) => names[l]?.trim()).find(Boolean) || '';

/** "Orders › Returns" for a section, "Orders" for a category. */
export const categoryLabel = (categories: TKbCategory[], id: string | null, lang: Language) => {
  const c = id ? categories.find((x) => x.id === id) : null;
  if (!c) return null;
  const parent = c.parentId ? categories.find((x) => x.id === c.parentId) : null;
  return parent ? `${localized(parent.names, lang)} › ${localized(c.names, lang)}` : localized(c.names, lang);
};

/** Categories in display order with their sections right after them. */
export const categoryTree = (categories: TKbCategory[]) => {
  const byPos = (a: TKbCategory, b: TKbCategory) => a.position - b.position || a.slug.localeCompare(b.slug);
  return categories.filter((c) => !c.parentId).sort(byPos).map((c) => ({ category: c, sections: categories.filter((s) => s.parentId === c.id).sort(byPos) }));
};

/** The translation to show for an article: the agent's language, else the article's default, else the first one. */
export const preferredTranslation = (a: TKbArticle, lang: Language): TKbTranslation | undefined =>
  a.translations.find((x) => x.language === lang) ?? a.translations.find((x) => x.language === a.defaultLanguage) ?? a.translations[0];

/** The help-center path of a translation (the agent app and the help center are served by the same server). */
export const helpCenterHref = (tr: TKbTranslation) => {
  if (!tr.url) return null;
  try { return new URL(tr.url).pathname; } catch { return tr.url; }
};

// A space before every tag keeps words of adjacent paragraphs apart ("days.</p><p>Shades").
const words = (html: string) => htmlText(html.replace(/</g, ' <')).toLowerCase().split(/\s+/).filter(Boolean);

/** Plain text of HTML, parsed inertly (DOMParser runs no scripts and loads no images). */
export const htmlText = (html: string) => new DOMParser().parseFromString(html, 'text/html').body.textContent ?? '';

/** How many words were added and removed between two bodies (a multiset difference: cheap, and enough for "what changed"). */
export const wordDelta = (before: string, after: string) => {
  const count = new Map<string, number>();
  for (const w of words(before)) count.set(w, (count.get(w) ?? 0) + 1);
  let added = 0;
  for (const w of words(after)) {
    const n = count.get(w) ?? 0;
    if (n > 0) count.set(w, n - 1); else added++;
  }
  let removed = 0;
  for (const n of count.values()) removed += n;
  return { added, removed };
};

const DANGEROUS = 'script,style,iframe,object,embed,link,meta,base,form';

/**
 * Cleans HTML before it is put into the editor with innerHTML. The server sanitises what it stores; this only keeps
 * HTML typed into the source view (or pasted) from running in the agent's own page while they edit.
 */
export const cleanForEditor = (html: string) => {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  doc.querySelectorAll(DANGEROUS).forEach((n) => n.remove());
  doc.body.querySelectorAll('*').forEach((el) => {
    for (const attr of [...el.attributes]) {
      const v = attr.value.trim().toLowerCase();
      if (attr.name.startsWith('on') || attr.name === 'style' || ((attr.name === 'href' || attr.name === 'src') && v.startsWith('javascript:'))) el.removeAttribute(attr.name);
    }
  });
  return doc.body.innerHTML;
};

/** The same rules as the server's slug schema: lowercase letters, digits and single dashes. */
export const SLUG_PATTERN = '[a-z0-9]+(-[a-z0-9]+)*';

/** The slug the server makes from a title (shared rules), shown as the placeholder. */
export { slugify as slugFrom } from '../../../../shared/src/text-fold.ts';

export const parseTags = (s: string) => [...new Set(s.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean))];
