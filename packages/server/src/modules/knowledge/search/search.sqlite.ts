import { sql } from 'kysely';
import { LANGUAGES } from '@careline/shared';
import type { Tx } from '../../../db/connection.ts';
import type { EngineHit, SearchEngine } from './engine.ts';
import { metaFilter } from './engine.ts';
import { trigramSimilarity, type QueryTerm } from './text.ts';

// SQLite: FTS5 tables (rowid = doc_id) ranked by BM25 with the title weighted 8×, tags 3×, body 1×.
// kb_fts holds every translation, with a `meta` column of filter tokens (language, status, visibility)
// that is matched but never ranked; kb_fts_public_<lang> hold only published public translations, so the
// help center's searches scan only what customers may see, in their language.
// Typo tolerance: an FTS5 trigram table over the vocabulary finds candidates, scored like pg_trgm.
const PUBLIC_TABLES = new Set<string>(LANGUAGES);
const publicTable = (lang: string) => sql.table(`kb_fts_public_${lang}`);

const textExpr = (terms: QueryTerm[], mode: 'all' | 'any') =>
  terms.map((t) => `(${t.alternatives.map((a) => `"${a.term}"${a.prefix ? ' *' : ''}`).join(' OR ')})`).join(mode === 'all' ? ' AND ' : ' OR ');

export const sqliteSearch: SearchEngine = {
  broadAbove: 1000,
  broadCandidates: 300,
  async indexDoc(tx, docId, doc) {
    await this.removeDoc(tx, docId);
    await sql`insert into kb_fts (rowid, title, tags, body, meta) values (${docId}, ${doc.title}, ${doc.tags}, ${doc.body}, ${doc.meta})`.execute(tx);
    if (doc.publicLanguage && PUBLIC_TABLES.has(doc.publicLanguage)) {
      await sql`insert into ${publicTable(doc.publicLanguage)} (rowid, title, tags, body) values (${docId}, ${doc.title}, ${doc.tags}, ${doc.body})`.execute(tx);
    }
  },
  async removeDoc(tx, docId) {
    await sql`delete from kb_fts where rowid = ${docId}`.execute(tx);
    for (const lang of LANGUAGES) await sql`delete from ${publicTable(lang)} where rowid = ${docId}`.execute(tx);
  },
  async query(db, terms, filter, { mode, limit, broad }) {
    if (!terms.length) return [];
    const text = textExpr(terms, mode);
    const isPublic = filter.status === 'published' && !filter.includeInternal && filter.languages?.every((l) => PUBLIC_TABLES.has(l));
    /** `name` is one of our fixed table names; `weights` the bm25 column weights. */
    const ranked = async (name: string, expr: string, weights: string) => {
      const table = sql.table(name);
      if (!broad) {
        return (await sql<{ doc_id: number; rank: number }>`select rowid as doc_id, rank from ${table}
          where ${table} match ${expr} and rank match ${`bm25(${weights})`} order by rank limit ${limit}`.execute(db)).rows;
      }
      // Broad query: rank only the newest matches in titles and anywhere (walking the index by rowid stops early).
      const titleExpr = `{title} : (${text})${expr === text ? '' : ` AND ${expr}`}`;
      const ids = new Set<number>();
      for (const e of [titleExpr, expr]) {
        const r = await sql<{ doc_id: number }>`select rowid as doc_id from ${table} where ${table} match ${e} order by rowid desc limit ${this.broadCandidates}`.execute(db);
        for (const row of r.rows) ids.add(Number(row.doc_id));
      }
      if (!ids.size) return [];
      // bm25() as a plain column, sorted here: with ORDER BY, SQLite would score every match, not just the candidates.
      // The rowid range lets FTS5 skip the matches outside the candidates' span (the IN list alone is a filter).
      const rows = (await sql<{ doc_id: number; rank: number }>`select rowid as doc_id, ${sql.raw(`bm25(${name}, ${weights})`)} as rank from ${table}
        where ${table} match ${expr} and rowid >= ${Math.min(...ids)} and rowid <= ${Math.max(...ids)} and +rowid in (${sql.join([...ids])})`.execute(db)).rows;
      return rows.sort((a, b) => Number(a.rank) - Number(b.rank)).slice(0, limit);
    };
    if (isPublic) {
      const hits: EngineHit[] = [];
      for (const lang of filter.languages!) hits.push(...(await ranked(`kb_fts_public_${lang}`, text, '8.0, 3.0, 1.0')).map((row) => ({ docId: Number(row.doc_id), score: -Number(row.rank) })));
      return hits.sort((a, b) => b.score - a.score).slice(0, limit);
    }
    const expr = [`{title tags body} : (${text})`, ...metaFilter(filter).map((m) => `meta : ${m}`)].join(' AND ');
    return (await ranked('kb_fts', expr, '8.0, 3.0, 1.0, 0.0')).map((row) => ({ docId: Number(row.doc_id), score: -Number(row.rank) }));
  },
  async similarTerms(db, term, limit) {
    const grams = [...new Set(Array.from({ length: Math.max(0, term.length - 2) }, (_, i) => term.slice(i, i + 3)))];
    if (!grams.length) return [];
    const r = await sql<{ term: string; df: number }>`select t.term, t.df from kb_terms_trgm g join kb_terms t on t.term = g.term
      where kb_terms_trgm match ${grams.map((g) => `"${g}"`).join(' OR ')} and t.df > 0 order by g.rank limit 300`.execute(db);
    return r.rows.map((row) => ({ term: row.term, df: Number(row.df), similarity: trigramSimilarity(term, row.term) }))
      .filter((x) => x.similarity >= 0.3 && x.term !== term)
      .sort((a, b) => b.similarity - a.similarity || b.df - a.df).slice(0, limit);
  },
  async countTerms(tx, terms, delta) {
    for (let i = 0; i < terms.length; i += 400) await countChunk(tx, terms.slice(i, i + 400), delta);
  },
};

const countChunk = async (tx: Tx, terms: string[], delta: 1 | -1) => {
  if (!terms.length) return;
  const list = sql.join(terms.map((t) => sql`${t}`));
  if (delta === -1) { await sql`update kb_terms set df = df - 1 where term in (${list}) and df > 0`.execute(tx); return; }
  const known = new Set((await sql<{ term: string }>`select term from kb_terms where term in (${list})`.execute(tx)).rows.map((r) => r.term));
  if (known.size) await sql`update kb_terms set df = df + 1 where term in (${sql.join([...known].map((t) => sql`${t}`))})`.execute(tx);
  const fresh = terms.filter((t) => !known.has(t));
  if (fresh.length) {
    await sql`insert into kb_terms (term, df) values ${sql.join(fresh.map((t) => sql`(${t}, 1)`))}`.execute(tx);
    await sql`insert into kb_terms_trgm (term) values ${sql.join(fresh.map((t) => sql`(${t})`))}`.execute(tx);
  }
};
