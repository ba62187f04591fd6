import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../../db/connection.ts';
import type { SearchEngine } from './engine.ts';

// PostgreSQL: a tsvector column (GIN) built with the 'simple' configuration from the already folded,
// stemmed terms: title weight A, tags B, meta C (ranked 0; SQLite filters with it), body D; ranked by
// ts_rank. Filters are plain columns; public_language (migration 0008) marks what customers may find and
// has its own partial GIN index, so public searches neither read other documents nor join kb_articles.
// Typo tolerance: pg_trgm similarity over the vocabulary (GIN trigram index).
const RANK_WEIGHTS = '{0.1, 0, 0.4, 1.0}';
const ANY_MATCH_BUDGET = 3000;

/**
 * Ranks the newest matching documents (up to `need`, all of them when there are fewer), read window by
 * window of doc ids from the newest: each window is sized from the vocabulary's estimate to hold about twice
 * the candidates wanted, so PostgreSQL intersects the GIN matches with the doc-id range before it reads rows
 * (BitmapAnd), and a word found in half the articles costs about as many row reads as candidates, not half
 * the table. Usually one window (one statement) suffices; ts_rank then reads only the candidates' tsvectors.
 */
const rankNewest = async (db: Tx, where: RawBuilder<unknown>, rank: string, need: number, estimate?: number, maxDocId?: number) => {
  const top = maxDocId ?? Number.MAX_SAFE_INTEGER;
  // Windows narrower than half the ids; a wider one costs more to intersect than the rows it saves.
  let width = estimate && maxDocId && estimate > 4 * need ? Math.ceil((maxDocId * 2 * need) / estimate) : null;
  let hi: number | null = null; // the first window is open upwards (articles added since maxDocId was read)
  const hits: { docId: number; score: number }[] = [];
  for (;;) {
    const lo: number | null = width === null ? null : Math.max(0, (hi ?? top) - width);
    const range = sql.join([
      ...(lo !== null && lo > 0 ? [sql`doc_id > ${lo}`] : []),
      ...(hi !== null ? [sql`doc_id <= ${hi}`] : []),
    ].concat(sql`true`), sql` and `);
    // "doc_id + 0": no plan that walks the doc-id index and tests every row until it has enough.
    const r = await sql<{ doc_id: number | string; score: number }>`with c as (
        select doc_id from kb_translations where ${where} and ${range} order by doc_id + 0 desc limit ${need - hits.length})
      select doc_id, ts_rank(${RANK_WEIGHTS}::float4[], search_vector, to_tsquery('simple', ${rank}), 1) as score
      from kb_translations where doc_id in (select doc_id from c)`.execute(db);
    hits.push(...r.rows.map((row) => ({ docId: Number(row.doc_id), score: Number(row.score) })));
    if (hits.length >= need || lo === null || lo <= 0) return hits;
    hi = lo;
    // Fewer matches than expected (the estimate is an upper bound): widen faster.
    width = width! * (r.rows.length * 4 < need ? 8 : 2);
  }
};

export const postgresSearch: SearchEngine = {
  broadAbove: 300,
  // ts_rank reads each candidate's whole tsvector: about 15 µs each.
  broadCandidates: 200,
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
  async query(db, terms, filter, { mode, limit, maxDocId, dfs, ...opts }) {
    let estimate = opts.estimate;
    if (!terms.length) return [];
    // No weight labels in the match: GIN then answers exactly (no recheck that would decompress every tsvector).
    const group = (t: (typeof terms)[number]) => `(${t.alternatives.map((a) => `${a.term}${a.prefix ? ':*' : ''}`).join(' | ')})`;
    const groups = terms.map(group);
    // All words needed: a prefix standing for many indexed terms (a short stem) makes GIN merge all their
    // lists. When a much rarer word narrows the match, the index finds that one's documents and the
    // prefix is tested on just those rows (ts_match_vq is the @@ operator that the index does not answer).
    const rarest = dfs && dfs.length === terms.length ? Math.min(...dfs) : null;
    const checked = mode === 'all' && rarest !== null
      ? terms.filter((t, i) => t.alternatives.some((a) => a.prefix) && dfs![i]! > 4 * rarest && dfs![i]! > 1000)
      : [];
    // Any word: the GIN scan reads the document lists of every word, and common words (in thousands of
    // articles) add little to which articles fit best. Match by the rarest words, up to ANY_MATCH_BUDGET
    // list entries (always the rarest one); every word still counts in the ranking.
    let indexed = terms.filter((t) => !checked.includes(t));
    if (mode === 'any' && dfs && dfs.length === terms.length) {
      const byRarity = terms.map((t, i) => ({ t, df: dfs[i]! })).sort((a, b) => a.df - b.df);
      let budget = ANY_MATCH_BUDGET;
      indexed = byRarity.filter((x, i) => { budget -= x.df; return i === 0 || budget >= 0; }).map((x) => x.t);
      estimate = byRarity.filter((x) => indexed.includes(x.t)).reduce((n, x) => n + x.df, 0);
    }
    const match = indexed.map(group).join(mode === 'all' ? ' & ' : ' | ');
    const tsMatch = sql.join([
      sql`search_vector @@ to_tsquery('simple', ${match})`,
      ...(checked.length ? [sql`ts_match_vq(search_vector, to_tsquery('simple', ${checked.map(group).join(' & ')}))`] : []),
    ], sql` and `);
    // Ranked by term frequency with the OR form (ts_rank's AND form scores by proximity of all query items).
    const rank = groups.join(' | ');
    const isPublic = filter.status === 'published' && !filter.includeInternal;
    const where = sql.join(isPublic
      ? [
        // Both conditions, so the planner matches the partial index's predicate.
        sql`public_language is not null`,
        ...(filter.languages ? [sql`public_language in (${sql.join(filter.languages)})`] : []),
        tsMatch,
      ]
      : [
        tsMatch,
        ...(filter.languages ? [sql`language in (${sql.join(filter.languages)})`] : []),
        ...(filter.status ? [sql`status = ${filter.status}`] : []),
        ...(filter.includeInternal ? [] : [sql`not exists (select 1 from kb_articles a where a.id = kb_translations.article_id and a.is_internal)`]),
      ], sql` and `);
    // A broad query ranks the newest matches only (ts_rank reads each candidate's whole tsvector); a narrow one
    // (at most broadAbove matches by the vocabulary's counts) ranks them all.
    const hits = await rankNewest(db, where, rank, opts.broad ? this.broadCandidates : Number.MAX_SAFE_INTEGER, estimate, maxDocId);
    return hits.sort((x, y) => y.score - x.score || x.docId - y.docId).slice(0, limit);
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
