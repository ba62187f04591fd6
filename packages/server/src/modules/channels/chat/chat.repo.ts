import type { Tx } from '../../../db/connection.ts';
import type { DB } from '../../../db/schema.ts';
import { hashToken } from '../../../platform/ids.ts';
import { prepared } from '../../../db/prepared.ts';

// All SQL for the chat module's own tables (chat_visitors, chat_sessions, chat_message_keys, chat_uploads).
export type VisitorRow = DB['chat_visitors'];

export const findVisitorByToken = (db: Tx, visitorToken: string) =>
  db.selectFrom('chat_sessions').innerJoin('chat_visitors', 'chat_visitors.id', 'chat_sessions.visitor_id')
    .selectAll('chat_visitors').where('chat_sessions.token_hash', '=', hashToken(visitorToken)).executeTakeFirst();

const visitorQuery = prepared((db, id: string) => db.selectFrom('chat_visitors').selectAll().where('id', '=', id));
export const findVisitor = async (db: Tx, id: string) => (await visitorQuery(db, id)).rows[0];

export const findVisitorByExternalId = (db: Tx, inboxId: string, externalId: string) =>
  db.selectFrom('chat_visitors').selectAll().where('inbox_id', '=', inboxId).where('external_id', '=', externalId).executeTakeFirst();

const visitorOfConversationQuery = prepared((db, conversationId: string) =>
  db.selectFrom('chat_visitors').selectAll().where('conversation_id', '=', conversationId).orderBy('updated_at', 'desc').limit(1));
export const findVisitorByConversation = async (db: Tx, conversationId: string) => (await visitorOfConversationQuery(db, conversationId)).rows[0];

export const insertVisitor = (db: Tx, row: VisitorRow) => db.insertInto('chat_visitors').values(row).execute();

export const updateVisitor = (db: Tx, id: string, set: Partial<VisitorRow>) => db.updateTable('chat_visitors').set(set).where('id', '=', id).execute();

export const insertSession = (db: Tx, visitorToken: string, visitorId: string, now: string) =>
  db.insertInto('chat_sessions').values({ token_hash: hashToken(visitorToken), visitor_id: visitorId, created_at: now }).execute();

export const findMessageKey = (db: Tx, visitorId: string, clientId: string) =>
  db.selectFrom('chat_message_keys').select('message_id').where('visitor_id', '=', visitorId).where('client_id', '=', clientId).executeTakeFirst();

/** Claims a visitor's clientId for a new message id; false when that clientId was already used (a resend). */
const claimQuery = prepared((db, visitorId: string, clientId: string, messageId: string, now: string) => db.insertInto('chat_message_keys')
  .values({ visitor_id: visitorId, client_id: clientId, message_id: messageId, created_at: now })
  .onConflict((oc) => oc.columns(['visitor_id', 'client_id']).doNothing()));
export const claimMessageKey = async (db: Tx, visitorId: string, clientId: string, messageId: string, now: string) =>
  Number((await claimQuery(db, visitorId, clientId, messageId, now)).numAffectedRows ?? 0) > 0;

export const repointMessageKey = (db: Tx, visitorId: string, clientId: string, messageId: string) =>
  db.updateTable('chat_message_keys').set({ message_id: messageId }).where('visitor_id', '=', visitorId).where('client_id', '=', clientId).execute();

export const insertUpload = (db: Tx, attachmentId: string, visitorId: string, now: string) =>
  db.insertInto('chat_uploads').values({ attachment_id: attachmentId, visitor_id: visitorId, created_at: now }).execute();

export const countOwnUploads = async (db: Tx, visitorId: string, attachmentIds: string[]) => {
  if (!attachmentIds.length) return 0;
  const rows = await db.selectFrom('chat_uploads').select('attachment_id').where('visitor_id', '=', visitorId).where('attachment_id', 'in', attachmentIds).execute();
  return rows.length;
};

/**
 * An attachment of a message in one conversation (read-only look-up of the conversations module's
 * attachment row, to stream its bytes to the visitor who owns the conversation).
 */
export const findConversationAttachment = (db: Tx, attachmentId: string) =>
  db.selectFrom('attachments').innerJoin('messages', 'messages.id', 'attachments.message_id')
    .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
    .select(['attachments.filename', 'attachments.content_type', 'attachments.blob_key', 'messages.kind', 'conversations.inbox_id'])
    .where('attachments.id', '=', attachmentId).executeTakeFirst();

/**
 * Ids of the visitor's messages no agent has read yet (read-only look-up in the conversations module's
 * messages, by its (conversation_id, created_at) index; the state change itself goes through setDeliveryState).
 */
const unreadIncomingQuery = prepared((db, conversationId: string) => db.selectFrom('messages').select('id').where('conversation_id', '=', conversationId)
  .where('kind', '=', 'incoming').where('delivery_state', '=', 'received').orderBy('created_at'));
export const unreadIncomingIds = async (db: Tx, conversationId: string) => (await unreadIncomingQuery(db, conversationId)).rows.map((r) => r.id);
