import nodemailer, { type SendMailOptions } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { fillPlaceholders, type TMessage } from '@careline/shared';
import type { Deps } from '../../../../platform/context.ts';
import { systemCtx } from '../../../../platform/context.ts';
import type { Write } from '../../../../db/connection.ts';
import { PermanentJobError } from '../../../../platform/jobs/job-queue.ts';
import { loadConversations, loadMessages, setDeliveryState, type OutgoingSender } from '../../../conversations/index.ts';
import { loadContacts } from '../../../contacts/index.ts';
import { findInboxRow } from '../../../inboxes/index.ts';
import { loadUsers } from '../../../users/index.ts';
import * as repo from '../email.repo.ts';
import { loadChannel, type Channel } from './settings.ts';
import { newOutgoingMessageId } from './ingest-mail.ts';
import { replySubject } from './threading.ts';
import { accessTokenFor } from '../oauth.ts';

/**
 * Outgoing mail is a durable job: enqueued in the same transaction as the agent's message, sent by a
 * worker through the inbox's own SMTP server, retried with back-off, and reported on the message
 * (queued → sent | failed with the server's reason) and, through message.updated, in the realtime feed.
 * The Message-ID is fixed when the reply is stored, so a retry can never thread differently, and a
 * reply already marked sent is never sent again.
 */
export const EMAIL_SEND_QUEUE = 'email.send';
export const SEND_MAX_ATTEMPTS = 8;

/** What compose routes put in message metadata (`email`) to steer the send. */
export type OutgoingEmailMeta = { to?: string[]; cc?: string[]; bcc?: string[]; subject?: string; isNewThread?: boolean; forward?: { messageIds: string[]; text: string } };

/** Records our Message-ID and queues the send, inside the caller's transaction. */
export const queueEmail = async (w: Write, deps: Pick<Deps, 'jobs' | 'clock'>, args: { messageId: string; conversationId: string; inbox: { id: string; email_address: string | null }; kind?: 'message' | 'forward' }) => {
  await repo.insertEmailMessage(w.tx, {
    inbox_id: args.inbox.id, direction: 'out', header_message_id: newOutgoingMessageId(args.inbox.email_address), from_address: args.inbox.email_address,
    raw_sha256: null, raw_blob_key: null, conversation_id: args.conversationId, message_id: args.messageId, kind: args.kind ?? 'message',
    source: 'agent', sent_at: null, created_at: deps.clock.iso(),
  });
  await deps.jobs.enqueue(w, EMAIL_SEND_QUEUE, { messageId: args.messageId }, { maxAttempts: SEND_MAX_ATTEMPTS, dedupeKey: `email.send:${args.messageId}` });
};

export const emailSender: OutgoingSender = async (w, ctx, { messageId, conversation, inbox }) => {
  await queueEmail(w, ctx, { messageId, conversationId: conversation.id, inbox });
  return 'queued';
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
// A URL ends before whitespace, and before punctuation that closes the sentence rather than the address.
const URL_IN_TEXT = /https?:\/\/[^\s<>"]*[^\s<>".,;:!?)\]'’”]/g;
const linkified = (s: string) => {
  let out = ''; let at = 0;
  for (const m of s.matchAll(URL_IN_TEXT)) {
    out += escapeHtml(s.slice(at, m.index)) + `<a href="${escapeHtml(m[0])}">${escapeHtml(m[0])}</a>`;
    at = m.index + m[0].length;
  }
  return out + escapeHtml(s.slice(at));
};
/** The HTML part of a plain-text reply: paragraphs, line breaks, and links that can be clicked (an inserted article link). */
export const textToHtml = (s: string) => s.split(/\n{2,}/).map((p) => `<p>${linkified(p).replace(/\n/g, '<br>')}</p>`).join('\n');

export const transportFor = async (deps: Deps, channel: Channel) => {
  const smtp = channel.config.smtp;
  if (!smtp) throw new PermanentJobError('No outgoing SMTP server is configured for this inbox.');
  if (smtp.user && channel.secretsError) throw new Error(channel.secretsError);
  let auth: SMTPTransport.Options['auth'] | undefined;
  if (smtp.user && smtp.auth === 'oauth2') auth = { type: 'OAuth2', user: smtp.user, accessToken: await accessTokenFor(deps, channel) };
  else if (smtp.user) auth = { user: smtp.user, pass: channel.secrets.smtpPassword ?? '' };
  return nodemailer.createTransport({
    host: smtp.host, port: smtp.port, secure: smtp.secure, auth, tls: { rejectUnauthorized: smtp.isTlsVerified },
    connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000,
  } as SMTPTransport.Options);
};

/** The job: builds the message from what is stored and hands it to the inbox's SMTP server. */
export const registerEmailSending = (deps: Deps) => {
  deps.jobs.register(EMAIL_SEND_QUEUE, async ({ messageId }: { messageId: string }, job) => {
    const out = await repo.findOutgoingByMessage(deps.db.kysely, messageId);
    if (!out || out.sent_at) return; // deleted, or already sent: never send twice
    const [message] = await loadMessages(deps.db.kysely, { ids: [messageId] });
    if (!message) return;
    try {
      const mail = await buildMail(deps, message, out);
      const transport = await transportFor(deps, mail.channel);
      await transport.sendMail(mail.options);
      await deps.db.transaction(async (w) => {
        await w.tx.updateTable('email_messages').set({ sent_at: deps.clock.iso() }).where('id', '=', out.id).execute();
        await setDeliveryState(w, systemCtx(deps), messageId, 'sent');
      });
    } catch (error) {
      const e = error as { responseCode?: number; response?: string; message?: string; code?: string };
      const reason = (e.response || e.message || String(error)).slice(0, 1000);
      const permanent = error instanceof PermanentJobError || (typeof e.responseCode === 'number' && e.responseCode >= 500 && e.code !== 'EAUTH') || job.attempts >= SEND_MAX_ATTEMPTS;
      await deps.db.transaction((w) => setDeliveryState(w, systemCtx(deps), messageId, permanent ? 'failed' : 'queued', permanent ? reason : `Retrying after: ${reason}`));
      throw permanent && !(error instanceof PermanentJobError) ? new PermanentJobError(reason) : error;
    }
  }, { backoffMs: (attempt) => Math.min(30 * 60_000, 5_000 * 3 ** (attempt - 1)) * (0.8 + Math.random() * 0.4) });
};

const buildMail = async (deps: Deps, message: TMessage, out: repo.EmailMessageRow) => {
  const db = deps.db.kysely;
  const [conversation] = await loadConversations(db, [message.conversationId]);
  if (!conversation) throw new PermanentJobError('The conversation no longer exists.');
  const inbox = await findInboxRow(db, { id: conversation.inboxId });
  if (!inbox?.email_address) throw new PermanentJobError('The inbox has no email address.');
  const channel = await loadChannel(db, inbox.id, deps.config);
  const meta = ((message.metadata as { email?: OutgoingEmailMeta }).email ?? {}) as OutgoingEmailMeta;
  const info = await repo.getEmailConversation(db, conversation.id);

  let to = meta.to;
  if (!to?.length) {
    const [contact] = await loadContacts(db, [conversation.contactId]);
    const address = info?.customerAddress ?? contact?.identities.find((i) => i.kind === 'email')?.value;
    if (!address) throw new PermanentJobError('The customer has no email address.');
    to = [address];
  }
  const cc = meta.cc ?? (meta.forward ? [] : info?.cc ?? []);

  // Threading: In-Reply-To the newest message of the thread, References the chain (first + newest, capped).
  const thread = (await repo.threadMessageIds(db, conversation.id)).filter((r) => r.message_id !== message.id && r.header_message_id !== out.header_message_id);
  const chain = thread.map((r) => r.header_message_id!);
  const references = chain.length > 20 ? [chain[0]!, ...chain.slice(-19)] : chain;
  const inReplyTo = meta.forward ? undefined : [...thread].reverse().find((r) => r.direction === 'in')?.header_message_id ?? chain.at(-1);

  const [agent] = message.authorUserId ? await loadUsers(db, [message.authorUserId]) : [];
  const personal = message.authorUserId ? await repo.getSignature(db, inbox.id, message.authorUserId) : null;
  const signature = fillPlaceholders(personal ?? channel.config.signature, { 'agent.name': agent?.name ?? '', 'inbox.name': inbox.name }).trim();
  const bodyText = meta.forward?.text ?? message.text;
  const text = signature ? `${bodyText}\n\n-- \n${signature}` : bodyText;
  const html = `${(meta.forward ? null : message.html) ?? textToHtml(bodyText)}${signature ? `\n<div class="careline-signature"><br>-- <br>${escapeHtml(signature).replace(/\n/g, '<br>')}</div>` : ''}`;

  const attachmentRows = message.attachments.length
    ? await db.selectFrom('attachments').select(['id', 'blob_key', 'filename', 'content_type']).where('message_id', '=', message.id).execute() : [];
  const attachments = [];
  for (const a of attachmentRows) {
    const content = await deps.blobs.get(a.blob_key);
    if (content) attachments.push({ filename: a.filename, contentType: a.content_type, content });
  }
  for (const id of meta.forward?.messageIds ?? []) {
    const raw = await repo.findRawOf(db, id);
    const content = raw?.raw_blob_key ? await deps.blobs.get(raw.raw_blob_key) : null;
    if (content && raw?.conversation_id === conversation.id) attachments.push({ filename: `message-${attachments.length + 1}.eml`, contentType: 'message/rfc822', contentDisposition: 'attachment' as const, content });
  }

  const subject = meta.forward ? replySubject(meta.subject ?? conversation.subject, conversation.number, 'Fwd: ')
    : meta.isNewThread ? `${meta.subject ?? conversation.subject} [#${conversation.number}]` : replySubject(conversation.subject, conversation.number);
  const options: SendMailOptions = {
    from: { name: channel.config.fromName || inbox.business_name || inbox.name, address: inbox.email_address },
    to, cc: cc.length ? cc : undefined, bcc: meta.bcc?.length ? meta.bcc : undefined,
    subject, text, html, attachments,
    messageId: `<${out.header_message_id}>`,
    inReplyTo: inReplyTo ? `<${inReplyTo}>` : undefined,
    references: references.length && !meta.forward ? references.map((r) => `<${r}>`) : undefined,
    headers: { 'X-Careline-Message': message.id },
    date: new Date(message.createdAt),
  };
  return { channel, options };
};
