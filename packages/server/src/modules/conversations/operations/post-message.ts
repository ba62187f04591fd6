import type { Ctx } from '../../../platform/context.ts';
import { requireUser } from '../../../platform/auth/access.ts';
import { AppError } from '../../../platform/errors/app-error.ts';
import { getVisibleConversationRow } from './get-conversation.ts';
import { appendMessage } from './append-message.ts';

export type PostMessageInput = { text: string; html?: string; attachmentIds?: string[]; kind: 'outgoing' | 'note'; metadata?: Record<string, unknown> };

/** An agent's reply to the customer, or an internal note only agents see. */
export const postMessage = async (ctx: Ctx, conversationId: string, input: PostMessageInput) => {
  const user = requireUser(ctx.actor);
  return ctx.db.transaction(async (w) => {
    const conversation = await getVisibleConversationRow(ctx, conversationId, w.tx);
    if (conversation.merged_into_id) throw new AppError('CONFLICT', { userMessage: 'This conversation was merged; reply in the conversation it was merged into.' });
    return appendMessage(w, ctx, conversation, {
      kind: input.kind, text: input.text, html: input.html ?? null, authorUserId: user.id,
      attachmentIds: input.attachmentIds, metadata: input.metadata,
    });
  });
};
