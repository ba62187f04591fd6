import type { Write } from '../../db/connection.ts';
import type { Ctx } from '../../platform/context.ts';
import type { TConversation, TMessage } from '@careline/shared';
import { loadConversations } from './conversations.repo.ts';

// Events this module emits. Payloads carry the full DTO so the agent app and webhooks need no refetch.
export const emitConversationEvent = async (
  w: Write, ctx: Ctx, name: 'conversation.created' | 'conversation.updated' | 'conversation.status_changed' | 'conversation.assigned' | 'conversation.merged',
  conversationId: string, extra: Record<string, unknown> = {}, current?: TConversation,
) => {
  const conversation = current ?? (await loadConversations(w.tx, [conversationId]))[0];
  await ctx.events.emit(w, name, conversation!.inboxId, { conversation, ...extra });
  return conversation as TConversation;
};

export const emitMessageEvent = (w: Write, ctx: Ctx, name: 'message.created' | 'message.updated', inboxId: string, message: TMessage) =>
  ctx.events.emit(w, name, inboxId, { conversationId: message.conversationId, message });
