import { createHash } from 'node:crypto';
import type { Deps } from '../../../../platform/context.ts';
import { systemCtx } from '../../../../platform/context.ts';
import { latencyTolerant, type Write } from '../../../../db/connection.ts';
import { newId } from '../../../../platform/ids.ts';
import { prepared } from '../../../../db/prepared.ts';
import { AppError } from '../../../../platform/errors/app-error.ts';
import { appendMessage, insertAttachments, insertConversation, prepareAttachment, setDeliveryState } from '../../../conversations/index.ts';
import { findOrCreateContact, loadContacts } from '../../../contacts/index.ts';
import type { Address, ParsedEmail } from '../parse/parse-mail.ts';
import { classifyEmail, type Automation } from '../parse/classify.ts';
import { prepareInPool } from '../parse/parse-pool.ts';
import { resolveCids, type PreparedEmail } from '../parse/prepare.ts';
import * as repo from '../email.repo.ts';
import { resolveInboxAddress } from './settings.ts';
import { stripSubjectToken, subjectToken } from './threading.ts';

/**
 * The one path by which an email enters Careline, whatever the route (SMTP listener, IMAP, raw-MIME
 * webhook, backfill). Resolves only after the message is committed (or recognised as already stored),
 * so the caller may then answer 250 / 202 / mark it seen. Never rejects because of the message's
 * content: unparseable mail is stored with its raw original and a warning.
 */
export type IngestSource = 'smtp' | 'imap' | 'webhook' | 'backfill';
export type IngestInput = {
  inboxId: string; raw: Buffer; source: IngestSource; recipients?: string[];
  /** The parse already started (IMAP starts the next messages' parses while it stores this one). */
  prepared?: Promise<PreparedEmail>;
};
export type IngestResult =
  | { status: 'stored'; conversationId: string; messageId: string; isNewConversation: boolean; automation: Automation }
  | { status: 'duplicate'; conversationId: string | null; messageId: string | null }
  | { status: 'ignored'; reason: string };

/** Messages from one sender per hour beyond which we assume two robots are answering each other. */
const LOOP_LIMIT_PER_HOUR = 30;

export class DuplicateEmail extends Error {}

// Its writes (raw original, attachments, the message) may wait a few ms to share a commit (db/connection.ts).
export const ingestMail = (deps: Deps, input: IngestInput): Promise<IngestResult> => latencyTolerant(() => ingest(deps, input));

const ingest = async (deps: Deps, input: IngestInput): Promise<IngestResult> => {
  const ctx = systemCtx(deps);
  const sha256 = createHash('sha256').update(input.raw).digest('hex');
  // The same raw bytes already stored (a re-fetch, a repeated backfill): answered before paying for a parse.
  const sameBytes = input.prepared ? null : await repo.findDuplicate(deps.db.kysely, input.inboxId, { sha256 });
  if (sameBytes) return { status: 'duplicate', conversationId: sameBytes.conversation_id, messageId: sameBytes.message_id };
  // Parsing, sanitising and quote folding run in the worker pool; this thread only threads, stores and emits.
  const { mail, body: prepared } = await (input.prepared ?? prepareInPool(input.raw, deps.config.EMAIL_PARSE_WORKERS));
  // The same raw bytes (checked here when the caller parsed ahead) or the same Message-ID in this inbox.
  const dup = await repo.findDuplicate(deps.db.kysely, input.inboxId, { sha256: input.prepared ? sha256 : undefined, headerMessageId: mail.messageId });
  if (dup) return { status: 'duplicate', conversationId: dup.conversation_id, messageId: dup.message_id };
  // Our own mail coming back (an inbox CC'd, a system notification, a forwarding loop): keep it out of conversations.
  const ourAddresses = await ownAddresses(deps, input.inboxId);

  const now = ctx.clock.iso();
  const loop = detectOwnMail(ourAddresses, mail);
  // The raw original and the attachments are written (and fsynced) in parallel, before the transaction.
  const rawPut = deps.blobs.put(input.raw, sha256);
  const attachmentsPut = (async () => {
    const out = [];
    for (const a of loop ? [] : mail.attachments) {
      const file = { filename: a.filename, contentType: a.contentType, data: a.content, contentId: a.contentId };
      out.push({ ...(await prepareAttachment(ctx, file)), contentId: a.contentId, isInline: a.isInline });
    }
    return out;
  })();
  const [{ key: rawKey }, stored] = await Promise.all([rawPut, attachmentsPut]);
  const base = {
    inbox_id: input.inboxId, direction: 'in', header_message_id: mail.messageId, from_address: mail.from?.address ?? null,
    raw_sha256: sha256, raw_blob_key: rawKey, source: input.source, sent_at: null, created_at: now,
  };
  if (loop) {
    try {
      await deps.db.transaction(({ tx }) => repo.insertEmailMessage(tx, { ...base, conversation_id: null, message_id: null, kind: 'loop' }));
    } catch (e) { if (!isUniqueViolation(e)) throw e; }
    return { status: 'ignored', reason: loop };
  }

  let automation = classifyEmail(mail);
  if (!automation && mail.from && await repo.countRecentFrom(deps.db.kysely, input.inboxId, mail.from.address, new Date(ctx.clock.now().getTime() - 3600_000).toISOString()) >= LOOP_LIMIT_PER_HOUR) {
    automation = { kind: 'auto_reply', reason: `more than ${LOOP_LIMIT_PER_HOUR} messages from this sender in an hour (mail loop?)` };
  }

  // The message claims the attachments stored above (their rows are inserted in its transaction).
  const urls = stored.map((s) => s.url);
  const body = {
    ...prepared, html: resolveCids(prepared.html, urls),
    full: prepared.full && { text: prepared.full.text, html: resolveCids(prepared.full.html, urls) },
  };
  const hasInlineImages = stored.some((s) => s.isInline);
  const text = hasInlineImages ? body.text.replace(/\[image: [^\]\n]{0,300}\]/g, '').trim() : body.text;

  const customer = customerAddressOf(mail);
  const cc = [...mail.to, ...mail.cc].map((a) => a.address).filter((a) => !ourAddresses.has(baseAddress(a)) && a !== customer?.address);
  const emailMeta = {
    messageId: mail.messageId, from: mail.from, replyTo: mail.replyTo, to: mail.to, cc: mail.cc, subject: mail.subject, date: mail.date,
    isTrimmed: body.isTrimmed, full: body.full, automated: automation?.kind ?? null, automatedReason: automation?.reason ?? null,
    bounce: automation?.kind === 'bounce' ? mail.bounce : null, warnings: mail.warnings, source: input.source,
    inlineAttachmentIds: stored.filter((s) => s.isInline).map((s) => s.id),
  };

  // A unique violation is either this message already stored (a duplicate) or a race with a concurrent
  // message (two first mails from one new customer both creating the contact): then simply try again.
  for (let attempt = 1; ; attempt++) try {
    return await deps.db.transaction(async (w) => {
      await insertAttachments(w, stored.map((s) => s.row));
      const conversation = await findThread(w, input.inboxId, mail, customer?.address ?? null, input.recipients ?? []);
      const contact = customer
        ? await findOrCreateContact(w, ctx, { name: customer.name || customer.address.split('@')[0], identities: [{ kind: 'email', value: customer.address }] })
        : await findOrCreateContact(w, ctx, { name: mail.from?.name || 'Unknown sender' });
      const message = {
        kind: 'incoming' as const, text, html: body.html, authorContactId: contact.id, externalId: mail.messageId,
        isAutomated: !!automation, attachmentIds: stored.map((s) => s.id),
        metadata: { email: emailMeta },
      };
      let conversationId: string; let messageId: string; let isNew = false;
      if (conversation) {
        const m = await appendMessage(w, ctx, conversation, message);
        conversationId = conversation.id; messageId = m.id;
      } else {
        const r = await insertConversation(w, ctx, { inboxId: input.inboxId, contactId: contact.id, subject: stripSubjectToken(mail.subject) }, message);
        conversationId = r.conversation.id; messageId = r.message.id; isNew = true;
      }
      // A duplicate that raced us fails here on the unique index, and its savepoint is rolled back.
      await repo.insertEmailMessage(w.tx, { ...base, conversation_id: conversationId, message_id: messageId, kind: automation?.kind ?? 'message' });
      const existing = isNew ? null : await repo.getEmailConversation(w.tx, conversationId);
      if (!existing || (!automation && customer)) {
        const mergedCc = [...new Set([...(existing?.cc ?? []), ...cc])].filter((a) => a !== (existing?.customerAddress ?? customer?.address));
        await repo.saveEmailConversation(w.tx, conversationId, input.inboxId, {
          customerAddress: existing?.customerAddress ?? customer?.address ?? null, cc: automation ? existing?.cc ?? [] : mergedCc,
        }, now);
      }
      if (automation?.kind === 'bounce') await markBounced(w, deps, input.inboxId, mail);
      return { status: 'stored' as const, conversationId, messageId, isNewConversation: isNew, automation };
    });
  } catch (e) {
    const lostRace = e instanceof AppError && e.code === 'IDENTITY_TAKEN'; // the contact was created by a concurrent message
    if (!isUniqueViolation(e) && !lostRace) throw e;
    const dup = await repo.findDuplicate(deps.db.kysely, input.inboxId, { sha256, headerMessageId: mail.messageId });
    if (dup) return { status: 'duplicate', conversationId: dup.conversation_id, messageId: dup.message_id };
    if (attempt >= 5) throw e;
  }
};

/** Reply-To when present (unless it points back at us), else the real sender behind a group rewrite, else From. */
const customerAddressOf = (mail: ParsedEmail): Address | null => {
  if (mail.originalSender) return { address: mail.originalSender, name: mail.from?.name ?? '' };
  if (mail.replyTo) return { address: mail.replyTo.address, name: mail.replyTo.name || mail.from?.name || '' };
  return mail.from;
};

const baseAddress = (a: string) => a.replace(/\+[^@]*@/, '@');

const inboxAddressesQuery = prepared((db, inboxId: string) => db.selectFrom('inboxes').select(['id', 'email_address'])
  .where((eb) => eb.or([eb('email_address', 'is not', null), eb('id', '=', inboxId)])));
/** Every inbox address (lower case) and the system sender; throws when the receiving inbox is gone. */
const ownAddresses = async (deps: Deps, inboxId: string) => {
  const { rows } = await inboxAddressesQuery(deps.db.kysely, inboxId);
  if (!rows.some((r) => r.id === inboxId)) throw new Error(`inbox ${inboxId} not found`);
  const set = new Set(rows.filter((r) => r.email_address).map((r) => r.email_address!.toLowerCase()));
  const system = /<?([^\s<>]+@[^\s<>]+)>?\s*$/.exec(deps.config.SYSTEM_MAIL_FROM)?.[1];
  if (system) set.add(system.toLowerCase());
  return set;
};

const detectOwnMail = (ours: Set<string>, mail: ParsedEmail) => {
  if (mail.headers['x-careline-message']) return 'sent by Careline (X-Careline-Message)';
  const from = mail.from?.address;
  if (from && ours.has(baseAddress(from))) return `sent from our own address ${from}`;
  return null;
};

/** In-Reply-To / References (ours and the customer's), then the subject token or plus-address, else null. */
const findThread = async (w: Write, inboxId: string, mail: ParsedEmail, sender: string | null, recipients: string[]) => {
  const ids = [...mail.inReplyTo, ...[...mail.references].reverse()];
  if (mail.bounce?.originalMessageId) ids.unshift(mail.bounce.originalMessageId);
  let conversationId = await repo.findConversationByMessageIds(w.tx, inboxId, ids);
  if (!conversationId) {
    const numbers = [subjectToken(mail.subject), ...plusTags(mail, recipients)].filter((n): n is number => n !== null);
    for (const number of numbers) {
      const c = await w.tx.selectFrom('conversations').select(['id', 'contact_id']).where('number', '=', number).where('inbox_id', '=', inboxId).executeTakeFirst();
      // A token is guessable: only the conversation's own participants may thread by it.
      if (c && sender && await isParticipant(w, c.id, c.contact_id, sender)) { conversationId = c.id; break; }
    }
  }
  if (!conversationId) return null;
  for (let hops = 0; hops < 5; hops++) {
    const row = await w.tx.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirst();
    if (!row) return null;
    if (!row.merged_into_id) return row;
    conversationId = row.merged_into_id;
  }
  return null;
};

const plusTags = (mail: ParsedEmail, recipients: string[]) =>
  [...recipients, ...mail.to.map((a) => a.address), ...mail.cc.map((a) => a.address), ...mail.deliveredTo]
    .map((a) => /^[^+@]+\+(?:c|ticket-?)?(\d{1,12})@/i.exec(a)?.[1]).filter((n): n is string => !!n).map(Number);

const isParticipant = async (w: Write, conversationId: string, contactId: string, sender: string) => {
  const [contact] = await loadContacts(w.tx, [contactId]);
  if (contact?.identities.some((i) => i.kind === 'email' && i.value === sender)) return true;
  const info = await repo.getEmailConversation(w.tx, conversationId);
  return !!info && (info.customerAddress === sender || info.cc.includes(sender));
};

/** A delivery failure report marks our outgoing message it refers to as failed, with the server's reason. */
const markBounced = async (w: Write, deps: Deps, inboxId: string, mail: ParsedEmail) => {
  const ids = [mail.bounce?.originalMessageId, ...mail.inReplyTo, ...mail.references].filter((x): x is string => !!x);
  for (const id of ids) {
    const out = await repo.findOutgoingByHeaderId(w.tx, inboxId, id);
    if (!out?.message_id) continue;
    const b = mail.bounce;
    const reason = [b?.status && `Status ${b.status}`, b?.diagnostic, b?.recipients.length ? `for ${b.recipients.join(', ')}` : null].filter(Boolean).join(' — ') || 'The message bounced.';
    await setDeliveryState(w, systemCtx(deps), out.message_id, 'failed', `Bounced: ${reason}`.slice(0, 1000));
    return;
  }
};

export const isUniqueViolation = (e: unknown) => {
  const err = e as { code?: string; message?: string; errcode?: number };
  return err?.code === '23505' || /UNIQUE constraint failed/i.test(String(err?.message ?? '')) || err?.code === 'ERR_SQLITE_ERROR' && /UNIQUE/i.test(String(err?.message));
};

export const newOutgoingMessageId = (inboxAddress: string | null) => `careline.${newId()}@${(inboxAddress ?? 'careline.invalid').split('@')[1] ?? 'careline.invalid'}`;

