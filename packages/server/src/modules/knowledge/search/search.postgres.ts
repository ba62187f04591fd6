import { sql } from 'kysely';
import type { SearchEngine } from './engine.ts';
import { metaFilter } from './engine.ts';

// PostgreSQL: a tsvector column (GIN) built with the 'simple' configuration from the already folded,
// stemmed terms: title weight A, tags B, meta C (ranked 0), body D; ranked by ts_rank. Typo tolerance:
// pg_trgm similarity over the vocabulary (GIN trigram index).
const RANK_WEIGHTS = '{0.1, 0, 0.4, 1.0}';

const toTsquery = (expr: string) => expr.replace(/\bAND\b/g, '&').replace(/\bOR\b/g, '|');

export const postgresSearch: SearchEngine = {
  broadAbove: 300,
  broadCandidates: 150,
  async indexDoc(tx, docId, doc) {
    await sql`update kb_translations set search_vector =
      setweight(to_tsvector('simple', ${doc.title}), 'A') || setweight(to_tsvector('simple', ${doc.tags}), 'B') ||
      setweight(to_tsvector('simple', ${doc.meta}), 'C') || setweight(to_tsvector('simple', ${doc.body}), 'D')
      where doc_id = ${docId}`.execute(tx);
  },
  async removeDoc(tx, docId) {
    await sql`update kb_translations set search_vector = null where doc_id = ${docId}`.execute(tx);
  },
  async query(db, terms, filter, { mode, limit, broad }) {
    if (!terms.length) return [];
    const groups = terms.map((t) => `(${t.alternatives.map((a) => `${a.term}:${a.prefix ? '*' : ''}ABD`).join(' | ')})`);
    const match = [`(${groups.join(mode === 'all' ? ' & ' : ' | ')})`, ...metaFilter(filter).map(toTsquery)].join(' & ');
    // Ranked by term frequency with the OR form (ts_rank's AND form scores by proximity of all query items).
    const rank = groups.join(' | ');
    const titleOnly = `(${terms.map((t) => `(${t.alternatives.map((a) => `${a.term}:${a.prefix ? '*' : ''}A`).join(' | ')})`).join(mode === 'all' ? ' & ' : ' | ')})`;
    const scored = (where: ReturnType<typeof sql>) => sql<{ doc_id: number; score: number }>`select doc_id, ts_rank(${RANK_WEIGHTS}::float4[], search_vector, to_tsquery('simple', ${rank}), 1) as score
      from kb_translations where ${where} order by score desc, doc_id limit ${limit}`.execute(db);
    if (!broad) return (await scored(sql`search_vector @@ to_tsquery('simple', ${match})`)).rows.map((row) => ({ docId: Number(row.doc_id), score: Number(row.score) }));
    // Broad query: rank only the newest matches in titles and anywhere (a backward walk of the doc_id index stops early).
    const newest = (q: string) => sql<{ doc_id: number }>`select doc_id from kb_translations where search_vector @@ to_tsquery('simple', ${q}) order by doc_id desc limit ${this.broadCandidates}`.execute(db);
    const ids = new Set<number>();
    for (const q of [[titleOnly, ...metaFilter(filter).map(toTsquery)].join(' & '), match]) for (const row of (await newest(q)).rows) ids.add(Number(row.doc_id));
    if (!ids.size) return [];
    const r = await scored(sql`doc_id in (${sql.join([...ids])})`);
    return r.rows.map((row) => ({ docId: Number(row.doc_id), score: Number(row.score) }));
  },
  async similarTerms(db, term, limit) {
    const r = await sql<{ term: string; sim: number; df: number }>`select term, similarity(term, ${term}) as sim, df from kb_terms
      where term % ${term} and df > 0 and term <> ${term} order by sim desc, df desc limit ${limit}`.execute(db);
    return r.rows.map((row) => ({ term: row.term, similarity: Number(row.sim), df: Number(row.df) })).filter((x) => x.similarity >= 0.3);
  },
  async countTerms(tx, terms, delta) {
    if (!terms.length) return;
    if (delta === 1) {
      await sql`insert into kb_terms (term, df) select t, 1 from unnest(${terms}::text[]) t
        on conflict (term) do update set df = kb_terms.df + 1`.execute(tx);
    } else await sql`update kb_terms set df = df - 1 where term = any(${terms}::text[]) and df > 0`.execute(tx);
  },
};
