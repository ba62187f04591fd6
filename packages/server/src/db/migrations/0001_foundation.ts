import { sql, type Kysely } from 'kysely';
import { columnTypes, engineOf } from '../dialect.ts';

// Forward-only and immutable once merged. Runs on SQLite and PostgreSQL.
export const up = async (db: Kysely<any>) => {
  const t = columnTypes(engineOf(db));
  const s = db.schema;
  const now = (c: any) => c.notNull();

  await s.createTable('settings').addColumn('key', 'text', (c) => c.primaryKey()).addColumn('value', t.json, (c) => c.notNull()).execute();
  await s.createTable('counters').addColumn('name', 'text', (c) => c.primaryKey()).addColumn('value', t.bigint, (c) => c.notNull()).execute();

  await s.createTable('users')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('en'))
    .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .addColumn('availability', 'text', (c) => c.notNull().defaultTo('offline'))
    .addColumn('is_disabled', t.bool, (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', t.ts, now).addColumn('updated_at', t.ts, now).execute();

  await s.createTable('sessions')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('user_agent', 'text')
    .addColumn('created_at', t.ts, now).addColumn('expires_at', t.ts, now).addColumn('last_seen_at', t.ts, now).execute();
  await s.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await s.createTable('api_tokens')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', t.ts, now).addColumn('last_used_at', t.ts).addColumn('revoked_at', t.ts).execute();

  await s.createTable('teams')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', t.ts, now).addColumn('updated_at', t.ts, now).execute();
  await s.createTable('team_members')
    .addColumn('team_id', t.id, (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'user_id']).execute();
  await s.createIndex('team_members_user').on('team_members').column('user_id').execute();

  await s.createTable('inboxes')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('business_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('greeting', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('email_address', 'text', (c) => c.unique())
    .addColumn('public_token', 'text', (c) => c.notNull().unique())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('settings', t.json, (c) => c.notNull())
    .addColumn('created_at', t.ts, now).addColumn('updated_at', t.ts, now).execute();
  await s.createTable('inbox_members')
    .addColumn('inbox_id', t.id, (c) => c.notNull().references('inboxes.id').onDelete('cascade'))
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('inbox_members_pk', ['inbox_id', 'user_id']).execute();
  await s.createIndex('inbox_members_user').on('inbox_members').column('user_id').execute();

  await s.createTable('organizations')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('domain', 'text', (c) => c.unique())
    .addColumn('custom_attributes', t.json, (c) => c.notNull())
    .addColumn('created_at', t.ts, now).addColumn('updated_at', t.ts, now).execute();

  await s.createTable('contacts')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('language', 'text').addColumn('time_zone', 'text').addColumn('birthday', 'text')
    .addColumn('is_internal', t.bool, (c) => c.notNull().defaultTo(false))
    .addColumn('custom_attributes', t.json, (c) => c.notNull())
    .addColumn('organization_id', t.id, (c) => c.references('organizations.id').onDelete('set null'))
    .addColumn('created_at', t.ts, now).addColumn('updated_at', t.ts, now).execute();
  await s.createIndex('contacts_org').on('contacts').column('organization_id').execute();
  await s.createIndex('contacts_updated').on('contacts').columns(['updated_at', 'id']).execute();
  await s.createTable('contact_identities')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('contact_id', t.id, (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', t.ts, now)
    .addUniqueConstraint('contact_identities_kind_value', ['kind', 'value']).execute();
  await s.createIndex('contact_identities_contact').on('contact_identities').column('contact_id').execute();

  await s.createTable('custom_statuses')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('base_status', 'text', (c) => c.notNull())
    .addColumn('created_at', t.ts, now).execute();

  await s.createTable('conversations')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('number', t.bigint, (c) => c.notNull().unique())
    .addColumn('inbox_id', t.id, (c) => c.notNull().references('inboxes.id'))
    .addColumn('contact_id', t.id, (c) => c.notNull().references('contacts.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('custom_status_id', t.id, (c) => c.references('custom_statuses.id').onDelete('set null'))
    .addColumn('priority', 'text', (c) => c.notNull().defaultTo('normal'))
    .addColumn('assignee_id', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('team_id', t.id, (c) => c.references('teams.id').onDelete('set null'))
    .addColumn('subject', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('custom_attributes', t.json, (c) => c.notNull())
    .addColumn('snoozed_until', t.ts).addColumn('first_response_at', t.ts).addColumn('resolved_at', t.ts)
    .addColumn('last_activity_at', t.ts, now).addColumn('last_incoming_at', t.ts)
    .addColumn('merged_into_id', t.id)
    .addColumn('last_message_preview', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', t.ts, now).addColumn('updated_at', t.ts, now).execute();
  // The inbox list: filter by one dimension (+status), newest activity first, id as tie-breaker for the cursor.
  for (const [name, cols] of [
    ['conv_inbox_status', ['inbox_id', 'status', 'last_activity_at', 'id']],
    ['conv_assignee_status', ['assignee_id', 'status', 'last_activity_at', 'id']],
    ['conv_team_status', ['team_id', 'status', 'last_activity_at', 'id']],
    ['conv_status_activity', ['status', 'last_activity_at', 'id']],
    ['conv_contact', ['contact_id', 'last_activity_at', 'id']],
    ['conv_activity', ['last_activity_at', 'id']],
    ['conv_updated', ['updated_at']],
  ] as const) await s.createIndex(name).on('conversations').columns([...cols]).execute();

  await s.createTable('conversation_tags')
    .addColumn('conversation_id', t.id, (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('conversation_tags_pk', ['conversation_id', 'tag']).execute();
  await s.createIndex('conversation_tags_tag').on('conversation_tags').columns(['tag', 'conversation_id']).execute();

  await s.createTable('messages')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('conversation_id', t.id, (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('html', 'text')
    .addColumn('author_user_id', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('author_contact_id', t.id, (c) => c.references('contacts.id').onDelete('set null'))
    .addColumn('delivery_state', 'text', (c) => c.notNull())
    .addColumn('delivery_error', 'text')
    .addColumn('external_id', 'text')
    .addColumn('metadata', t.json, (c) => c.notNull())
    .addColumn('created_at', t.ts, now).execute();
  await s.createIndex('messages_conversation').on('messages').columns(['conversation_id', 'created_at', 'id']).execute();
  await s.createIndex('messages_external').on('messages').column('external_id').execute();

  await s.createTable('attachments')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('message_id', t.id, (c) => c.references('messages.id').onDelete('cascade'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', t.bigint, (c) => c.notNull())
    .addColumn('blob_key', 'text', (c) => c.notNull())
    .addColumn('content_id', 'text')
    .addColumn('created_at', t.ts, now).execute();
  await s.createIndex('attachments_message').on('attachments').column('message_id').execute();

  await s.createTable('audit_log')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('before', t.json).addColumn('after', t.json)
    .addColumn('created_at', t.ts, now).execute();
  await s.createIndex('audit_entity').on('audit_log').columns(['entity', 'entity_id', 'created_at']).execute();

  await s.createTable('webhooks')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('events', t.json, (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('is_active', t.bool, (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', t.ts, now).addColumn('updated_at', t.ts, now).execute();
  await s.createTable('webhook_deliveries')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('webhook_id', t.id, (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('payload', t.json, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('response_status', 'integer').addColumn('error', 'text')
    .addColumn('created_at', t.ts, now).addColumn('delivered_at', t.ts).addColumn('next_attempt_at', t.ts).execute();
  await s.createIndex('webhook_deliveries_hook').on('webhook_deliveries').columns(['webhook_id', 'created_at']).execute();

  await s.createTable('jobs')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('queue', 'text', (c) => c.notNull())
    .addColumn('payload', t.json, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('run_at', t.ts, now).addColumn('locked_until', t.ts).addColumn('last_error', 'text')
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    .addColumn('created_at', t.ts, now).addColumn('finished_at', t.ts).execute();
  await s.createIndex('jobs_due').on('jobs').columns(['status', 'run_at']).execute();

  await s.createTable('rate_limits')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('reset_at', t.ts, now).execute();

  await sql`insert into counters (name, value) values ('conversation', 1000)`.execute(db);
};
