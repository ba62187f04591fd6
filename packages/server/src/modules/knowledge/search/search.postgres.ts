import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../../db/connection.ts';
import type { SearchEngine } from './engine.ts';

// PostgreSQL: a tsvector column (GIN) built with the 'simple' configuration from the already folded,
// stemmed terms: title weight A, tags B, meta C (ranked 0; SQLite filters with it), body D; ranked by
// ts_rank. Filters are plain columns; public_language (migration 0008) marks what customers may find and
// has its own partial GIN index, so public searches neither read other documents nor join kb_articles.
// Typo tolerance: pg_trgm similarity over the vocabulary (GIN trigram index).
const RANK_WEIGHTS = '{0.1, 0, 0.4, 1.0}';

/**
 * The newest matching documents (up to `need`), read window by window of doc ids from the newest, each
 * window sized from the vocabulary's estimate to hold about twice what is still needed. PostgreSQL then
 * intersects the GIN matches with the doc-id range before it reads rows (BitmapAnd), so a word found in
 * half the articles costs about as many row reads as candidates wanted, not half the table.
 */
const newestMatches = async (db: Tx, where: RawBuilder<unknown>, need: number, estimate: number | undefined) => {
  const bounds = (await sql<{ lo: number | string | null; hi: number | string | null }>`select min(doc_id) as lo, max(doc_id) as hi from kb_translations`.execute(db)).rows[0];
  if (bounds?.hi == null || bounds.lo == null) return [];
  const first = Number(bounds.lo); let hi = Number(bounds.hi) + 1;
  const span = hi - first;
  let width = estimate && estimate > 2 * need ? Math.ceil((span * 2 * need) / estimate) : span;
  const ids: number[] = [];
  while (ids.length < need && hi > first) {
    const lo = Math.max(first, hi - width);
    const r = await sql<{ doc_id: number | string }>`select doc_id from kb_translations where ${where} and doc_id >= ${lo} and doc_id < ${hi}`.execute(db);
    ids.push(...r.rows.map((row) => Number(row.doc_id)).sort((a, b) => b - a).slice(0, need - ids.length));
    hi = lo;
    // Fewer matches than expected (the estimate is an upper bound): widen faster.
    width *= r.rows.length * 4 < need ? 8 : 2;
  }
  return ids;
};

export const postgresSearch: SearchEngine = {
  broadAbove: 300,
  broadCandidates: 300,
  async indexDoc(tx, docId, doc) {
    await sql`update kb_translations set search_vector =
      setweight(to_tsvector('simple', ${doc.title}), 'A') || setweight(to_tsvector('simple', ${doc.tags}), 'B') ||
      setweight(to_tsvector('simple', ${doc.meta}), 'C') || setweight(to_tsvector('simple', ${doc.body}), 'D'),
      public_language = ${doc.publicLanguage}
      where doc_id = ${docId}`.execute(tx);
  },
  async removeDoc(tx, docId) {
    await sql`update kb_translations set search_vector = null, public_language = null where doc_id = ${docId}`.execute(tx);
  },
  async query(db, terms, filter, { mode, limit, estimate }) {
    if (!terms.length) return [];
    // No weight labels in the match: GIN then answers exactly (no recheck that would decompress every tsvector).
    const groups = terms.map((t) => `(${t.alternatives.map((a) => `${a.term}${a.prefix ? ':*' : ''}`).join(' | ')})`);
    const match = groups.join(mode === 'all' ? ' & ' : ' | ');
    // Ranked by term frequency with the OR form (ts_rank's AND form scores by proximity of all query items).
    const rank = groups.join(' | ');
    const isPublic = filter.status === 'published' && !filter.includeInternal;
    const where = sql.join(isPublic
      ? [
        // Both conditions, so the planner matches the partial index's predicate.
        sql`public_language is not null`,
        ...(filter.languages ? [sql`public_language in (${sql.join(filter.languages)})`] : []),
        sql`search_vector @@ to_tsquery('simple', ${match})`,
      ]
      : [
        sql`search_vector @@ to_tsquery('simple', ${match})`,
        ...(filter.languages ? [sql`language in (${sql.join(filter.languages)})`] : []),
        ...(filter.status ? [sql`status = ${filter.status}`] : []),
        ...(filter.includeInternal ? [] : [sql`not exists (select 1 from kb_articles a where a.id = kb_translations.article_id and a.is_internal)`]),
      ], sql` and `);
    // Rank the newest matches only (all of them when there are few): ts_rank reads each candidate's whole tsvector.
    const ids = await newestMatches(db, where, this.broadCandidates, estimate);
    if (!ids.length) return [];
    const r = await sql<{ doc_id: number; score: number }>`select doc_id, ts_rank(${RANK_WEIGHTS}::float4[], search_vector, to_tsquery('simple', ${rank}), 1) as score
      from kb_translations where doc_id = any(${ids}::bigint[]) order by score desc, doc_id limit ${limit}`.execute(db);
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
