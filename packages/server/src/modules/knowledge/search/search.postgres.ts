import { sql } from 'kysely';
import type { SearchEngine } from './engine.ts';

// PostgreSQL: a tsvector column (GIN) built with the 'simple' configuration from the already folded,
// stemmed terms: title weight A, tags B, meta C (ranked 0; SQLite filters with it), body D; ranked by
// ts_rank. Filters are plain columns. Typo tolerance: pg_trgm similarity over the vocabulary (GIN trigram index).
const RANK_WEIGHTS = '{0.1, 0, 0.4, 1.0}';


export const postgresSearch: SearchEngine = {
  broadAbove: 300,
  broadCandidates: 300,
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
    // No weight labels in the match: GIN then answers exactly (no recheck that would decompress every tsvector).
    const groups = terms.map((t) => `(${t.alternatives.map((a) => `${a.term}${a.prefix ? ':*' : ''}`).join(' | ')})`);
    const match = groups.join(mode === 'all' ? ' & ' : ' | ');
    // Ranked by term frequency with the OR form (ts_rank's AND form scores by proximity of all query items).
    const rank = groups.join(' | ');
    // Language, status and visibility as plain columns (their meta tokens are in nearly every document).
    const where = sql.join([
      sql`search_vector @@ to_tsquery('simple', ${match})`,
      ...(filter.languages ? [sql`language in (${sql.join(filter.languages)})`] : []),
      ...(filter.status ? [sql`status = ${filter.status}`] : []),
      ...(filter.includeInternal ? [] : [sql`not exists (select 1 from kb_articles a where a.id = kb_translations.article_id and a.is_internal)`]),
    ], sql` and `);
    // Broad query: rank only the newest matches (found from the index alone, then sorted by id).
    const scope = broad ? sql`doc_id in (select doc_id from kb_translations where ${where} order by doc_id + 0 desc limit ${this.broadCandidates})` : where;
    const r = await sql<{ doc_id: number; score: number }>`select doc_id, ts_rank(${RANK_WEIGHTS}::float4[], search_vector, to_tsquery('simple', ${rank}), 1) as score
      from kb_translations where ${scope} order by score desc, doc_id limit ${limit}`.execute(db);
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
