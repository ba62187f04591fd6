import type { Deps } from '../../platform/context.ts';
import { systemCtx } from '../../platform/context.ts';
import { UNSNOOZE_QUEUE, unsnoozeConversation } from './operations/update-conversation.ts';

export { conversationRoutes } from './conversations.routes.ts';
export { insertConversation } from './operations/create-conversation.ts';
export { appendMessage, setDeliveryState, setDeliveryStates, type AppendMessageInput } from './operations/append-message.ts';
export { getConversation, getVisibleConversationRow } from './operations/get-conversation.ts';
export { updateConversation } from './operations/update-conversation.ts';
export { registerOutgoingSender, type OutgoingSender } from './outgoing.ts';
export { storeAttachment, prepareAttachment, insertAttachments } from './attachments.ts';
export { findConversationRow, loadConversations, loadMessages } from './conversations.repo.ts';

/** Background work this module owns. */
export const registerConversationJobs = (deps: Deps) => {
  deps.jobs.register(UNSNOOZE_QUEUE, ({ conversationId, until }) => unsnoozeConversation(systemCtx(deps), conversationId, until));
};
