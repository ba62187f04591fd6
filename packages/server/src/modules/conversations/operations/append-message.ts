import type { Write } from '../../../db/connection.ts';
import type { Ctx } from '../../../platform/context.ts';
import type { DB } from '../../../db/schema.ts';
import type { DeliveryState, MessageKind } from '@careline/shared';
import { newId } from '../../../platform/ids.ts';
import { toJson } from '../../../db/dialect.ts';
import { AppError } from '../../../platform/errors/app-error.ts';
import { insertMessageRow, loadMessages, previewOf, toMessageDto, updateConversationRow } from '../conversations.repo.ts';
import { prepared } from '../../../db/prepared.ts';
import { emitConversationEvent, emitMessageEvent } from '../conversations.events.ts';
import { outgoingSenderFor } from '../outgoing.ts';
import { sanitizeMessageHtml } from '../../../platform/html/sanitize-message-html.ts';

export type AppendMessageInput = {
  /** Set when the channel had to know the id before storing (e.g. to claim an idempotency key first). */
  id?: string;
  kind: MessageKind;
  text: string;
  html?: string | null;
  authorUserId?: string | null;
  authorContactId?: string | null;
  externalId?: string | null;
  metadata?: Record<string, unknown>;
  attachmentIds?: string[];
  /**
   * Channel-supplied state. Outgoing messages without one are handed to the channel's sender; with one
   * they are history being imported (demo data, a mailbox backfill) and are not sent again.
   */
  deliveryState?: DeliveryState;
  /** Auto-replies and bounces are stored but never reopen a conversation. */
  isAutomated?: boolean;
  createdAt?: string;
};

// Prepared: every reply runs these (see db/prepared.ts).
const inboxQuery = prepared((db, id: string) => db.selectFrom('inboxes').selectAll().where('id', '=', id));
const deliveryStateQuery = prepared((db, id: string, state: string) => db.updateTable('messages').set({ delivery_state: state }).where('id', '=', id));
const messageInboxesQuery = prepared((db, ids: string[]) => db.selectFrom('messages').innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
  .select(['messages.id', 'conversations.inbox_id']).where('messages.id', 'in', ids));
const deliveryStatesQuery = prepared((db, ids: string[], state: string, error: string | null) =>
  db.updateTable('messages').set({ delivery_state: state, delivery_error: error }).where('id', 'in', ids));

/**
 * The one path by which a message enters a conversation, whatever the channel: stores it, moves the
 * conversation's clocks (last activity, first response), reopens it when the customer writes again,
 * hands outgoing replies to their channel, and emits the events. Runs in the caller's transaction.
 */
export const appendMessage = async (w: Write, ctx: Ctx, conversation: DB['conversations'], input: AppendMessageInput) => {
  const now = input.createdAt ?? ctx.clock.iso();
  const id = input.id ?? newId();
  const isReply = input.kind === 'outgoing';
  // Agents' HTML comes from API clients, which is outside input like any other; channels sanitise what they receive.
  const html = input.html && (input.kind === 'outgoing' || input.kind === 'note') ? sanitizeMessageHtml(input.html) : input.html ?? null;
  const row = {
    id, conversation_id: conversation.id, kind: input.kind, text: input.text, html,
    author_user_id: input.authorUserId ?? null, author_contact_id: input.authorContactId ?? null,
    delivery_state: input.deliveryState ?? (isReply ? 'queued' : 'received'), delivery_error: null as string | null,
    external_id: input.externalId ?? null, metadata: toJson(input.metadata ?? {}), created_at: now,
  };
  await insertMessageRow(w.tx, row);

  if (input.attachmentIds?.length) {
    const claimed = await w.tx.updateTable('attachments').set({ message_id: id })
      .where('id', 'in', input.attachmentIds).where('message_id', 'is', null).executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== new Set(input.attachmentIds).size) {
      throw new AppError('VALIDATION_FAILED', { userMessage: 'An attachment is unknown or already used.', fields: [{ field: 'body.attachmentIds', message: 'unknown or used' }] });
    }
  }

  const reopen = input.kind === 'incoming' && !input.isAutomated && ['resolved', 'snoozed', 'pending', 'closed'].includes(conversation.status) && !conversation.merged_into_id;
  const set: Partial<DB['conversations']> = { updated_at: now };
  if (input.kind !== 'activity') { set.last_activity_at = now; set.last_message_preview = previewOf(input.text); }
  if (input.kind === 'incoming') set.last_incoming_at = now;
  if (isReply && !conversation.first_response_at) set.first_response_at = now;
  if (reopen) Object.assign(set, { status: 'open', custom_status_id: null, snoozed_until: null, resolved_at: null });
  const changes = Object.entries(set).filter(([k, v]) => conversation[k as keyof typeof conversation] !== v);
  if (changes.length) await updateConversationRow(w.tx, conversation.id, Object.fromEntries(changes));

  if (isReply && !input.deliveryState) {
    const inbox = (await inboxQuery(w.tx, conversation.inbox_id)).rows[0]!;
    const sender = outgoingSenderFor(inbox.channel);
    row.delivery_state = sender ? await sender(w, ctx, { messageId: id, conversation, inbox }) : 'sent';
    await deliveryStateQuery(w.tx, id, row.delivery_state);
  }

  const message = input.attachmentIds?.length ? (await loadMessages(w.tx, { ids: [id] }))[0]! : toMessageDto(row, []);
  await emitMessageEvent(w, ctx, 'message.created', conversation.inbox_id, message);
  if (reopen) await emitConversationEvent(w, ctx, 'conversation.status_changed', conversation.id, { from: conversation.status, to: 'open' });
  return message;
};

/** Channels report delivery progress (sent, delivered, read, failed) through this. */
export const setDeliveryState = async (w: Write, ctx: Ctx, messageId: string, state: DeliveryState, error: string | null = null) =>
  (await setDeliveryStates(w, ctx, [messageId], state, error))[0] ?? null;

/**
 * The same for several messages at once (a read receipt covers every message up to it): three queries, and a
 * message.updated event for each — or, with `announce: 'newest'`, only for the newest, which implies the rest
 * (a customer's messages read by an agent: nobody shows their state one by one, and a reply can cover many).
 */
export const setDeliveryStates = async (w: Write, ctx: Ctx, messageIds: string[], state: DeliveryState, error: string | null = null, announce: 'each' | 'newest' = 'each') => {
  if (!messageIds.length) return [];
  const { rows } = await messageInboxesQuery(w.tx, messageIds);
  if (!rows.length) return [];
  const inboxOf = new Map(rows.map((r) => [r.id, r.inbox_id]));
  await deliveryStatesQuery(w.tx, [...inboxOf.keys()], state, error);
  const messages = await loadMessages(w.tx, { ids: [...inboxOf.keys()] });
  for (const message of announce === 'each' ? messages : messages.slice(-1)) await emitMessageEvent(w, ctx, 'message.updated', inboxOf.get(message.id)!, message);
  return messages;
};
