import type { Kysely } from 'kysely';
import { columnTypes, engineOf } from '../dialect.ts';

// Live chat (modules/channels/chat). Forward-only and immutable once merged.
export const up = async (db: Kysely<any>) => {
  const t = columnTypes(engineOf(db));
  const s = db.schema;
  const now = (c: any) => c.notNull();

  // A website visitor of one chat inbox. Identified visitors (HMAC-verified) are found again by external_id.
  await s.createTable('chat_visitors')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('inbox_id', t.id, (c) => c.notNull().references('inboxes.id').onDelete('cascade'))
    .addColumn('contact_id', t.id, (c) => c.references('contacts.id').onDelete('set null'))
    .addColumn('conversation_id', t.id, (c) => c.references('conversations.id').onDelete('set null'))
    .addColumn('external_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('email', 'text')
    .addColumn('language', 'text')
    .addColumn('is_identified', t.bool, (c) => c.notNull().defaultTo(false))
    .addColumn('emailed_through', t.ts)
    .addColumn('last_seen_at', t.ts, now)
    .addColumn('created_at', t.ts, now).addColumn('updated_at', t.ts, now)
    .addUniqueConstraint('chat_visitors_external', ['inbox_id', 'external_id']).execute();
  await s.createIndex('chat_visitors_conversation').on('chat_visitors').column('conversation_id').execute();

  // Visitor tokens (the widget keeps one in localStorage); only their hash is stored.
  await s.createTable('chat_sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('visitor_id', t.id, (c) => c.notNull().references('chat_visitors.id').onDelete('cascade'))
    .addColumn('created_at', t.ts, now).execute();
  await s.createIndex('chat_sessions_visitor').on('chat_sessions').column('visitor_id').execute();

  // The widget's id for each message it sent, so a resend after a dropped connection is not stored twice.
  await s.createTable('chat_message_keys')
    .addColumn('visitor_id', t.id, (c) => c.notNull().references('chat_visitors.id').onDelete('cascade'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('message_id', t.id, (c) => c.notNull())
    .addColumn('created_at', t.ts, now)
    .addPrimaryKeyConstraint('chat_message_keys_pk', ['visitor_id', 'client_id']).execute();
  await s.createIndex('chat_message_keys_message').on('chat_message_keys').column('message_id').execute();

  // Files a visitor uploaded, so a visitor can only attach their own uploads.
  await s.createTable('chat_uploads')
    .addColumn('attachment_id', t.id, (c) => c.primaryKey())
    .addColumn('visitor_id', t.id, (c) => c.notNull().references('chat_visitors.id').onDelete('cascade'))
    .addColumn('created_at', t.ts, now).execute();
};
