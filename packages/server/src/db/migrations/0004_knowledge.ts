import { sql, type Kysely } from 'kysely';
import { columnTypes, engineOf } from '../dialect.ts';

// Knowledge base, help-center statistics and the customer portal. Forward-only, immutable once merged.
// Full-text search: SQLite gets FTS5 virtual tables; PostgreSQL a tsvector column with a GIN index and
// pg_trgm over the vocabulary (typo tolerance). Both index the same folded, stemmed terms.
export const up = async (db: Kysely<any>) => {
  const engine = engineOf(db);
  const t = columnTypes(engine);
  const s = db.schema;
  const now = (c: any) => c.notNull();

  await s.createTable('kb_categories')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('parent_id', t.id, (c) => c.references('kb_categories.id').onDelete('cascade'))
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('names', t.json, (c) => c.notNull())
    .addColumn('descriptions', t.json, (c) => c.notNull())
    .addColumn('created_at', t.ts, now).addColumn('updated_at', t.ts, now).execute();
  await s.createIndex('kb_categories_parent').on('kb_categories').columns(['parent_id', 'position']).execute();

  await s.createTable('kb_articles')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('category_id', t.id, (c) => c.references('kb_categories.id').onDelete('set null'))
    .addColumn('is_internal', t.bool, (c) => c.notNull().defaultTo(false))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('default_language', 'text', (c) => c.notNull())
    .addColumn('author_id', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', t.ts, now).addColumn('updated_at', t.ts, now).execute();
  await s.createIndex('kb_articles_category').on('kb_articles').columns(['category_id', 'position']).execute();

  await s.createTable('kb_article_tags')
    .addColumn('article_id', t.id, (c) => c.notNull().references('kb_articles.id').onDelete('cascade'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('kb_article_tags_pk', ['article_id', 'tag']).execute();
  await s.createIndex('kb_article_tags_tag').on('kb_article_tags').columns(['tag', 'article_id']).execute();

  // One row per language of an article. doc_id is the integer key of its search-index entry.
  await s.createTable('kb_translations')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('article_id', t.id, (c) => c.notNull().references('kb_articles.id').onDelete('cascade'))
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('doc_id', t.bigint, (c) => c.notNull().unique())
    .addColumn('created_by_id', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('updated_by_id', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('published_at', t.ts)
    .addColumn('created_at', t.ts, now).addColumn('updated_at', t.ts, now)
    .addUniqueConstraint('kb_translations_article_language', ['article_id', 'language'])
    .addUniqueConstraint('kb_translations_language_slug', ['language', 'slug']).execute();
  await s.createIndex('kb_translations_listing').on('kb_translations').columns(['language', 'status', 'updated_at']).execute();

  await s.createTable('kb_revisions')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('article_id', t.id, (c) => c.notNull().references('kb_articles.id').onDelete('cascade'))
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('author_id', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', t.ts, now).execute();
  await s.createIndex('kb_revisions_article').on('kb_revisions').columns(['article_id', 'language', 'version']).execute();

  // Vocabulary of indexed terms with document frequency: the candidates for typo correction.
  await s.createTable('kb_terms')
    .addColumn('term', 'text', (c) => c.primaryKey())
    .addColumn('df', 'integer', (c) => c.notNull()).execute();

  if (engine === 'sqlite') {
    // rowid = kb_translations.doc_id. Columns hold folded, stemmed terms; `meta` holds filter tokens.
    await sql`create virtual table kb_fts using fts5(title, tags, body, meta, tokenize = 'unicode61 remove_diacritics 2')`.execute(db);
    // Published public translations again, one table per language: the help center's searches scan only those.
    for (const lang of ['en', 'vi', 'pl']) await sql.raw(`create virtual table kb_fts_public_${lang} using fts5(title, tags, body, tokenize = 'unicode61 remove_diacritics 2')`).execute(db);
    await sql`create virtual table kb_terms_trgm using fts5(term, tokenize = 'trigram')`.execute(db);
  } else {
    await sql`create extension if not exists pg_trgm`.execute(db);
    await sql`alter table kb_translations add column search_vector tsvector`.execute(db);
    await sql`create index kb_translations_search on kb_translations using gin (search_vector)`.execute(db);
    await sql`create index kb_terms_trgm on kb_terms using gin (term gin_trgm_ops)`.execute(db);
  }

  await s.createTable('kb_searches')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('query', 'text', (c) => c.notNull())
    .addColumn('query_folded', 'text', (c) => c.notNull())
    .addColumn('language', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('result_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', t.ts, now).execute();
  await s.createIndex('kb_searches_time').on('kb_searches').columns(['created_at']).execute();

  // Views, helpfulness votes (with optional comment), suggestion clicks.
  await s.createTable('kb_events')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('article_id', t.id, (c) => c.references('kb_articles.id').onDelete('cascade'))
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('session_id', t.id)
    .addColumn('comment', 'text')
    .addColumn('created_at', t.ts, now).execute();
  await s.createIndex('kb_events_time').on('kb_events').columns(['created_at', 'kind']).execute();
  await s.createIndex('kb_events_article').on('kb_events').columns(['article_id', 'kind']).execute();

  // A customer was shown suggested articles (web form, widget); outcome: submitted, solved, or nothing (deflected).
  await s.createTable('kb_deflections')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('inbox_id', t.id, (c) => c.references('inboxes.id').onDelete('set null'))
    .addColumn('query', 'text', (c) => c.notNull())
    .addColumn('article_ids', t.json, (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('outcome_article_id', t.id)
    .addColumn('created_at', t.ts, now).addColumn('outcome_at', t.ts).execute();
  await s.createIndex('kb_deflections_time').on('kb_deflections').columns(['created_at']).execute();

  // Customer portal: one-time sign-in links and the sessions they open (separate from agent sessions).
  await s.createTable('portal_tokens')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('contact_id', t.id, (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', t.ts, now).addColumn('expires_at', t.ts, now).addColumn('used_at', t.ts).execute();
  await s.createTable('portal_sessions')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('contact_id', t.id, (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', t.ts, now).addColumn('expires_at', t.ts, now).execute();
  await s.createIndex('portal_sessions_contact').on('portal_sessions').column('contact_id').execute();

  // Integer keys of search-index entries: a sequence on PostgreSQL (SQLite's single writer takes max + 1).
  if (engine === 'postgres') await sql`create sequence if not exists counter_kb_doc`.execute(db);
};
