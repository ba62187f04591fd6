import type { Ctx } from '../../../platform/context.ts';
import { AppError } from '../../../platform/errors/app-error.ts';
import { audit } from '../../../platform/audit.ts';
import { getVisibleConversationRow, getConversation } from './get-conversation.ts';
import { appendMessage } from './append-message.ts';
import { emitConversationEvent } from '../conversations.events.ts';

/**
 * Moves every message and tag of source into target; source is closed with a pointer to target
 * (merged_into_id) so links and channel threading that still lead to it can follow. Both must belong
 * to the same customer: merging two people's threads would show one their other's messages.
 */
export const mergeConversations = async (ctx: Ctx, targetId: string, sourceId: string) => {
  if (targetId === sourceId) throw new AppError('MERGE_INVALID', { userMessage: 'A conversation cannot be merged into itself.' });
  const target = await getVisibleConversationRow(ctx, targetId);
  const source = await getVisibleConversationRow(ctx, sourceId);
  if (target.contact_id !== source.contact_id) throw new AppError('MERGE_INVALID', { userMessage: 'Only conversations of the same customer can be merged. Merge the customers first.' });
  if (source.merged_into_id || target.merged_into_id) throw new AppError('MERGE_INVALID', { userMessage: 'One of these conversations was already merged.' });
  await ctx.db.transaction(async (w) => {
    const now = ctx.clock.iso();
    const moved = await w.tx.updateTable('messages').set({ conversation_id: targetId }).where('conversation_id', '=', sourceId).executeTakeFirst();
    const sourceTags = await w.tx.selectFrom('conversation_tags').select('tag').where('conversation_id', '=', sourceId).execute();
    const targetTags = new Set((await w.tx.selectFrom('conversation_tags').select('tag').where('conversation_id', '=', targetId).execute()).map((t) => t.tag));
    const newTags = sourceTags.map((t) => t.tag).filter((t) => !targetTags.has(t));
    if (newTags.length) await w.tx.insertInto('conversation_tags').values(newTags.map((tag) => ({ conversation_id: targetId, tag }))).execute();
    const lastActivity = [target.last_activity_at, source.last_activity_at].sort().at(-1)!;
    const lastIncoming = [target.last_incoming_at, source.last_incoming_at].filter(Boolean).sort().at(-1) ?? null;
    const firstResponse = [target.first_response_at, source.first_response_at].filter(Boolean).sort()[0] ?? null;
    await w.tx.updateTable('conversations').set({ last_activity_at: lastActivity, last_incoming_at: lastIncoming, first_response_at: firstResponse, updated_at: now }).where('id', '=', targetId).execute();
    await w.tx.updateTable('conversations').set({ status: 'closed', custom_status_id: null, merged_into_id: targetId, resolved_at: now, snoozed_until: null, updated_at: now }).where('id', '=', sourceId).execute();
    const after = { ...source, status: 'closed', merged_into_id: targetId };
    await appendMessage(w, ctx, after, { kind: 'activity', text: `Merged into conversation #${target.number}`, metadata: { mergedInto: targetId } });
    await appendMessage(w, ctx, target, { kind: 'activity', text: `Conversation #${source.number} merged here (${Number(moved.numUpdatedRows)} messages)`, metadata: { mergedFrom: sourceId } });
    await audit(w, ctx.actor, now, { entity: 'conversation', entityId: targetId, action: 'merged', after: { sourceId, messages: Number(moved.numUpdatedRows) } });
    await emitConversationEvent(w, ctx, 'conversation.merged', sourceId, { mergedIntoId: targetId });
    await emitConversationEvent(w, ctx, 'conversation.updated', targetId, { changes: { mergedFrom: sourceId } });
  });
  return getConversation(ctx, targetId);
};
