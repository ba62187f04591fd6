import type { Ctx } from '../../../platform/context.ts';
import { requireUser } from '../../../platform/auth/access.ts';
import { AppError, notFound } from '../../../platform/errors/app-error.ts';
import { audit } from '../../../platform/audit.ts';
import { previewOf } from '../conversations.repo.ts';
import { emitConversationEvent } from '../conversations.events.ts';
import { getConversation, getVisibleConversationRow } from './get-conversation.ts';
import { insertConversation } from './create-conversation.ts';
import { appendMessage } from './append-message.ts';

/**
 * Moves one message (with its attachments) out of a conversation into a new conversation of the same
 * customer and inbox — for when a customer raises a second, unrelated topic in the same thread.
 */
export const splitMessage = async (ctx: Ctx, conversationId: string, messageId: string) => {
  const user = requireUser(ctx.actor);
  const source = await getVisibleConversationRow(ctx, conversationId);
  if (source.merged_into_id) throw new AppError('CONFLICT', { userMessage: 'This conversation was merged; split in the conversation it was merged into.' });
  const newId = await ctx.db.transaction(async (w) => {
    const message = await w.tx.selectFrom('messages').selectAll().where('id', '=', messageId).where('conversation_id', '=', conversationId).executeTakeFirst();
    if (!message) throw notFound('Message');
    if (message.kind === 'activity') throw new AppError('VALIDATION_FAILED', { userMessage: 'System lines cannot be split out.', fields: [{ field: 'params.messageId', message: 'activity message' }] });
    const count = await w.tx.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).where('conversation_id', '=', conversationId).where('kind', '!=', 'activity').executeTakeFirstOrThrow();
    if (Number(count.n) < 2) throw new AppError('VALIDATION_FAILED', { userMessage: 'The only message of a conversation cannot be split out.', fields: [{ field: 'params.messageId', message: 'only message' }] });

    const { conversation: created } = await insertConversation(w, ctx, {
      inboxId: source.inbox_id, contactId: source.contact_id, subject: source.subject, priority: source.priority as 'normal',
      assigneeId: user.id, teamId: source.team_id,
    }, { kind: 'activity', text: `Split from conversation #${source.number}`, metadata: { splitFrom: conversationId } });
    await w.tx.updateTable('messages').set({ conversation_id: created.id }).where('id', '=', messageId).execute();
    const now = ctx.clock.iso();
    await w.tx.updateTable('conversations').set({
      last_activity_at: message.created_at > created.lastActivityAt ? message.created_at : created.lastActivityAt,
      last_message_preview: previewOf(message.text), last_incoming_at: message.kind === 'incoming' ? message.created_at : null, updated_at: now,
    }).where('id', '=', created.id).execute();

    const last = await w.tx.selectFrom('messages').select(['text']).where('conversation_id', '=', conversationId).where('kind', '!=', 'activity')
      .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
    const lastIncoming = await w.tx.selectFrom('messages').select(['created_at']).where('conversation_id', '=', conversationId).where('kind', '=', 'incoming')
      .orderBy('created_at', 'desc').limit(1).executeTakeFirst();
    await w.tx.updateTable('conversations').set({ last_message_preview: previewOf(last?.text ?? ''), last_incoming_at: lastIncoming?.created_at ?? null, updated_at: now })
      .where('id', '=', conversationId).execute();
    const sourceRow = await w.tx.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirstOrThrow();
    await appendMessage(w, ctx, sourceRow, { kind: 'activity', text: `A message was split out into conversation #${created.number}`, metadata: { splitInto: created.id, messageId } });
    await audit(w, ctx.actor, now, { entity: 'conversation', entityId: conversationId, action: 'split', after: { messageId, into: created.id } });
    await emitConversationEvent(w, ctx, 'conversation.updated', conversationId, { changes: { splitInto: created.id } });
    await emitConversationEvent(w, ctx, 'conversation.updated', created.id, { changes: { splitFrom: conversationId } });
    return created.id;
  });
  return getConversation(ctx, newId);
};
