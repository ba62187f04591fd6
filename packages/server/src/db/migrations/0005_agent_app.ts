import type { Kysely } from 'kysely';
import { columnTypes, engineOf } from '../dialect.ts';

// The agent app: canned replies, Web Push subscriptions and preferences, per-agent read markers.
// Forward-only and immutable once merged. Runs on SQLite and PostgreSQL.
export const up = async (db: Kysely<any>) => {
  const t = columnTypes(engineOf(db));
  const s = db.schema;

  await s.createTable('canned_replies')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('shortcut', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_by_id', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', t.ts, (c) => c.notNull()).addColumn('updated_at', t.ts, (c) => c.notNull()).execute();

  await s.createTable('push_subscriptions')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('endpoint', 'text', (c) => c.notNull().unique())
    .addColumn('p256dh', 'text', (c) => c.notNull())
    .addColumn('auth', 'text', (c) => c.notNull())
    .addColumn('user_agent', 'text')
    .addColumn('created_at', t.ts, (c) => c.notNull()).addColumn('last_success_at', t.ts).execute();
  await s.createIndex('push_subscriptions_user').on('push_subscriptions').column('user_id').execute();

  await s.createTable('notification_preferences')
    .addColumn('user_id', t.id, (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('is_assigned', t.bool, (c) => c.notNull().defaultTo(true))
    .addColumn('is_mention', t.bool, (c) => c.notNull().defaultTo(true))
    .addColumn('is_customer_reply', t.bool, (c) => c.notNull().defaultTo(true))
    .addColumn('updated_at', t.ts, (c) => c.notNull()).execute();

  await s.createTable('conversation_reads')
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('conversation_id', t.id, (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('last_read_at', t.ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('conversation_reads_pk', ['user_id', 'conversation_id']).execute();
};
