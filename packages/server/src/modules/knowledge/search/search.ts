import { sql } from 'kysely';
import type { Language } from '@careline/shared';
import type { Tx } from '../../../db/connection.ts';
import type { Engine } from '../../../db/dialect.ts';
import type { EngineHit, SearchEngine, SearchFilter } from './engine.ts';
import { prefixEnd } from './engine.ts';
import { sqliteSearch } from './search.sqlite.ts';
import { postgresSearch } from './search.postgres.ts';
import { buildIndexDoc, highlight, highlightTitle, parseQuery, type QueryTerm } from './text.ts';

// The one search interface of the knowledge base, the same on both engines.

export const searchEngine = (engine: Engine): SearchEngine => (engine === 'postgres' ? postgresSearch : sqliteSearch);

/** The integer key of a new index entry: a sequence on PostgreSQL; on SQLite (one writer) the next after the largest. */
export const nextDocId = async (tx: Tx, engine: Engine) => {
  const r = engine === 'postgres'
    ? await sql<{ id: number | string }>`select nextval('counter_kb_doc') as id`.execute(tx)
    : await sql<{ id: number | string }>`select coalesce(max(doc_id), 0) + 1 as id from kb_translations`.execute(tx);
  return Number(r.rows[0]!.id);
};

export type DocSource = { title: string; tags: string[]; bodyText: string; language: Language; status: string; isInternal: boolean };

const distinctTerms = (d: DocSource) => {
  const doc = buildIndexDoc(d);
  return [...new Set(`${doc.title} ${doc.tags} ${doc.body}`.split(' ').filter(Boolean))];
};

/** Brings the index (and the vocabulary) from `before` to `after` for one translation. */
export const reindex = async (tx: Tx, engine: Engine, docId: number, before: DocSource | null, after: DocSource | null) => {
  const e = searchEngine(engine);
  const old = before ? distinctTerms(before) : [];
  const next = after ? distinctTerms(after) : [];
  const oldSet = new Set(old); const nextSet = new Set(next);
  await e.countTerms(tx, old.filter((t) => !nextSet.has(t)), -1);
  await e.countTerms(tx, next.filter((t) => !oldSet.has(t)), 1);
  if (after) await e.indexDoc(tx, docId, buildIndexDoc(after));
  else await e.removeDoc(tx, docId);
};

export type SearchHit = {
  translationId: string; articleId: string; language: Language; slug: string; title: string; titleHtml: string;
  snippet: string; isInternal: boolean; status: string; score: number; categoryId: string | null;
};
export type SearchOptions = {
  q: string;
  /** Languages to search, preferred first; a translation in a later language is kept only when the article has none in an earlier one. */
  languages: Language[] | null;
  status?: string | null;
  includeInternal: boolean;
  limit: number;
  /** 'search' needs every word (then typo correction for short queries); 'suggest' ranks by any word (free text). */
  mode: 'search' | 'suggest';
};
export type SearchResult = { hits: SearchHit[]; corrected: string | null; terms: QueryTerm[] };

const SHORT_QUERY_TERMS = 3;
const SUGGEST_TERMS = 6;
const SUGGEST_POSTINGS = 3000;

/**
 * Looks a query word up in the vocabulary: how many indexed translations contain it (any alternative,
 * prefixes included) and, when a prefix stands for only a few indexed terms, those exact terms instead
 * (exact terms read one index entry each; a prefix merges every term under it at query time).
 */
const EXPAND_UP_TO = 8;
type LookedUp = { terms: { df: number; term: QueryTerm }[]; maxDocId: number };
const lookUpAll = async (db: Tx, terms: QueryTerm[]): Promise<LookedUp> => {
  const alts = [...new Map(terms.flatMap((t) => t.alternatives).map((a) => [`${a.term}|${a.prefix}`, a])).values()];
  const exact = alts.filter((a) => !a.prefix).map((a) => a.term);
  const prefixes = alts.filter((a) => a.prefix).map((a) => a.term);
  // One round trip: exact terms, for each prefix its most frequent indexed terms (one more than we expand to)
  // with the total count of all its terms, and the largest doc id (how far the index reaches).
  const parts = [
    sql`select * from (select '#' as k, '' as term, coalesce(max(doc_id), 0) as df, 0 as total from kb_translations) m`,
    ...(exact.length ? [sql`select * from (select '=' as k, term, df, 0 as total from kb_terms where term in (${sql.join(exact)})) e`] : []),
    // The window sum runs over every term of the prefix before the limit keeps the most frequent.
    ...prefixes.map((p, i) => sql`select * from (select ${p} as k, term, df, sum(df) over () as total from kb_terms
      where term >= ${p} and term < ${prefixEnd(p)} and df > 0 order by df desc limit ${EXPAND_UP_TO + 1}) ${sql.raw(`p${i}`)}`),
  ];
  const rows = (await sql<{ k: string; term: string; df: number | string; total: number | string }>`${sql.join(parts, sql` union all `)}`.execute(db)).rows;
  const maxDocId = Number(rows.find((r) => r.k === '#')?.df ?? 0);
  const byExact = new Map(rows.filter((r) => r.k === '=').map((r) => [r.term, Number(r.df)]));
  const byPrefix = new Map<string, { term: string; df: number }[]>();
  const totals = new Map<string, number>();
  for (const r of rows) {
    if (r.k === '=' || r.k === '#') continue;
    totals.set(r.k, Number(r.total));
    byPrefix.set(r.k, [...(byPrefix.get(r.k) ?? []), { term: r.term, df: Number(r.df) }]);
  }
  return { maxDocId, terms: terms.map((t) => {
    let df = 0;
    const alternatives: QueryTerm['alternatives'] = [];
    for (const a of t.alternatives) {
      if (!a.prefix) { df += byExact.get(a.term) ?? 0; alternatives.push(a); continue; }
      const found = byPrefix.get(a.term) ?? [];
      if (found.length <= EXPAND_UP_TO) { df += found.reduce((n, r) => n + r.df, 0); alternatives.push(...found.map((r) => ({ term: r.term, prefix: false }))); }
      else { df += totals.get(a.term) ?? 0; alternatives.push(a); }
    }
    const unique = [...new Map(alternatives.map((a) => [`${a.term}${a.prefix}`, a])).values()];
    return { df, term: { word: t.word, alternatives: unique.length ? unique : t.alternatives } };
  }) };
};

export const searchArticles = async (db: Tx, engine: Engine, o: SearchOptions): Promise<SearchResult> => {
  const e = searchEngine(engine);
  const langs = o.languages ?? ['en', 'vi', 'pl'];
  let terms = parseQuery(o.q, langs);
  if (!terms.length) return { hits: [], corrected: null, terms };
  const filter: SearchFilter = { languages: o.languages, status: o.status === undefined ? 'published' : o.status, includeInternal: o.includeInternal };
  // Over-fetch so that dropping fallback-language duplicates still fills the page.
  const fetch = o.languages && o.languages.length > 1 ? o.limit * 3 : o.limit;
  let corrected: string | null = null;
  let raw: EngineHit[];
  const { terms: looked, maxDocId } = await lookUpAll(db, terms);
  if (o.mode === 'suggest') {
    // Free text: the rarest words carry the meaning (and keep the candidate set small).
    // Words in thousands of articles say little about which fit best and cost the most to match: take the
    // rarest words while their document counts stay within SUGGEST_POSTINGS (always the rarest one).
    let budget = SUGGEST_POSTINGS;
    const rare = looked.map((x, i) => ({ ...x, original: terms[i]! })).filter((x) => x.df > 0).sort((a, b) => a.df - b.df).slice(0, SUGGEST_TERMS)
      .filter((x, i) => { budget -= x.df; return i === 0 || budget >= 0; });
    if (!rare.length) return { hits: [], corrected: null, terms };
    terms = rare.map((x) => x.original);
    const estimate = rare.reduce((n, x) => n + x.df, 0);
    raw = await e.query(db, rare.map((x) => x.term), filter, { mode: 'any', limit: fetch, broad: estimate > e.broadAbove, estimate, dfs: rare.map((x) => x.df), maxDocId });
  } else {
    const dfs = looked.map((x) => x.df);
    raw = dfs.some((d) => d === 0) ? [] : await e.query(db, looked.map((x) => x.term), filter, { mode: 'all', limit: fetch, broad: Math.min(...dfs) > e.broadAbove, estimate: Math.min(...dfs), dfs, maxDocId });
    if (!raw.length && terms.length <= SHORT_QUERY_TERMS) {
      const fixed = await correctTerms(db, e, terms, dfs);
      if (fixed) {
        const fixedDfs = (await lookUpAll(db, fixed)).terms.map((x) => x.df);
        raw = await e.query(db, fixed, filter, { mode: 'all', limit: fetch, broad: Math.min(...fixedDfs) > e.broadAbove, estimate: Math.min(...fixedDfs), dfs: fixedDfs, maxDocId });
        if (raw.length) { terms = fixed; corrected = fixed.map((t) => t.alternatives[0]!.term).join(' '); }
      }
    }
    if (!raw.length && terms.length > SHORT_QUERY_TERMS) {
      const estimate = dfs.reduce((a, b) => a + b, 0);
      const found = looked.filter((x) => x.df > 0);
      raw = await e.query(db, found.map((x) => x.term), filter, { mode: 'any', limit: fetch, broad: estimate > e.broadAbove, estimate, dfs: found.map((x) => x.df), maxDocId });
    }
  }
  if (!raw.length) return { hits: [], corrected: null, terms };

  const rows = await db.selectFrom('kb_translations').innerJoin('kb_articles', 'kb_articles.id', 'kb_translations.article_id')
    .select(['kb_translations.id', 'kb_translations.article_id', 'kb_translations.language', 'kb_translations.slug', 'kb_translations.title',
      'kb_translations.body_text', 'kb_translations.status', 'kb_translations.doc_id', 'kb_articles.is_internal', 'kb_articles.category_id'])
    .where('kb_translations.doc_id', 'in', raw.map((h) => h.docId)).execute();
  const byDoc = new Map(rows.map((r) => [Number(r.doc_id), r]));
  const rankOf = (lang: string) => { const i = langs.indexOf(lang as Language); return i < 0 ? langs.length : i; };
  const best = new Map<string, { row: (typeof rows)[number]; score: number; order: number }>();
  raw.forEach((h, order) => {
    const row = byDoc.get(h.docId);
    if (!row) return;
    const seen = best.get(row.article_id);
    if (!seen || rankOf(row.language) < rankOf(seen.row.language)) best.set(row.article_id, { row, score: seen ? Math.max(seen.score, h.score) : h.score, order: seen ? seen.order : order });
  });
  // A preferred-language version may exist without matching (the query was in the fallback language); keep one per article.
  const hits = [...best.values()].sort((a, b) => a.order - b.order).slice(0, o.limit).map(({ row, score }) => ({
    translationId: row.id, articleId: row.article_id, language: row.language as Language, slug: row.slug, title: row.title,
    titleHtml: highlightTitle(row.title, terms, row.language as Language), snippet: highlight(row.body_text, terms, row.language as Language),
    isInternal: row.is_internal, status: row.status, score, categoryId: row.category_id,
  }));
  return { hits, corrected, terms };
};

/**
 * Each word that is in no indexed term (not even as a prefix: its document count `dfs[i]`, from the vocabulary
 * look-up already made) gets its closest vocabulary terms as alternatives.
 */
const correctTerms = async (db: Tx, e: SearchEngine, terms: QueryTerm[], dfs: number[]): Promise<QueryTerm[] | null> => {
  let changed = false;
  const out: QueryTerm[] = [];
  for (const [i, t] of terms.entries()) {
    if (dfs[i]! > 0) { out.push(t); continue; }
    const candidates: Awaited<ReturnType<SearchEngine['similarTerms']>> = [];
    for (const a of t.alternatives.filter((x) => x.term.length >= 3)) candidates.push(...(await e.similarTerms(db, a.term, 3)));
    candidates.sort((a, b) => b.similarity - a.similarity || b.df - a.df);
    if (!candidates.length) { out.push(t); continue; }
    const top = candidates[0]!.similarity;
    const chosen = [...new Set(candidates.filter((c) => c.similarity >= top - 0.25).map((c) => c.term))].slice(0, 3);
    out.push({ word: t.word, alternatives: chosen.map((term) => ({ term, prefix: false })) });
    changed = true;
  }
  return changed ? out : null;
};
