import type { TMessage } from '@careline/shared';
import type { Deps } from '../../../../platform/context.ts';
import { systemCtx } from '../../../../platform/context.ts';
import { AppError } from '../../../../platform/errors/app-error.ts';
import { appendMessage, findConversationRow, insertConversation, loadMessages } from '../../../conversations/index.ts';
import { findOrCreateContact } from '../../../contacts/index.ts';
import { claimMessageKey, countOwnUploads, findMessageKey, findVisitor, repointMessageKey, updateVisitor, type VisitorRow } from '../chat.repo.ts';
import { newId } from '../../../../platform/ids.ts';

export type SendInput = { clientId: string; text: string; attachmentIds?: string[] };
export type SendResult = { message: TMessage; visitor: VisitorRow; isDuplicate: boolean; isNewConversation: boolean };

const contactFor = (v: VisitorRow) => v.is_identified
  ? { name: v.name, identities: [{ kind: 'external', value: v.external_id! }, ...(v.email ? [{ kind: 'email', value: v.email }] : [])] }
  // An anonymous visitor's email is unverified: kept on the contact as an attribute, never used to match another customer.
  : { name: v.name || 'Website visitor', identities: [{ kind: 'visitor', value: v.id }], customAttributes: v.email ? { chat_email: v.email } : {} };

/**
 * A visitor's message: the first one opens a conversation (and the customer record); later ones go to
 * the same conversation (reopening it if it was resolved). A resend with the same clientId returns the
 * stored message instead of storing it twice.
 */
export const sendVisitorMessage = async (deps: Deps, visitorId: string, input: SendInput): Promise<SendResult> => {
  const text = input.text.trim();
  const attachmentIds = [...new Set(input.attachmentIds ?? [])];
  if (!text && !attachmentIds.length) throw new AppError('VALIDATION_FAILED', { userMessage: 'Write a message or attach a file.', fields: [{ field: 'text', message: 'empty' }] });
  const ctx = systemCtx(deps);
  const now = deps.clock.iso();
  return deps.db.transaction(async (w) => {
    const visitor = await findVisitor(w.tx, visitorId);
    if (!visitor) throw new AppError('UNAUTHENTICATED', { userMessage: 'Unknown visitor; start a new chat session.' });
    // The clientId is claimed first: a resend finds it taken and gets the stored message back.
    const messageId = newId();
    if (!(await claimMessageKey(w.tx, visitor.id, input.clientId, messageId, now))) {
      const known = await findMessageKey(w.tx, visitor.id, input.clientId);
      const [message] = known ? await loadMessages(w.tx, { ids: [known.message_id] }) : [];
      if (message) return { message, visitor, isDuplicate: true, isNewConversation: false };
      await repointMessageKey(w.tx, visitor.id, input.clientId, messageId); // its message is gone: this one takes the key
    }
    if (attachmentIds.length && (await countOwnUploads(w.tx, visitor.id, attachmentIds)) !== attachmentIds.length) {
      throw new AppError('VALIDATION_FAILED', { userMessage: 'An attachment is unknown.', fields: [{ field: 'attachmentIds', message: 'unknown' }] });
    }
    const first = { id: messageId, kind: 'incoming' as const, text, attachmentIds, metadata: { clientId: input.clientId, channel: 'chat' } };
    let conversation = visitor.conversation_id ? await findConversationRow(w.tx, visitor.conversation_id) : undefined;
    // A merged conversation continues in the one it was merged into.
    for (let hops = 0; conversation?.merged_into_id && hops < 5; hops++) conversation = await findConversationRow(w.tx, conversation.merged_into_id);
    let message: TMessage;
    let isNewConversation = false;
    let contactId = visitor.contact_id;
    if (conversation) {
      message = await appendMessage(w, ctx, conversation, { ...first, authorContactId: conversation.contact_id });
    } else {
      contactId ??= (await findOrCreateContact(w, ctx, contactFor(visitor))).id;
      const created = await insertConversation(w, ctx, { inboxId: visitor.inbox_id, contactId, subject: '' }, first);
      message = created.message;
      isNewConversation = true;
    }
    const conversationId = message.conversationId;
    if (conversationId !== visitor.conversation_id || contactId !== visitor.contact_id) {
      await updateVisitor(w.tx, visitor.id, { conversation_id: conversationId, contact_id: contactId, updated_at: now });
    }
    return { message, visitor: { ...visitor, conversation_id: conversationId, contact_id: contactId }, isDuplicate: false, isNewConversation };
  });
};
