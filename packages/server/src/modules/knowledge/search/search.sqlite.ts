import { sql } from 'kysely';
import type { SearchEngine } from './engine.ts';
import { metaFilter } from './engine.ts';
import { trigramSimilarity } from './text.ts';

// SQLite: an FTS5 table (rowid = doc_id) ranked by BM25 with the title weighted 8×, tags 3×, body 1×;
// the meta column (language, status, visibility tokens) filters inside the index and is never ranked.
// Typo tolerance: an FTS5 trigram table over the vocabulary finds candidates, scored like pg_trgm.
const WEIGHTS = 'bm25(8.0, 3.0, 1.0, 0.0)';

export const sqliteSearch: SearchEngine = {
  async indexDoc(tx, docId, doc) {
    await sql`delete from kb_fts where rowid = ${docId}`.execute(tx);
    await sql`insert into kb_fts (rowid, title, tags, body, meta) values (${docId}, ${doc.title}, ${doc.tags}, ${doc.body}, ${doc.meta})`.execute(tx);
  },
  async removeDoc(tx, docId) {
    await sql`delete from kb_fts where rowid = ${docId}`.execute(tx);
  },
  async query(db, terms, filter, { mode, limit }) {
    if (!terms.length) return [];
    const groups = terms.map((t) => `(${t.alternatives.map((a) => `"${a.term}"${a.prefix ? ' *' : ''}`).join(' OR ')})`);
    const text = `{title tags body} : (${groups.join(mode === 'all' ? ' AND ' : ' OR ')})`;
    const expr = [text, ...metaFilter(filter).map((m) => `meta : ${m}`)].join(' AND ');
    const r = await sql<{ doc_id: number; rank: number }>`select rowid as doc_id, rank from kb_fts
      where kb_fts match ${expr} and rank match ${WEIGHTS} order by rank limit ${limit}`.execute(db);
    return r.rows.map((row) => ({ docId: Number(row.doc_id), score: -Number(row.rank) }));
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
    for (const term of terms) {
      if (delta === 1) {
        const r = await sql<{ df: number }>`insert into kb_terms (term, df) values (${term}, 1)
          on conflict (term) do update set df = kb_terms.df + 1 returning df`.execute(tx);
        if (Number(r.rows[0]!.df) === 1 && !(await sql`select 1 from kb_terms_trgm where term = ${term} limit 1`.execute(tx)).rows.length) {
          await sql`insert into kb_terms_trgm (term) values (${term})`.execute(tx);
        }
      } else await sql`update kb_terms set df = df - 1 where term = ${term} and df > 0`.execute(tx);
    }
  },
};
