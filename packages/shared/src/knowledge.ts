import { z } from 'zod';
import { LANGUAGES } from './enums.ts';
import { ZId, ZTimestamp } from './schemas.ts';

// Knowledge base contracts: articles (one per topic) with a translation per language, categories and
// sections, revisions, search, suggestions and deflection reporting.

export const ARTICLE_STATUSES = ['draft', 'published', 'archived'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

/** Where a customer saw suggestions or searched: the help center, the web form, the chat widget, the agent composer. */
export const KB_SOURCES = ['help_center', 'webform', 'widget', 'composer', 'api'] as const;
export type KbSource = (typeof KB_SOURCES)[number];

const lang = z.enum(LANGUAGES);
const slug = z.string().trim().toLowerCase().min(1).max(120).regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lowercase letters, digits and dashes');
const title = z.string().trim().min(1).max(200);
const tags = z.array(z.string().trim().toLowerCase().min(1).max(50)).max(30);
const localized = z.partialRecord(lang, z.string().max(500));

// ---- categories and sections (a section is a category with a parent)
export const ZKbCategory = z.object({
  id: ZId, parentId: ZId.nullable(), slug: z.string(), position: z.number().int(),
  names: localized, descriptions: localized, createdAt: ZTimestamp, updatedAt: ZTimestamp,
});
export type TKbCategory = z.infer<typeof ZKbCategory>;
export const ZCreateKbCategoryRequest = z.strictObject({
  parentId: ZId.nullable().default(null), slug, position: z.number().int().min(0).max(100000).default(0),
  names: localized.refine((n) => Object.values(n).some((v) => v?.trim()), 'give a name in at least one language'),
  descriptions: localized.default({}),
});
export const ZUpdateKbCategoryRequest = z.strictObject({
  parentId: ZId.nullable().optional(), slug: slug.optional(), position: z.number().int().min(0).max(100000).optional(),
  names: localized.optional(), descriptions: localized.optional(),
});

// ---- articles and translations
export const ZKbTranslation = z.object({
  id: ZId, language: lang, slug: z.string(), title: z.string(), bodyHtml: z.string(), status: z.enum(ARTICLE_STATUSES),
  version: z.number().int(), publishedAt: ZTimestamp.nullable(), updatedById: ZId.nullable(), updatedAt: ZTimestamp, url: z.string().nullable()
    .describe('public help-center URL (null for internal articles)'),
});
export type TKbTranslation = z.infer<typeof ZKbTranslation>;
export const ZKbArticle = z.object({
  id: ZId, categoryId: ZId.nullable(), isInternal: z.boolean(), position: z.number().int(), defaultLanguage: lang,
  tags: z.array(z.string()), authorId: ZId.nullable(), createdAt: ZTimestamp, updatedAt: ZTimestamp,
  translations: z.array(ZKbTranslation),
});
export type TKbArticle = z.infer<typeof ZKbArticle>;

export const ZKbTranslationInput = z.strictObject({
  title, slug: slug.optional().describe('default: made from the title'),
  bodyHtml: z.string().max(500_000).describe('rich text as HTML; sanitised on save (scripts, styles and event handlers removed)'),
  status: z.enum(ARTICLE_STATUSES).default('draft'),
});
export const ZCreateKbArticleRequest = z.strictObject({
  categoryId: ZId.nullable().default(null), isInternal: z.boolean().default(false), tags: tags.default([]),
  position: z.number().int().min(0).max(100000).default(0), defaultLanguage: lang.default('en'),
  translation: ZKbTranslationInput.extend({ language: lang }),
});
export const ZUpdateKbArticleRequest = z.strictObject({
  categoryId: ZId.nullable().optional(), isInternal: z.boolean().optional(), tags: tags.optional(),
  position: z.number().int().min(0).max(100000).optional(), defaultLanguage: lang.optional(),
});
export const ZPutKbTranslationRequest = z.strictObject({
  title: title.optional(), slug: slug.optional(), bodyHtml: z.string().max(500_000).optional(),
  status: z.enum(ARTICLE_STATUSES).optional(),
  note: z.string().max(500).optional().describe('what changed, kept with the revision'),
}).describe('a new translation needs title and bodyHtml; an existing one keeps what is not sent');
export const ZKbTranslationParams = z.strictObject({ id: ZId, lang });
export const ZSetKbStatusRequest = z.strictObject({ status: z.enum(ARTICLE_STATUSES) });

export const ZKbRevision = z.object({
  id: ZId, articleId: ZId, language: lang, version: z.number().int(), title: z.string(), slug: z.string(), bodyHtml: z.string(),
  status: z.enum(ARTICLE_STATUSES), action: z.string(), note: z.string().nullable(), authorId: ZId.nullable(), createdAt: ZTimestamp,
});
export type TKbRevision = z.infer<typeof ZKbRevision>;

export const ZListKbArticlesQuery = z.strictObject({
  q: z.string().max(200).optional(), lang: lang.optional(), status: z.enum(ARTICLE_STATUSES).optional(),
  categoryId: ZId.optional(), isInternal: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  cursor: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(100).default(25),
});

// ---- search and suggestions
export const ZKbSearchQuery = z.strictObject({
  q: z.string().trim().min(1).max(500), lang: lang.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});
export const ZKbSearchHit = z.object({
  articleId: ZId, translationId: ZId, language: lang, title: z.string(), slug: z.string(), url: z.string().nullable(), isInternal: z.boolean(),
  snippet: z.string().describe('HTML: escaped text with matches wrapped in <mark>'), score: z.number(),
});
export type TKbSearchHit = z.infer<typeof ZKbSearchHit>;
export const ZKbSearchResult = z.object({
  items: z.array(ZKbSearchHit), total: z.number().int(),
  corrected: z.string().nullable().describe('when nothing matched as typed: the query after typo correction'),
});

/** The public suggestion contract (chat widget, web form): exactly these fields. */
export const ZPublicSuggestQuery = z.strictObject({ q: z.string().trim().max(2000).default(''), lang: lang.default('en') });
export const ZPublicSuggestion = z.object({
  id: ZId.describe('article id'), title: z.string(), url: z.string().describe('absolute help-center URL'),
  snippet: z.string().describe('HTML: escaped text with matches wrapped in <mark>'),
});
export const ZPublicSuggestResponse = z.object({ items: z.array(ZPublicSuggestion) });
export type TPublicSuggestResponse = z.infer<typeof ZPublicSuggestResponse>;

/** Agent composer: includes internal articles; `url` null for internal ones (not linkable for customers). */
export const ZAgentSuggestQuery = z.strictObject({ q: z.string().trim().max(5000).default(''), lang: lang.optional(), limit: z.coerce.number().int().min(1).max(20).default(5) });
export const ZAgentSuggestion = z.object({
  id: ZId, translationId: ZId, language: lang, title: z.string(), url: z.string().nullable(), snippet: z.string(), isInternal: z.boolean(),
});
export const ZAgentSuggestResponse = z.object({ items: z.array(ZAgentSuggestion) });

// ---- deflection
export const DEFLECTION_EVENTS = ['shown', 'clicked', 'solved', 'submitted'] as const;
export const ZDeflectionEventRequest = z.strictObject({
  sessionId: ZId.optional().describe('from an earlier "shown" answer; omit on the first "shown"'),
  event: z.enum(DEFLECTION_EVENTS), lang, source: z.enum(['widget', 'webform', 'help_center']),
  articleIds: z.array(ZId).max(20).default([]).describe('"shown": the suggested articles; "clicked"/"solved": the article'),
  query: z.string().max(2000).default(''),
});
export const ZDeflectionEventResponse = z.object({ sessionId: ZId });

export const ZDeflectionReportQuery = z.strictObject({
  from: z.iso.date().optional().describe('default: 12 weeks ago'), to: z.iso.date().optional().describe('default: today (UTC)'),
  lang: lang.optional(),
});
export const ZDeflectionWeek = z.object({
  week: z.string().describe('Monday of the ISO week, YYYY-MM-DD (UTC)'),
  views: z.number().int(), helpfulYes: z.number().int(), helpfulNo: z.number().int(), searches: z.number().int(),
  searchesWithoutResults: z.number().int(), suggestionSessions: z.number().int(), contactsSubmitted: z.number().int(),
  contactsDeflected: z.number().int().describe('suggestions shown and no contact followed within an hour, or "this solved my problem"'),
  solvedClicks: z.number().int(),
});
export const ZDeflectionArticleRow = z.object({
  articleId: ZId, language: lang, title: z.string(), views: z.number().int(), helpfulYes: z.number().int(), helpfulNo: z.number().int(),
  suggested: z.number().int(), deflected: z.number().int(),
});
export const ZDeflectionReport = z.object({
  from: z.string(), to: z.string(), weeks: z.array(ZDeflectionWeek), articles: z.array(ZDeflectionArticleRow),
  topSearchesWithoutResults: z.array(z.object({ query: z.string(), language: z.string().nullable(), count: z.number().int(), lastAt: ZTimestamp })),
  feedback: z.array(z.object({ articleId: ZId, language: lang, isHelpful: z.boolean(), comment: z.string(), createdAt: ZTimestamp })),
});
export type TDeflectionReport = z.infer<typeof ZDeflectionReport>;

// ---- settings
export const ZKbSettings = z.object({
  defaultLanguage: lang, brandInboxId: ZId.nullable().describe('web-form inbox whose branding and contact form the help center uses'),
  title: localized,
});
export type TKbSettings = z.infer<typeof ZKbSettings>;
export const ZUpdateKbSettingsRequest = z.strictObject({
  defaultLanguage: lang.optional(), brandInboxId: ZId.nullable().optional(), title: localized.optional(),
});
