import type { z } from 'zod';
import type { ZEmailReplyRequest, ZForwardRequest, ZOutboundEmailRequest } from '@careline/shared';
import type { Ctx } from '../../../../platform/context.ts';
import { requireUser } from '../../../../platform/auth/access.ts';
import { AppError, notFound } from '../../../../platform/errors/app-error.ts';
import { appendMessage, getConversation, getVisibleConversationRow, insertConversation, loadMessages } from '../../../conversations/index.ts';
import { canSeeInbox, findInboxRow } from '../../../inboxes/index.ts';
import * as repo from '../email.repo.ts';
import { queueEmail, type OutgoingEmailMeta } from './send-mail.ts';
import { loadChannelConfig } from './settings.ts';

// What an agent does with email beyond a plain reply: CC/BCC, forwarding, starting a conversation.
type ReplyInput = z.output<typeof ZEmailReplyRequest>;
type ForwardInput = z.output<typeof ZForwardRequest>;
type OutboundInput = z.output<typeof ZOutboundEmailRequest>;

const emailConversation = async (ctx: Ctx, conversationId: string) => {
  const row = await getVisibleConversationRow(ctx, conversationId);
  const inbox = await findInboxRow(ctx.db.kysely, { id: row.inbox_id });
  if (!inbox || inbox.channel !== 'email') throw new AppError('VALIDATION_FAILED', { userMessage: 'This conversation is not in an email inbox.' });
  if (row.merged_into_id) throw new AppError('CONFLICT', { userMessage: 'This conversation was merged; reply in the conversation it was merged into.' });
  return { row, inbox };
};

/** Who the composer shows: the customer's address and the CC list carried over from the thread. */
export const getEmailConversationInfo = async (ctx: Ctx, conversationId: string) => {
  const { row } = await emailConversation(ctx, conversationId);
  const info = await repo.getEmailConversation(ctx.db.kysely, conversationId);
  return { conversationId, customerAddress: info?.customerAddress ?? null, cc: info?.cc ?? [], subject: row.subject };
};

/** A reply with an edited CC list and BCC. The CC list given becomes the conversation's CC list. */
export const sendEmailReply = async (ctx: Ctx, conversationId: string, input: ReplyInput) => {
  const user = requireUser(ctx.actor);
  await emailConversation(ctx, conversationId);
  return ctx.db.transaction(async (w) => {
    const conversation = await w.tx.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirstOrThrow();
    const info = await repo.getEmailConversation(w.tx, conversationId);
    const cc = input.cc ?? info?.cc ?? [];
    if (input.cc) await repo.saveEmailConversation(w.tx, conversationId, conversation.inbox_id, { customerAddress: info?.customerAddress ?? null, cc: input.cc }, ctx.clock.iso());
    const email: OutgoingEmailMeta = { cc, bcc: input.bcc };
    return appendMessage(w, ctx, conversation, { kind: 'outgoing', text: input.text, html: input.html ?? null, authorUserId: user.id, attachmentIds: input.attachmentIds, metadata: { email } });
  });
};

/**
 * Forwards the conversation (or some of its messages) to a third party: an internal note records it,
 * and the original messages travel as attached .eml files (their text when no original is stored).
 */
export const forwardConversation = async (ctx: Ctx, conversationId: string, input: ForwardInput) => {
  const user = requireUser(ctx.actor);
  const { inbox } = await emailConversation(ctx, conversationId);
  const all = await loadMessages(ctx.db.kysely, { conversationId });
  const picked = input.messageIds ? all.filter((m) => input.messageIds!.includes(m.id)) : all.filter((m) => m.kind === 'incoming' || m.kind === 'outgoing');
  if (input.messageIds && picked.length !== input.messageIds.length) throw notFound('Message');
  const withRaw = new Set<string>();
  for (const m of picked) if (await repo.findRawOf(ctx.db.kysely, m.id)) withRaw.add(m.id);
  const transcript = picked.filter((m) => !withRaw.has(m.id))
    .map((m) => `---------- ${m.kind === 'incoming' ? 'Customer' : 'Agent'}, ${m.createdAt} ----------\n${m.text}`).join('\n\n');
  const text = [input.text.trim(), transcript].filter(Boolean).join('\n\n') || 'Forwarded conversation attached.';
  return ctx.db.transaction(async (w) => {
    const conversation = await w.tx.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirstOrThrow();
    const email: OutgoingEmailMeta = { to: input.to, cc: input.cc, forward: { messageIds: [...withRaw], text } };
    const note = await appendMessage(w, ctx, conversation, {
      kind: 'note', text: `Forwarded to ${input.to.join(', ')}${input.cc.length ? ` (cc ${input.cc.join(', ')})` : ''}\n\n${text}`,
      authorUserId: user.id, deliveryState: 'queued', metadata: { email },
    });
    await queueEmail(w, ctx, { messageId: note.id, conversationId, inbox, kind: 'forward' });
    return note;
  });
};

/** A new email from an agent to a customer, starting a conversation; the customer's answer threads into it. */
export const sendOutboundEmail = async (ctx: Ctx, input: OutboundInput) => {
  const user = requireUser(ctx.actor);
  const inbox = await findInboxRow(ctx.db.kysely, { id: input.inboxId });
  if (!inbox || !(await canSeeInbox(ctx.db.kysely, ctx.actor, inbox.id))) throw notFound('Inbox');
  if (inbox.channel !== 'email') throw new AppError('VALIDATION_FAILED', { userMessage: 'Choose an email inbox.', fields: [{ field: 'body.inboxId', message: 'not an email inbox' }] });
  const to = input.to.toLowerCase();
  const { conversation } = await ctx.db.transaction(async (w) => {
    const email: OutgoingEmailMeta = { cc: input.cc, bcc: input.bcc, subject: input.subject, isNewThread: true };
    const r = await insertConversation(w, ctx, {
      inboxId: inbox.id, subject: input.subject, contact: { name: input.name || to.split('@')[0], identities: [{ kind: 'email', value: to }] }, assigneeId: user.id,
    }, { kind: 'outgoing', text: input.text, html: input.html ?? null, authorUserId: user.id, attachmentIds: input.attachmentIds, metadata: { email } });
    await repo.saveEmailConversation(w.tx, r.conversation.id, inbox.id, { customerAddress: to, cc: input.cc }, ctx.clock.iso());
    return r;
  });
  return getConversation(ctx, conversation.id);
};

export const saveMySignature = async (ctx: Ctx, inboxId: string, signature: string) => {
  const user = requireUser(ctx.actor);
  const inbox = await findInboxRow(ctx.db.kysely, { id: inboxId });
  if (!inbox || inbox.channel !== 'email' || !(await canSeeInbox(ctx.db.kysely, ctx.actor, inboxId))) throw notFound('Email inbox');
  await ctx.db.transaction(({ tx }) => repo.saveSignature(tx, inboxId, user.id, signature, ctx.clock.iso()));
  return { signature };
};

export const getMySignature = async (ctx: Ctx, inboxId: string) => {
  const user = requireUser(ctx.actor);
  const inbox = await findInboxRow(ctx.db.kysely, { id: inboxId });
  if (!inbox || inbox.channel !== 'email' || !(await canSeeInbox(ctx.db.kysely, ctx.actor, inboxId))) throw notFound('Email inbox');
  const [own, config] = await Promise.all([repo.getSignature(ctx.db.kysely, inboxId, user.id), loadChannelConfig(ctx.db.kysely, inboxId)]);
  // The inbox signature is what goes under a reply when you have none of your own, so every agent may see it.
  return { signature: own ?? '', inboxSignature: config.signature ?? '' };
};

/** The raw original of an incoming message, for agents who may see its conversation. */
export const getRawEmail = async (ctx: Ctx, messageId: string) => {
  const raw = await repo.findRawOf(ctx.db.kysely, messageId);
  if (!raw?.conversation_id) throw notFound('Original message');
  await getVisibleConversationRow(ctx, raw.conversation_id);
  const data = raw.raw_blob_key ? await ctx.blobs.get(raw.raw_blob_key) : null;
  if (!data) throw notFound('Original message');
  return data;
};
