import type { Tx } from '../../db/connection.ts';
import type { DB } from '../../db/schema.ts';
import { fromJson } from '../../db/dialect.ts';
import { prepared } from '../../db/prepared.ts';
import type { TConversation, TMessage } from '@careline/shared';

export const toConversationDto = (c: DB['conversations'], tags: string[]): TConversation => ({
  id: c.id, number: Number(c.number), inboxId: c.inbox_id, contactId: c.contact_id, status: c.status as TConversation['status'],
  customStatusId: c.custom_status_id, priority: c.priority as TConversation['priority'], assigneeId: c.assignee_id, teamId: c.team_id,
  subject: c.subject, tags, customAttributes: fromJson(c.custom_attributes, {}), snoozedUntil: c.snoozed_until,
  firstResponseAt: c.first_response_at, resolvedAt: c.resolved_at, lastActivityAt: c.last_activity_at, lastIncomingAt: c.last_incoming_at,
  mergedIntoId: c.merged_into_id, createdAt: c.created_at, updatedAt: c.updated_at, lastMessagePreview: c.last_message_preview,
});

/** Conversations by id, in the given order, with their tags. */
export const loadConversations = async (db: Tx, ids: string[]) => {
  if (!ids.length) return [];
  const [rows, tags] = await Promise.all([
    db.selectFrom('conversations').selectAll().where('id', 'in', ids).execute(),
    db.selectFrom('conversation_tags').select(['conversation_id', 'tag']).where('conversation_id', 'in', ids).orderBy('tag').execute(),
  ]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [toConversationDto(r, tags.filter((t) => t.conversation_id === id).map((t) => t.tag))] : [];
  });
};

const conversationRowQuery = prepared((db, id: string) => db.selectFrom('conversations').selectAll().where('id', '=', id));
/** One conversation's row by id (every message and reply reads it: a prepared query). */
export const findConversationRow = async (db: Tx, id: string) => (await conversationRowQuery(db, id)).rows[0];

const MESSAGE_COLUMNS = ['id', 'conversation_id', 'kind', 'text', 'html', 'author_user_id', 'author_contact_id', 'delivery_state',
  'delivery_error', 'external_id', 'metadata', 'created_at'] as const satisfies readonly (keyof DB['messages'])[];
type UnlistedColumn = Exclude<keyof DB['messages'], (typeof MESSAGE_COLUMNS)[number]>;
// A column added to messages must be listed above, or this line stops compiling.
export const MESSAGE_COLUMNS_COMPLETE: [UnlistedColumn] extends [never] ? true : UnlistedColumn = true;
const insertMessageQuery = prepared((db, ...v: unknown[]) =>
  db.insertInto('messages').values(Object.fromEntries(MESSAGE_COLUMNS.map((c, i) => [c, v[i]])) as DB['messages']));
/** Stores a message row (every message of every channel: a prepared query). */
export const insertMessageRow = (db: Tx, row: DB['messages']) => insertMessageQuery(db, ...MESSAGE_COLUMNS.map((c) => row[c]));

export const attachmentUrl = (id: string) => `/api/v1/attachments/${id}`;

export const toMessageDto = (m: DB['messages'], attachments: DB['attachments'][]): TMessage => ({
  id: m.id, conversationId: m.conversation_id, kind: m.kind as TMessage['kind'], text: m.text, html: m.html,
  authorUserId: m.author_user_id, authorContactId: m.author_contact_id, deliveryState: m.delivery_state as TMessage['deliveryState'],
  deliveryError: m.delivery_error, metadata: fromJson(m.metadata, {}), createdAt: m.created_at,
  attachments: attachments.map((a) => ({ id: a.id, filename: a.filename, contentType: a.content_type, size: Number(a.size), url: attachmentUrl(a.id) })),
});

const messagesByIdQuery = prepared((db, ids: string[]) => db.selectFrom('messages').selectAll().where('id', 'in', ids).orderBy('created_at').orderBy('id'));
const messagesOfConversationQuery = prepared((db, conversationId: string) =>
  db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId).orderBy('created_at').orderBy('id'));
const attachmentsOfMessagesQuery = prepared((db, messageIds: string[]) => db.selectFrom('attachments').selectAll().where('message_id', 'in', messageIds).orderBy('created_at'));
const attachmentsOfConversationQuery = prepared((db, conversationId: string) => db.selectFrom('attachments').selectAll('attachments')
  .innerJoin('messages', 'messages.id', 'attachments.message_id').where('messages.conversation_id', '=', conversationId).orderBy('attachments.created_at'));

/** Messages with their attachments, oldest first: one conversation's, or the given ids (prepared: every reply and read receipt loads some). */
export const loadMessages = async (db: Tx, where: { conversationId: string } | { ids: string[] }) => {
  if ('ids' in where && !where.ids.length) return [];
  const messages = ('ids' in where ? await messagesByIdQuery(db, where.ids) : await messagesOfConversationQuery(db, where.conversationId)).rows;
  if (!messages.length) return [];
  const attachments = ('ids' in where ? await attachmentsOfMessagesQuery(db, where.ids) : await attachmentsOfConversationQuery(db, where.conversationId)).rows;
  return messages.map((m) => toMessageDto(m, attachments.filter((a) => a.message_id === m.id)));
};

const updateConversationQuery = prepared((db, id: string, set: Partial<DB['conversations']>) => db.updateTable('conversations').set(set).where('id', '=', id));
/** Changes some columns of one conversation (every message moves its clocks: a prepared query per set of columns). */
export const updateConversationRow = (db: Tx, id: string, set: Partial<DB['conversations']>) => updateConversationQuery(db, id, set);

export const previewOf = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 200);
