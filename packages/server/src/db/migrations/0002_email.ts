import type { Kysely } from 'kysely';
import { columnTypes, engineOf } from '../dialect.ts';

// Email channel tables. Forward-only and immutable once merged. Runs on SQLite and PostgreSQL.
export const up = async (db: Kysely<any>) => {
  const t = columnTypes(engineOf(db));
  const s = db.schema;
  const now = (c: any) => c.notNull();

  // Per-inbox email settings. Credentials live in `secrets` and are never returned by any API.
  await s.createTable('email_channels')
    .addColumn('inbox_id', t.id, (c) => c.primaryKey().references('inboxes.id').onDelete('cascade'))
    .addColumn('config', t.json, (c) => c.notNull())
    .addColumn('secrets', 'text', (c) => c.notNull())
    .addColumn('is_imap_enabled', t.bool, (c) => c.notNull().defaultTo(false))
    .addColumn('last_fetch_at', t.ts).addColumn('last_error', 'text').addColumn('last_error_at', t.ts)
    .addColumn('warned_at', t.ts)
    .addColumn('imap_state', t.json)
    .addColumn('backfill', t.json)
    .addColumn('created_at', t.ts, now).addColumn('updated_at', t.ts, now).execute();

  // Every message in or out, by its RFC 5322 Message-ID: threading, dedupe, bounces, the raw original.
  await s.createTable('email_messages')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('inbox_id', t.id, (c) => c.notNull().references('inboxes.id').onDelete('cascade'))
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('header_message_id', 'text')
    .addColumn('from_address', 'text')
    .addColumn('raw_sha256', 'text')
    .addColumn('raw_blob_key', 'text')
    .addColumn('conversation_id', t.id, (c) => c.references('conversations.id').onDelete('cascade'))
    .addColumn('message_id', t.id, (c) => c.references('messages.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('sent_at', t.ts)
    .addColumn('created_at', t.ts, now).execute();
  await s.createIndex('email_messages_header').unique().on('email_messages').columns(['inbox_id', 'header_message_id']).execute();
  await s.createIndex('email_messages_raw').unique().on('email_messages').columns(['inbox_id', 'raw_sha256']).execute();
  await s.createIndex('email_messages_recent').on('email_messages').columns(['inbox_id', 'direction', 'created_at']).execute();
  await s.createIndex('email_messages_conversation').on('email_messages').columns(['conversation_id', 'created_at']).execute();
  await s.createIndex('email_messages_sender').on('email_messages').columns(['inbox_id', 'from_address', 'created_at']).execute();
  await s.createIndex('email_messages_message').on('email_messages').column('message_id').execute();

  // Who an email conversation is with: the customer's reply address and the CC participants.
  await s.createTable('email_conversations')
    .addColumn('conversation_id', t.id, (c) => c.primaryKey().references('conversations.id').onDelete('cascade'))
    .addColumn('inbox_id', t.id, (c) => c.notNull().references('inboxes.id').onDelete('cascade'))
    .addColumn('customer_address', 'text')
    .addColumn('cc', t.json, (c) => c.notNull())
    .addColumn('updated_at', t.ts, now).execute();

  await s.createTable('email_signatures')
    .addColumn('inbox_id', t.id, (c) => c.notNull().references('inboxes.id').onDelete('cascade'))
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('updated_at', t.ts, now)
    .addPrimaryKeyConstraint('email_signatures_pk', ['inbox_id', 'user_id']).execute();
};
