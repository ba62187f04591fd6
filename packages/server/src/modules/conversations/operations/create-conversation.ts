import type { Write } from '../../../db/connection.ts';
import type { Ctx } from '../../../platform/context.ts';
import type { Priority } from '@careline/shared';
import { AppError, notFound } from '../../../platform/errors/app-error.ts';
import { newId } from '../../../platform/ids.ts';
import { nextCounter, toJson } from '../../../db/dialect.ts';
import { audit } from '../../../platform/audit.ts';
import { canSeeInbox } from '../../inboxes/index.ts';
import { findOrCreateContact, type ContactInput } from '../../contacts/index.ts';
import { appendMessage, type AppendMessageInput } from './append-message.ts';
import { emitConversationEvent } from '../conversations.events.ts';
import { previewOf, toConversationDto } from '../conversations.repo.ts';

export type NewConversation = {
  inboxId: string;
  contactId?: string;
  contact?: ContactInput;
  subject?: string;
  priority?: Priority;
  assigneeId?: string | null;
  teamId?: string | null;
  tags?: string[];
  customAttributes?: Record<string, unknown>;
  createdAt?: string;
};

/** Inside the caller's transaction (channels create a conversation and its first message in one commit). */
export const insertConversation = async (w: Write, ctx: Ctx, input: NewConversation, first: AppendMessageInput) => {
  const inbox = await w.tx.selectFrom('inboxes').select(['id']).where('id', '=', input.inboxId).executeTakeFirst();
  if (!inbox || !(await canSeeInbox(w.tx, ctx.actor, input.inboxId))) throw notFound('Inbox');
  let contactId = input.contactId;
  if (contactId) {
    if (!(await w.tx.selectFrom('contacts').select('id').where('id', '=', contactId).executeTakeFirst())) throw notFound('Customer');
  } else contactId = (await findOrCreateContact(w, ctx, input.contact ?? {})).id;
  await assertAssignable(w, input.assigneeId, input.teamId);

  const now = input.createdAt ?? ctx.clock.iso();
  const id = newId();
  const row = {
    id, number: await nextCounter(w.tx, 'conversation'), inbox_id: input.inboxId, contact_id: contactId, status: 'open', custom_status_id: null,
    priority: input.priority ?? 'normal', assignee_id: input.assigneeId ?? null, team_id: input.teamId ?? null, subject: input.subject ?? '',
    custom_attributes: toJson(input.customAttributes ?? {}), snoozed_until: null, resolved_at: null,
    // Written as the first message will leave them, so appending it needs no second update of this row.
    first_response_at: first.kind === 'outgoing' ? now : null, last_incoming_at: first.kind === 'incoming' ? now : null,
    last_activity_at: now, merged_into_id: null, last_message_preview: first.kind === 'activity' ? '' : previewOf(first.text),
    created_at: now, updated_at: now,
  };
  await w.tx.insertInto('conversations').values(row).execute();
  const tags = [...new Set(input.tags ?? [])].sort();
  if (tags.length) await w.tx.insertInto('conversation_tags').values(tags.map((tag) => ({ conversation_id: id, tag }))).execute();
  await audit(w, ctx.actor, now, { entity: 'conversation', entityId: id, action: 'created', after: { inboxId: input.inboxId, contactId, subject: row.subject } });
  const author = first.kind === 'incoming' ? { authorContactId: first.authorContactId ?? contactId } : {};
  const message = await appendMessage(w, ctx, row, { createdAt: now, ...first, ...author });
  const conversation = await emitConversationEvent(w, ctx, 'conversation.created', id, {}, toConversationDto(row, tags));
  return { conversation, message };
};

export const assertAssignable = async (w: Write, assigneeId?: string | null, teamId?: string | null) => {
  if (assigneeId && !(await w.tx.selectFrom('users').select('id').where('id', '=', assigneeId).where('is_disabled', '=', false).executeTakeFirst())) {
    throw new AppError('VALIDATION_FAILED', { userMessage: 'Unknown or disabled agent', fields: [{ field: 'body.assigneeId', message: 'unknown agent' }] });
  }
  if (teamId && !(await w.tx.selectFrom('teams').select('id').where('id', '=', teamId).executeTakeFirst())) {
    throw new AppError('VALIDATION_FAILED', { userMessage: 'Unknown team', fields: [{ field: 'body.teamId', message: 'unknown team' }] });
  }
};

export const createConversation = async (ctx: Ctx, input: NewConversation & { message: { text: string; direction: 'incoming' | 'outgoing' } }) => {
  const userId = ctx.actor.type === 'user' ? ctx.actor.user.id : null;
  const { conversation, message } = await ctx.db.transaction((w) => insertConversation(w, ctx, input, input.message.direction === 'incoming'
    ? { kind: 'incoming', text: input.message.text }
    : { kind: 'outgoing', text: input.message.text, authorUserId: userId }));
  // Both were read inside the transaction after the last write: no second round trip needed.
  return { ...conversation, messages: [message] };
};
