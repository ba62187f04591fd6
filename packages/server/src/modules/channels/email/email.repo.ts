import type { Tx } from '../../../db/connection.ts';
import type { DB } from '../../../db/schema.ts';
import { fromJson, toJson } from '../../../db/dialect.ts';
import { newId } from '../../../platform/ids.ts';
import { prepared } from '../../../db/prepared.ts';

// All SQL on the email channel's own tables.
export type EmailMessageRow = DB['email_messages'];

// Every ingested message runs the queries marked prepared (see db/prepared.ts).
const bySha256Query = prepared((db, inboxId: string, sha256: string) =>
  db.selectFrom('email_messages').select(['id', 'conversation_id', 'message_id']).where('inbox_id', '=', inboxId).where('raw_sha256', '=', sha256).limit(1));
const byHeaderIdQuery = prepared((db, inboxId: string, headerMessageId: string) =>
  db.selectFrom('email_messages').select(['id', 'conversation_id', 'message_id']).where('inbox_id', '=', inboxId).where('header_message_id', '=', headerMessageId).limit(1));

/** A stored message with the same raw bytes or the same Message-ID in this inbox (each by its own unique index; prepared). */
export const findDuplicate = async (db: Tx, inboxId: string, by: { sha256?: string; headerMessageId?: string | null }) =>
  (by.sha256 ? (await bySha256Query(db, inboxId, by.sha256)).rows[0] : undefined)
  ?? (by.headerMessageId ? (await byHeaderIdQuery(db, inboxId, by.headerMessageId)).rows[0] : undefined)
  ?? null;

/** Which of these raw-message hashes are stored in this inbox already. */
export const storedSha256s = async (db: Tx, inboxId: string, sha256s: string[]) => new Set(sha256s.length
  ? (await db.selectFrom('email_messages').select('raw_sha256').where('inbox_id', '=', inboxId).where('raw_sha256', 'in', sha256s).execute()).map((r) => r.raw_sha256!)
  : []);

const insertQuery = prepared((db, row: EmailMessageRow) => db.insertInto('email_messages').values(row));
export const insertEmailMessage = async (db: Tx, row: Omit<EmailMessageRow, 'id'> & { id?: string }) => {
  const id = row.id ?? newId();
  await insertQuery(db, { ...row, id });
  return id;
};

/** The conversation a set of referenced Message-IDs belongs to, in the order given (In-Reply-To first). */
export const findConversationByMessageIds = async (db: Tx, inboxId: string, ids: string[]) => {
  if (!ids.length) return null;
  const rows = await db.selectFrom('email_messages').select(['header_message_id', 'conversation_id'])
    .where('inbox_id', '=', inboxId).where('header_message_id', 'in', ids).where('conversation_id', 'is not', null).execute();
  const byId = new Map(rows.map((r) => [r.header_message_id, r.conversation_id]));
  for (const id of ids) { const c = byId.get(id); if (c) return c; }
  return null;
};

const countRecentQuery = prepared((db, inboxId: string, from: string, since: string) => db.selectFrom('email_messages')
  .select((eb) => eb.fn.countAll<number>().as('n')).where('inbox_id', '=', inboxId).where('from_address', '=', from).where('created_at', '>=', since));
export const countRecentFrom = async (db: Tx, inboxId: string, from: string, since: string) =>
  Number((await countRecentQuery(db, inboxId, from, since)).rows[0]?.n ?? 0);

/** Message-IDs of a conversation, oldest first: In-Reply-To and References of our replies. */
export const threadMessageIds = async (db: Tx, conversationId: string) =>
  (await db.selectFrom('email_messages').select(['header_message_id', 'direction', 'message_id'])
    .where('conversation_id', '=', conversationId).where('header_message_id', 'is not', null).where('kind', '!=', 'loop')
    .orderBy('created_at').orderBy('id').execute());

export const findOutgoingByHeaderId = (db: Tx, inboxId: string, headerId: string) =>
  db.selectFrom('email_messages').select(['id', 'message_id', 'conversation_id'])
    .where('inbox_id', '=', inboxId).where('direction', '=', 'out').where('header_message_id', '=', headerId).executeTakeFirst();

export const findOutgoingByMessage = (db: Tx, messageId: string) =>
  db.selectFrom('email_messages').selectAll().where('message_id', '=', messageId).where('direction', '=', 'out').executeTakeFirst();

export const findRawOf = (db: Tx, messageId: string) =>
  db.selectFrom('email_messages').select(['raw_blob_key', 'inbox_id', 'conversation_id']).where('message_id', '=', messageId).where('raw_blob_key', 'is not', null).executeTakeFirst();

// ---- conversation participants
export type EmailConversation = { customerAddress: string | null; cc: string[] };

const emailConversationQuery = prepared((db, conversationId: string) => db.selectFrom('email_conversations').selectAll().where('conversation_id', '=', conversationId));
export const getEmailConversation = async (db: Tx, conversationId: string): Promise<EmailConversation | null> => {
  const r = (await emailConversationQuery(db, conversationId)).rows[0];
  return r ? { customerAddress: r.customer_address, cc: fromJson<string[]>(r.cc, []) } : null;
};

const saveEmailConversationQuery = prepared((db, conversationId: string, inboxId: string, customerAddress: string | null, cc: string, now: string) =>
  db.insertInto('email_conversations').values({ conversation_id: conversationId, inbox_id: inboxId, customer_address: customerAddress, cc, updated_at: now })
    .onConflict((oc) => oc.column('conversation_id').doUpdateSet({ customer_address: customerAddress, cc, updated_at: now })));
export const saveEmailConversation = async (db: Tx, conversationId: string, inboxId: string, v: EmailConversation, now: string) => {
  await saveEmailConversationQuery(db, conversationId, inboxId, v.customerAddress, toJson(v.cc.slice(0, 50)), now);
};

// ---- channels
export const getChannelRow = (db: Tx, inboxId: string) =>
  db.selectFrom('email_channels').selectAll().where('inbox_id', '=', inboxId).executeTakeFirst();

export const listImapChannels = (db: Tx) =>
  db.selectFrom('email_channels').innerJoin('inboxes', 'inboxes.id', 'email_channels.inbox_id')
    .select(['email_channels.inbox_id', 'email_channels.updated_at']).where('email_channels.is_imap_enabled', '=', true).execute();

export const recordFetch = (db: Tx, inboxId: string, at: string) =>
  db.updateTable('email_channels').set({ last_fetch_at: at }).where('inbox_id', '=', inboxId).execute();

export const recordError = (db: Tx, inboxId: string, error: string, at: string) =>
  db.updateTable('email_channels').set({ last_error: error.slice(0, 2000), last_error_at: at }).where('inbox_id', '=', inboxId).execute();

export const lastReceivedAt = async (db: Tx, inboxId: string) =>
  (await db.selectFrom('email_messages').select('created_at').where('inbox_id', '=', inboxId).where('direction', '=', 'in')
    .orderBy('created_at', 'desc').limit(1).executeTakeFirst())?.created_at ?? null;

export const countReceivedSince = async (db: Tx, inboxId: string, since: string) => {
  const r = await db.selectFrom('email_messages').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('inbox_id', '=', inboxId).where('direction', '=', 'in').where('created_at', '>=', since).executeTakeFirst();
  return Number(r?.n ?? 0);
};

export const getSignature = async (db: Tx, inboxId: string, userId: string) =>
  (await db.selectFrom('email_signatures').select('signature').where('inbox_id', '=', inboxId).where('user_id', '=', userId).executeTakeFirst())?.signature ?? null;

export const saveSignature = (db: Tx, inboxId: string, userId: string, signature: string, now: string) =>
  db.insertInto('email_signatures').values({ inbox_id: inboxId, user_id: userId, signature, updated_at: now })
    .onConflict((oc) => oc.columns(['inbox_id', 'user_id']).doUpdateSet({ signature, updated_at: now })).execute();
