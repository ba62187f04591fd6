import type { Write } from '../../../../db/connection.ts';
import type { Ctx, Deps } from '../../../../platform/context.ts';
import { systemCtx } from '../../../../platform/context.ts';
import { loadMessages, setDeliveryStates } from '../../../conversations/index.ts';
import { compareMessages } from '../chat-messages.ts';
import { unreadIncomingIds } from '../chat.repo.ts';

/** The visitor has seen the conversation up to `messageId`: agent messages up to it become 'read'. */
export const markReadByVisitor = async (deps: Deps, conversationId: string, messageId: string) => {
  const messages = await loadMessages(deps.db.kysely, { conversationId });
  const upTo = messages.find((m) => m.id === messageId);
  if (!upTo) return 0;
  const unread = messages.filter((m) => m.kind === 'outgoing' && m.deliveryState !== 'read' && m.deliveryState !== 'failed' && compareMessages(m, upTo) <= 0);
  if (!unread.length) return 0;
  const ctx = systemCtx(deps);
  await deps.db.transaction((w) => setDeliveryStates(w, ctx, unread.map((m) => m.id), 'read'));
  return unread.length;
};

/** An agent has seen the conversation (viewing it, or replying): the visitor's messages become 'read'. */
export const markReadByAgentIn = async (w: Write, ctx: Ctx, conversationId: string) => {
  const unread = await unreadIncomingIds(w.tx, conversationId);
  await setDeliveryStates(w, ctx, unread, 'read', null, 'newest');
  return unread.length;
};

export const markReadByAgent = async (deps: Deps, conversationId: string) => {
  if (!(await unreadIncomingIds(deps.db.kysely, conversationId)).length) return 0;
  return deps.db.transaction((w) => markReadByAgentIn(w, systemCtx(deps), conversationId));
};
