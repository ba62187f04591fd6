import type { Language, TKbCategory } from '@careline/shared';
import type { Brand } from '../settings.ts';
import type { PublicArticle } from '../knowledge.repo.ts';
import type { SearchHit } from '../search/search.ts';
import { T, LANGUAGE_NAMES } from './i18n.ts';
import { html, page, raw, timeTag, type Raw } from './html.ts';

// The help center's pages as functions of their data (no I/O here).

export type HelpContext = {
  lang: Language; brand: Brand; publicUrl: string; siteTitle: string; defaultLanguage: Language;
  /** The reader's time zone when known (html.ts timeTag). */
  timeZone?: string | null;
};

const articleHref = (lang: Language, a: { slug: string }) => `/help/${lang}/articles/${encodeURIComponent(a.slug)}`;
const categoryName = (c: TKbCategory, lang: Language, fallback: Language) => c.names[lang] || c.names[fallback] || Object.values(c.names)[0] || c.slug;
const categoryDescription = (c: TKbCategory, lang: Language, fallback: Language) => c.descriptions[lang] || c.descriptions[fallback] || '';
const langSwitcher = (path: (l: Language) => string) => (['en', 'vi', 'pl'] as const).map((l) => ({ lang: l, href: path(l) }));
const alternates = (publicUrl: string, path: (l: Language) => string) => (['en', 'vi', 'pl'] as const).map((l) => ({ lang: l, href: `${publicUrl}${path(l)}` }));

const searchForm = (ctx: HelpContext, q = '') => {
  const t = T[ctx.lang];
  return html`<form class="search" role="search" action="/help/${ctx.lang}/search" method="get">
  <label class="hp" for="q">${t.searchLabel}</label>
  <input type="search" id="q" name="q" value="${q}" placeholder="${t.searchPlaceholder}" maxlength="200" autocomplete="off">
  <button type="submit">${t.search}</button>
</form>`;
};

const articleList = (ctx: HelpContext, articles: { slug: string; title: string; isFallback?: boolean; language?: Language }[], extra?: (i: number) => Raw) => html`<ul class="list">${articles.map((a, i) => html`
  <li><a href="${articleHref(ctx.lang, a)}"${a.isFallback && a.language ? raw(` lang="${a.language}"`) : ''}>${a.title}</a>${a.isFallback && a.language ? html` <span class="muted">(${LANGUAGE_NAMES[a.language]})</span>` : ''}${extra ? extra(i) : ''}</li>`)}</ul>`;

const contactBlock = (ctx: HelpContext) => {
  const t = T[ctx.lang];
  return ctx.brand.contactPath ? html`<section class="card" aria-labelledby="need-help"><h2 id="need-help">${t.stillNeedHelp}</h2><p><a href="${ctx.brand.contactPath}?lang=${ctx.lang}">${t.contactLink}</a></p></section>` : '';
};

export const homePage = (ctx: HelpContext, categories: (TKbCategory & { count: number })[], popular: PublicArticle[]) => {
  const t = T[ctx.lang];
  const title = ctx.siteTitle;
  return page({
    lang: ctx.lang, brand: ctx.brand, title, description: t.howCanWeHelp, section: 'help',
    canonical: `${ctx.publicUrl}/help/${ctx.lang}`, alternates: alternates(ctx.publicUrl, (l) => `/help/${l}`), switcher: langSwitcher((l) => `/help/${l}`),
    body: html`<section class="hero"><h1>${t.howCanWeHelp}</h1>${searchForm(ctx)}</section>
<section aria-labelledby="cats"><h2 id="cats">${t.categories}</h2>
<ul class="grid">${categories.map((c) => html`<li class="card"><h3><a href="/help/${ctx.lang}/categories/${c.slug}">${categoryName(c, ctx.lang, ctx.defaultLanguage)}</a></h3>
<p>${categoryDescription(c, ctx.lang, ctx.defaultLanguage)}</p><p class="muted">${t.resultCount(c.count)}</p></li>`)}</ul></section>
${popular.length ? html`<section aria-labelledby="popular"><h2 id="popular">${t.popular}</h2>${articleList(ctx, popular)}</section>` : ''}
${contactBlock(ctx)}`,
  });
};

export const categoryPage = (ctx: HelpContext, category: TKbCategory, parent: TKbCategory | null, sections: { section: TKbCategory; articles: PublicArticle[] }[], articles: PublicArticle[]) => {
  const t = T[ctx.lang];
  const name = categoryName(category, ctx.lang, ctx.defaultLanguage);
  const path = (l: Language) => `/help/${l}/categories/${category.slug}`;
  return page({
    lang: ctx.lang, brand: ctx.brand, title: `${name} – ${ctx.siteTitle}`, description: categoryDescription(category, ctx.lang, ctx.defaultLanguage) || name, section: 'help',
    canonical: `${ctx.publicUrl}${path(ctx.lang)}`, alternates: alternates(ctx.publicUrl, path), switcher: langSwitcher(path),
    body: html`<nav class="crumbs" aria-label="${t.breadcrumb}"><ol><li><a href="/help/${ctx.lang}">${t.helpCenter}</a></li>
${parent ? html`<li><a href="/help/${ctx.lang}/categories/${parent.slug}">${categoryName(parent, ctx.lang, ctx.defaultLanguage)}</a></li>` : ''}<li aria-current="page">${name}</li></ol></nav>
<h1>${name}</h1><p class="muted">${categoryDescription(category, ctx.lang, ctx.defaultLanguage)}</p>
${searchForm(ctx)}
${articles.length ? articleList(ctx, articles) : ''}
${sections.map(({ section, articles: list }) => html`<section aria-labelledby="s-${section.slug}"><h2 id="s-${section.slug}"><a href="/help/${ctx.lang}/categories/${section.slug}">${categoryName(section, ctx.lang, ctx.defaultLanguage)}</a></h2>${list.length ? articleList(ctx, list) : html`<p class="muted">${t.noArticles}</p>`}</section>`)}
${!articles.length && !sections.length ? html`<p class="muted">${t.noArticles}</p>` : ''}
${contactBlock(ctx)}`,
  });
};

export type ArticleView = {
  shown: PublicArticle; translations: { language: Language; slug: string }[]; category: TKbCategory | null; related: PublicArticle[];
  voted: boolean; sessionId: string | null;
};

export const articlePage = (ctx: HelpContext, v: ArticleView) => {
  const t = T[ctx.lang];
  const a = v.shown;
  const isFallback = a.language !== ctx.lang;
  // Each language's URL is its own translation's slug; a language without one points to the fallback page under its prefix.
  const hrefIn = (l: Language) => { const tr = v.translations.find((x) => x.language === l); return articleHref(l, tr ?? a); };
  const canonicalPath = articleHref(a.language, a);
  const alt = v.translations.map((x) => ({ lang: x.language, href: `${ctx.publicUrl}${articleHref(x.language, x)}` }));
  return page({
    lang: ctx.lang, brand: ctx.brand, title: `${a.title} – ${ctx.siteTitle}`, description: a.bodyText.slice(0, 160), section: 'help', showsTimes: true,
    canonical: `${ctx.publicUrl}${canonicalPath}`, alternates: alt, switcher: langSwitcher(hrefIn),
    body: html`<nav class="crumbs" aria-label="${t.breadcrumb}"><ol><li><a href="/help/${ctx.lang}">${t.helpCenter}</a></li>
${v.category ? html`<li><a href="/help/${ctx.lang}/categories/${v.category.slug}">${categoryName(v.category, ctx.lang, ctx.defaultLanguage)}</a></li>` : ''}<li aria-current="page">${a.title}</li></ol></nav>
${isFallback ? html`<p class="notice" role="note">${t.notTranslatedFrom(LANGUAGE_NAMES[ctx.lang], LANGUAGE_NAMES[a.language])}</p>` : ''}
<article class="article"${isFallback ? raw(` lang="${a.language}"`) : ''}>
<h1>${a.title}</h1>
<p class="muted">${t.updated}: ${timeTag(a.updatedAt, ctx.lang, ctx.timeZone ?? null, 'date')}</p>
${raw(a.bodyHtml)}
</article>
<section class="feedback" id="feedback" aria-labelledby="fb-title">
${v.voted ? html`<p class="success" role="status">${t.thanksFeedback}</p>` : html`<form method="post" action="${articleHref(ctx.lang, a)}/feedback">
<fieldset><legend id="fb-title">${t.wasHelpful}</legend>
<label><input type="radio" name="helpful" value="yes" required> ${t.yes}</label>
<label><input type="radio" name="helpful" value="no"> ${t.no}</label></fieldset>
<div class="field"><label for="fb-comment">${t.commentOptional}</label><textarea id="fb-comment" name="comment" maxlength="2000" rows="3"></textarea></div>
${v.sessionId ? html`<input type="hidden" name="ds" value="${v.sessionId}">` : ''}
<button type="submit">${t.sendFeedback}</button></form>`}
</section>
${v.related.length ? html`<section aria-labelledby="related"><h2 id="related">${t.related}</h2>${articleList(ctx, v.related)}</section>` : ''}
${contactBlock(ctx)}`,
  });
};

export const searchPage = (ctx: HelpContext, q: string, hits: SearchHit[], corrected: string | null) => {
  const t = T[ctx.lang];
  const path = (l: Language) => `/help/${l}/search?q=${encodeURIComponent(q)}`;
  return page({
    lang: ctx.lang, brand: ctx.brand, title: `${q ? t.resultsFor(q) : t.search} – ${ctx.siteTitle}`, noindex: true, section: 'help', switcher: langSwitcher(path),
    body: html`<h1>${q ? t.resultsFor(q) : t.search}</h1>${searchForm(ctx, q)}
${corrected ? html`<p class="notice" role="status">${t.corrected(corrected)}</p>` : ''}
${q && !hits.length ? html`<div role="status"><p>${t.noResults}</p><p class="muted">${t.noResultsHint}</p></div>` : ''}
${hits.length ? html`<p class="muted" role="status">${t.resultCount(hits.length)}</p><ul class="list">${hits.map((h) => html`<li><a href="${articleHref(ctx.lang, h)}"${h.language !== ctx.lang ? raw(` lang="${h.language}"`) : ''}>${raw(h.titleHtml)}</a>${h.language !== ctx.lang ? html` <span class="muted">(${LANGUAGE_NAMES[h.language]})</span>` : ''}<p class="snippet">${raw(h.snippet)}</p></li>`)}</ul>` : ''}
${contactBlock(ctx)}`,
  });
};

export const notFoundPage = (ctx: HelpContext) => {
  const t = T[ctx.lang];
  return page({ lang: ctx.lang, brand: ctx.brand, title: `${t.notFound} – ${ctx.siteTitle}`, noindex: true, section: 'help',
    body: html`<h1>${t.notFound}</h1><p>${t.notFoundBody}</p>${searchForm(ctx)}` });
};

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** sitemap.xml with hreflang alternates (Google's xhtml:link form) for every translated article. */
export const sitemap = (publicUrl: string, categories: TKbCategory[], articles: { articleId: string; language: string; slug: string; updatedAt: string }[]) => {
  const langs = ['en', 'vi', 'pl'];
  const urls: string[] = [];
  const entry = (loc: string, alts: { lang: string; href: string }[], lastmod?: string) =>
    `  <url><loc>${xml(loc)}</loc>${lastmod ? `<lastmod>${lastmod.slice(0, 10)}</lastmod>` : ''}${alts.map((a) => `<xhtml:link rel="alternate" hreflang="${a.lang}" href="${xml(a.href)}"/>`).join('')}</url>`;
  const homeAlts = langs.map((l) => ({ lang: l, href: `${publicUrl}/help/${l}` }));
  for (const l of langs) urls.push(entry(`${publicUrl}/help/${l}`, homeAlts));
  for (const c of categories) {
    const alts = langs.map((l) => ({ lang: l, href: `${publicUrl}/help/${l}/categories/${c.slug}` }));
    for (const l of langs) urls.push(entry(`${publicUrl}/help/${l}/categories/${c.slug}`, alts));
  }
  const byArticle = new Map<string, typeof articles>();
  for (const a of articles) byArticle.set(a.articleId, [...(byArticle.get(a.articleId) ?? []), a]);
  for (const group of byArticle.values()) {
    const alts = group.map((a) => ({ lang: a.language, href: `${publicUrl}/help/${a.language}/articles/${encodeURIComponent(a.slug)}` }));
    for (const a of group) urls.push(entry(`${publicUrl}/help/${a.language}/articles/${encodeURIComponent(a.slug)}`, alts, a.updatedAt));
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n${urls.join('\n')}\n</urlset>\n`;
};
