import type { Language } from '@careline/shared';
import type { Ctx } from '../../platform/context.ts';
import type { Tx } from '../../db/connection.ts';
import { SYSTEM } from '../../platform/context.ts';
import { hashToken, newId, newSecret } from '../../platform/ids.ts';
import { addHit, countHits } from '../../platform/rate-limit.ts';
import { enqueueSystemMail } from '../../platform/mail/system-mail.ts';
import { appendMessage, loadConversations, loadMessages } from '../conversations/index.ts';
import { updateConversation } from '../conversations/index.ts';
import { normaliseIdentity } from '../contacts/index.ts';
import { T } from '../knowledge/index.ts';

// Customer portal: a customer signs in with a one-time link emailed to them (stored hashed, 15 minutes,
// single use) and gets a portal session of its own. Everything they see is limited to the conversations
// of the contact that owns their email address — the one rule, applied in ownConversation().

export const LINK_TTL_MS = 15 * 60_000;
export const SESSION_TTL_MS = 7 * 24 * 3600_000;
export const LINKS_PER_EMAIL_PER_HOUR = 5;
export const PORTAL_COOKIE = 'careline_portal';

const contactByEmail = async (db: Tx, email: string) =>
  (await db.selectFrom('contact_identities').select('contact_id').where('kind', '=', 'email').where('value', '=', normaliseIdentity('email', email)).executeTakeFirst())?.contact_id ?? null;

/** Always answers the same way (no address enumeration); mails a link only to a known customer, a few times per hour. */
export const requestSignInLink = async (ctx: Ctx, rawEmail: string, lang: Language, businessName: string) => {
  const email = normaliseIdentity('email', rawEmail);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return;
  const now = ctx.clock.now();
  const key = `portal-link:${email}`;
  if (await countHits(ctx.db, key, now) >= LINKS_PER_EMAIL_PER_HOUR) return;
  await addHit(ctx.db, key, now, 3600_000);
  const contactId = await contactByEmail(ctx.db.kysely, email);
  if (!contactId) return;
  const token = newSecret('clp_');
  const link = `${ctx.config.publicUrl}/portal/auth?token=${encodeURIComponent(token)}&lang=${lang}`;
  await ctx.db.transaction(async (w) => {
    await w.tx.insertInto('portal_tokens').values({
      id: newId(), contact_id: contactId, email, token_hash: hashToken(token), created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + LINK_TTL_MS).toISOString(), used_at: null,
    }).execute();
    await enqueueSystemMail(w, ctx, { to: email, subject: T[lang].magicSubject(businessName), text: T[lang].magicBody(link, businessName) });
  });
};

/** Uses the link (once, before it expires) and opens a portal session; returns the session token for the cookie. */
export const consumeSignInLink = async (ctx: Ctx, token: string) => {
  const now = ctx.clock.iso();
  return ctx.db.transaction(async ({ tx }) => {
    const row = await tx.selectFrom('portal_tokens').select(['id', 'contact_id', 'email']).where('token_hash', '=', hashToken(token))
      .where('used_at', 'is', null).where('expires_at', '>', now).executeTakeFirst();
    if (!row) return null;
    const used = await tx.updateTable('portal_tokens').set({ used_at: now }).where('id', '=', row.id).where('used_at', 'is', null).executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) return null;
    const session = newSecret('cps_');
    await tx.insertInto('portal_sessions').values({
      id: newId(), contact_id: row.contact_id, email: row.email, token_hash: hashToken(session), created_at: now,
      expires_at: new Date(Date.parse(now) + SESSION_TTL_MS).toISOString(),
    }).execute();
    return session;
  });
};

/** timeZone: the contact's stored IANA zone, if any (times are shown in it). */
export type PortalCustomer = { contactId: string; email: string; timeZone: string | null };

/** The signed-in customer: the contact that owns the session's email address now (follows contact merges). */
export const findPortalCustomer = async (ctx: Ctx, sessionToken: string | undefined): Promise<PortalCustomer | null> => {
  if (!sessionToken) return null;
  const s = await ctx.db.kysely.selectFrom('portal_sessions').select(['contact_id', 'email']).where('token_hash', '=', hashToken(sessionToken))
    .where('expires_at', '>', ctx.clock.iso()).executeTakeFirst();
  if (!s) return null;
  const contactId = (await contactByEmail(ctx.db.kysely, s.email)) ?? s.contact_id;
  const contact = await ctx.db.kysely.selectFrom('contacts').select('time_zone').where('id', '=', contactId).executeTakeFirst();
  return { contactId, email: s.email, timeZone: contact?.time_zone ?? null };
};

export const signOut = (ctx: Ctx, sessionToken: string) =>
  ctx.db.transaction(({ tx }) => tx.deleteFrom('portal_sessions').where('token_hash', '=', hashToken(sessionToken)).execute());

export const listOwnConversations = async (ctx: Ctx, me: PortalCustomer) => {
  const rows = await ctx.db.kysely.selectFrom('conversations').select('id').where('contact_id', '=', me.contactId).where('merged_into_id', 'is', null)
    .orderBy('last_activity_at', 'desc').limit(200).execute();
  return loadConversations(ctx.db.kysely, rows.map((r) => r.id));
};

/** The isolation rule: a conversation exists for a customer only if it is theirs (else null → 404, same as unknown ids). */
export const ownConversation = async (ctx: Ctx, me: PortalCustomer, id: string) => {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const row = await ctx.db.kysely.selectFrom('conversations').selectAll().where('id', '=', id).where('contact_id', '=', me.contactId).executeTakeFirst();
  return row ?? null;
};

/** What the customer sees of a conversation: their messages and our replies, never internal notes or activity lines. */
export const customerThread = async (ctx: Ctx, conversationId: string) =>
  (await loadMessages(ctx.db.kysely, { conversationId })).filter((m) => m.kind === 'incoming' || m.kind === 'outgoing');

const contactCtx = (ctx: Ctx, me: PortalCustomer): Ctx => ({ ...ctx, actor: { type: 'contact', contactId: me.contactId } });

/** The customer writes again: an incoming message (reopens a resolved or closed conversation). */
export const replyAsCustomer = async (ctx: Ctx, me: PortalCustomer, id: string, text: string) => {
  const cc = contactCtx(ctx, me);
  return ctx.db.transaction(async (w) => {
    const row = await w.tx.selectFrom('conversations').selectAll().where('id', '=', id).where('contact_id', '=', me.contactId).executeTakeFirst();
    if (!row) return null;
    return appendMessage(w, cc, row, { kind: 'incoming', text, authorContactId: me.contactId, metadata: { source: 'portal' } });
  });
};

/** The customer closes their request: status closed, with an activity line for the agents. */
export const closeAsCustomer = async (ctx: Ctx, me: PortalCustomer, id: string) => {
  const row = await ownConversation(ctx, me, id);
  if (!row) return false;
  if (row.status === 'closed') return true;
  await updateConversation({ ...ctx, actor: SYSTEM }, id, { status: 'closed' });
  await ctx.db.transaction(async (w) => {
    const fresh = await w.tx.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    await appendMessage(w, contactCtx(ctx, me), fresh, { kind: 'activity', text: 'The customer closed this request in the portal.', metadata: { source: 'portal', action: 'closed' } });
  });
  return true;
};

/** An attachment of a customer-visible message of one of the customer's conversations. */
export const ownAttachment = async (ctx: Ctx, me: PortalCustomer, attachmentId: string) => {
  if (!/^[0-9a-f-]{36}$/i.test(attachmentId)) return null;
  const row = await ctx.db.kysely.selectFrom('attachments').innerJoin('messages', 'messages.id', 'attachments.message_id')
    .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
    .select(['attachments.filename', 'attachments.content_type', 'attachments.blob_key'])
    .where('attachments.id', '=', attachmentId).where('conversations.contact_id', '=', me.contactId).where('messages.kind', 'in', ['incoming', 'outgoing'])
    .executeTakeFirst();
  if (!row) return null;
  const data = await ctx.blobs.get(row.blob_key);
  return data ? { filename: row.filename, contentType: row.content_type, data } : null;
};
