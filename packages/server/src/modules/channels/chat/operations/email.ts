import type { Deps } from '../../../../platform/context.ts';
import { systemCtx } from '../../../../platform/context.ts';
import { AppError } from '../../../../platform/errors/app-error.ts';
import { enqueueSystemMail } from '../../../../platform/mail/system-mail.ts';
import { appendMessage, loadMessages } from '../../../conversations/index.ts';
import { findVisitor, findVisitorByConversation, updateVisitor } from '../chat.repo.ts';
import { textsFor } from '../i18n.ts';
import type { AgentNames } from '../chat-messages.ts';
import type { InboxCache } from '../inbox-cache.ts';
import { isVisitorVisible } from '../chat-messages.ts';

export const FOLLOW_UP_QUEUE = 'chat.email-follow-up';

/**
 * Offline mode: the visitor leaves an email address so the answer can follow by email. Agents see it
 * as an activity line in the conversation.
 */
export const captureEmail = async (deps: Deps, visitorId: string, input: { email: string; name?: string }) => {
  const email = input.email.trim().toLowerCase();
  return deps.db.transaction(async (w) => {
    const visitor = await findVisitor(w.tx, visitorId);
    if (!visitor) throw new AppError('UNAUTHENTICATED', { userMessage: 'Unknown visitor; start a new chat session.' });
    if (visitor.is_identified && visitor.email && visitor.email !== email) {
      throw new AppError('CONFLICT', { userMessage: 'You are signed in; replies go to the address of your account.' });
    }
    await updateVisitor(w.tx, visitor.id, { email, ...(input.name ? { name: input.name } : {}), updated_at: deps.clock.iso() });
    if (visitor.conversation_id && visitor.email !== email) {
      const conversation = await w.tx.selectFrom('conversations').selectAll().where('id', '=', visitor.conversation_id).executeTakeFirst();
      if (conversation) await appendMessage(w, systemCtx(deps), conversation, { kind: 'activity', text: textsFor('en').emailLeft(email), metadata: { chatEmail: email } });
    }
    return { ...visitor, email, ...(input.name ? { name: input.name } : {}) };
  });
};

const lineOf = (m: { kind: string; text: string; createdAt: string; authorUserId: string | null; attachments: { filename: string }[] }, you: string, names: AgentNames, business: string) =>
  `[${m.createdAt.slice(0, 16).replace('T', ' ')} UTC] ${m.kind === 'incoming' ? you : names.nameOf(m.authorUserId) ?? business}: ${m.text}` +
  (m.attachments.length ? ` (${m.attachments.map((a) => a.filename).join(', ')})` : '');

/** The whole visible conversation by email, on the visitor's request. */
export const sendTranscript = async (deps: Deps, visitorId: string, inboxes: InboxCache, names: AgentNames, email?: string) => {
  const visitor = await findVisitor(deps.db.kysely, visitorId);
  if (!visitor) throw new AppError('UNAUTHENTICATED', { userMessage: 'Unknown visitor; start a new chat session.' });
  const to = email?.toLowerCase() ?? visitor.email;
  if (!to) throw new AppError('VALIDATION_FAILED', { userMessage: 'Enter an email address for the transcript.', fields: [{ field: 'email', message: 'required' }] });
  if (visitor.is_identified && visitor.email && to !== visitor.email) throw new AppError('CONFLICT', { userMessage: 'You are signed in; the transcript goes to the address of your account.' });
  if (!visitor.conversation_id) throw new AppError('CONFLICT', { userMessage: 'There is no conversation to send yet.' });
  const inbox = await inboxes.byId(visitor.inbox_id);
  const messages = (await loadMessages(deps.db.kysely, { conversationId: visitor.conversation_id })).filter(isVisitorVisible);
  await names.ensure(messages);
  const t = textsFor(visitor.language);
  const business = inbox.row.business_name || inbox.row.name;
  const text = [t.transcriptIntro(business), '', ...messages.map((m) => lineOf(m, t.you, names, business))].join('\n');
  await deps.db.transaction(async (w) => {
    if (!visitor.email) await updateVisitor(w.tx, visitor.id, { email: to, updated_at: deps.clock.iso() });
    await enqueueSystemMail(w, deps, { to, subject: t.transcriptSubject(business), text });
  });
  return { email: to, messages: messages.length };
};

/**
 * Runs some minutes after an agent replied: replies the visitor has not read by then are emailed to
 * them (when they left an address), and the conversation continues by email. Each reply is emailed once.
 */
export const sendFollowUp = async (deps: Deps, names: AgentNames, inboxes: InboxCache, conversationId: string) => {
  const visitor = await findVisitorByConversation(deps.db.kysely, conversationId);
  if (!visitor?.email) return 0;
  const inbox = await inboxes.byId(visitor.inbox_id);
  const messages = await loadMessages(deps.db.kysely, { conversationId });
  const unread = messages.filter((m) => m.kind === 'outgoing' && m.deliveryState !== 'read' && (!visitor.emailed_through || m.createdAt > visitor.emailed_through));
  if (!unread.length) return 0;
  await names.ensure(unread);
  const t = textsFor(visitor.language);
  const business = inbox.row.business_name || inbox.row.name;
  const through = unread.at(-1)!.createdAt;
  const [conv] = await deps.db.kysely.selectFrom('conversations').select('number').where('id', '=', conversationId).execute();
  const sent = await deps.db.transaction(async (w) => {
    // Claims the messages, so two nodes never email the same reply.
    const claimed = await w.tx.updateTable('chat_visitors').set({ emailed_through: through })
      .where('id', '=', visitor.id).where((eb) => eb.or([eb('emailed_through', 'is', null), eb('emailed_through', '<', through)])).executeTakeFirst();
    if (!Number(claimed.numUpdatedRows)) return 0;
    await enqueueSystemMail(w, deps, {
      to: visitor.email!, subject: `${t.followUpSubject(business)} [#${conv?.number ?? ''}]`,
      text: [t.followUpIntro(business), '', ...unread.map((m) => `${names.nameOf(m.authorUserId) ?? business}: ${m.text}`), '', t.followUpOutro].join('\n'),
      ...(inbox.settings.replyToEmail ? { replyTo: inbox.settings.replyToEmail } : {}),
      headers: { 'X-Careline-Conversation': conversationId },
    });
    return unread.length;
  });
  return sent;
};
