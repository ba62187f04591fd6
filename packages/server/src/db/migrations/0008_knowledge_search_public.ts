import { sql, type Kysely } from 'kysely';
import { engineOf } from '../dialect.ts';

// PostgreSQL knowledge search: what customers may find (published, public translations) gets its own
// column and partial GIN index, like SQLite's kb_fts_public_<lang> tables. The help center's searches
// then read only public documents from the index and never join kb_articles to check visibility.
// public_language = the translation's language when it is published and its article is public, else null;
// kept in step by the search index (modules/knowledge/search/search.postgres.ts indexDoc).
export const up = async (db: Kysely<any>) => {
  if (engineOf(db) !== 'postgres') return;
  await sql`alter table kb_translations add column public_language text`.execute(db);
  await sql`update kb_translations t set public_language = t.language from kb_articles a
    where a.id = t.article_id and t.status = 'published' and not a.is_internal and t.search_vector is not null`.execute(db);
  await sql`create index kb_translations_public_search on kb_translations using gin (search_vector) with (fastupdate = off) where public_language is not null`.execute(db);
  // No GIN pending lists: every search would scan the unsorted list of recent entries (measured: a trigram
  // lookup 41 ms with a full list, 0.9 ms without). Articles and words are written rarely; searches are many.
  for (const index of ['kb_translations_search', 'kb_terms_trgm']) {
    await sql`alter index ${sql.id(index)} set (fastupdate = off)`.execute(db);
    await sql`select gin_clean_pending_list(${index}::regclass)`.execute(db);
  }
};
