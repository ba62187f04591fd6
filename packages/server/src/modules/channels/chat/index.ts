import type { FastifyPluginAsync } from 'fastify';
import type { Deps } from '../../../platform/context.ts';
import { registerOutgoingSender } from '../../conversations/index.ts';
import { chatRoutes } from './chat.routes.ts';
import { createChatRuntime, type ChatRuntime } from './runtime.ts';
import { findVisitorByConversation } from './chat.repo.ts';
import { FOLLOW_UP_QUEUE, sendFollowUp } from './operations/email.ts';
import { markReadByAgentIn } from './operations/read-receipts.ts';
import { parseChatSettings } from '@careline/shared';
import { fromJson } from '../../../db/dialect.ts';

export { signIdentity } from './identity.ts';
export { CHAT_CHANNEL } from './visitor-hub.ts';

/**
 * Live chat: the widget API and sockets, the widget script, and how agent replies reach visitors
 * (live over the visitor socket; by email when still unread after a few minutes and the visitor left
 * an address). Registered once per app.
 */
export const chatModule = (deps: Deps): FastifyPluginAsync => async (app) => {
  const runtime: ChatRuntime = createChatRuntime(deps);
  registerOutgoingSender('chat', async (w, ctx, { conversation, inbox }) => {
    // Replying means the agent read what the visitor wrote.
    await markReadByAgentIn(w, ctx, conversation.id);
    const visitor = await findVisitorByConversation(w.tx, conversation.id);
    if (visitor?.email) {
      const minutes = parseChatSettings(fromJson(inbox.settings, {})).emailFollowUpMinutes;
      await deps.jobs.enqueue(w, FOLLOW_UP_QUEUE, { conversationId: conversation.id }, { runAt: new Date(deps.clock.now().getTime() + minutes * 60_000), maxAttempts: 5 });
    }
    // Delivered over the visitor's socket by the hub once committed.
    return 'sent';
  });
  deps.jobs.register(FOLLOW_UP_QUEUE, async ({ conversationId }: { conversationId: string }) => {
    await sendFollowUp(deps, runtime.names, runtime.inboxes, conversationId);
  });
  app.addHook('onClose', async () => runtime.hub.close());
  await app.register(chatRoutes(deps, runtime));
};
