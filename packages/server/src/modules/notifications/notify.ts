import type { DomainEvent, Language, NotificationKind, PushPayload, TConversation, TMessage } from '@careline/shared';
import { LANGUAGES } from '@careline/shared';
import type { Write } from '../../db/connection.ts';
import type { Deps } from '../../platform/context.ts';
import { canSeeInbox } from '../inboxes/index.ts';
import { findConversationRow } from '../conversations/index.ts';
import { preferencesOf } from './preferences.ts';
import { PUSH_TITLES, UNKNOWN_CUSTOMER } from './texts.ts';

export const PUSH_QUEUE = 'notifications.push';

type Recipient = { userId: string; kind: NotificationKind };
const PREF_OF = { assigned: 'assigned', mention: 'mention', customer_reply: 'customerReply' } as const;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Users named in a note as @Full Name, @FirstName or @email-local-part. */
export const mentionedUserIds = (text: string, users: { id: string; name: string; email: string }[]) => {
  if (!text.includes('@')) return [];
  return users.filter((u) => {
    const names = [u.name, u.name.trim().split(/\s+/)[0] ?? '', u.email.split('@')[0] ?? ''].filter((n) => n.length >= 2);
    return names.some((n) => new RegExp(`(^|[^\\p{L}\\p{N}@.])@${escapeRegExp(n)}(?![\\p{L}\\p{N}])`, 'iu').test(text));
  }).map((u) => u.id);
};

/** Who acted last on this conversation (from the audit log written in the same transaction). */
const lastActorId = async (w: Write, conversationId: string, actions: string[]) => {
  const row = await w.tx.selectFrom('audit_log').select('actor_id').where('entity', '=', 'conversation').where('entity_id', '=', conversationId)
    .where('action', 'in', actions).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row?.actor_id ?? null;
};

const recipientsOf = async (w: Write, event: DomainEvent): Promise<{ conversationId: string; recipients: Recipient[]; authorName: string }> => {
  const none = { conversationId: '', recipients: [], authorName: '' };
  if (event.name === 'conversation.created' || event.name === 'conversation.assigned') {
    const c = event.data.conversation as TConversation;
    const from = (event.data.from as { assigneeId?: string | null } | undefined)?.assigneeId ?? null;
    if (!c.assigneeId || c.assigneeId === from) return none;
    const actor = await lastActorId(w, c.id, event.name === 'conversation.created' ? ['created'] : ['assigned']);
    if (actor === c.assigneeId) return none; // nobody needs to be told they took a conversation themselves
    return { conversationId: c.id, recipients: [{ userId: c.assigneeId, kind: 'assigned' }], authorName: '' };
  }
  if (event.name !== 'message.created') return none;
  const m = event.data.message as TMessage;
  if (m.kind !== 'incoming' && m.kind !== 'note') return none; // replies and activity notify nobody: no need to read the conversation
  const conversation = await findConversationRow(w.tx, m.conversationId);
  if (!conversation) return none;
  if (m.kind === 'incoming') {
    if (!conversation.assignee_id || conversation.created_at === m.createdAt) return none; // a new conversation is not a reply
    return { conversationId: conversation.id, recipients: [{ userId: conversation.assignee_id, kind: 'customer_reply' }], authorName: '' };
  }
  // A note: the users it mentions.
  const users = await w.tx.selectFrom('users').select(['id', 'name', 'email']).where('is_disabled', '=', false).execute();
  const author = users.find((u) => u.id === m.authorUserId);
  const ids = mentionedUserIds(m.text, users).filter((id) => id !== m.authorUserId);
  return { conversationId: conversation.id, recipients: ids.map((userId) => ({ userId, kind: 'mention' as const })), authorName: author?.name ?? '' };
};

/**
 * Runs inside the transaction that emitted the event: decides who is told (their preference on, and
 * allowed to see the inbox), writes the text in their language, and enqueues one durable push job per
 * device. The job sends after commit, so a rolled-back change never notifies anyone.
 */
export const enqueueNotifications = (deps: Deps) => async (w: Write, event: DomainEvent) => {
  if (!['conversation.created', 'conversation.assigned', 'message.created'].includes(event.name)) return;
  const { conversationId, recipients, authorName } = await recipientsOf(w, event);
  if (!recipients.length) return;
  const conv = await w.tx.selectFrom('conversations').leftJoin('contacts', 'contacts.id', 'conversations.contact_id')
    .select(['conversations.number', 'conversations.inbox_id', 'conversations.subject', 'conversations.last_message_preview', 'contacts.name as contact_name'])
    .where('conversations.id', '=', conversationId).executeTakeFirstOrThrow();
  for (const r of recipients) {
    const user = await w.tx.selectFrom('users').select(['id', 'role', 'name', 'email', 'language', 'time_zone', 'is_disabled']).where('id', '=', r.userId).executeTakeFirst();
    if (!user || user.is_disabled) continue;
    if (!(await preferencesOf(w.tx, user.id))[PREF_OF[r.kind]]) continue;
    const actor = { type: 'user' as const, via: 'session' as const, user: { id: user.id, role: user.role as 'agent', name: user.name, email: user.email, language: user.language, timeZone: user.time_zone } };
    if (!(await canSeeInbox(w.tx, actor, conv.inbox_id))) continue;
    const subs = await w.tx.selectFrom('push_subscriptions').select('id').where('user_id', '=', user.id).execute();
    if (!subs.length) continue;
    const lang: Language = (LANGUAGES as readonly string[]).includes(user.language) ? (user.language as Language) : 'en';
    const customer = conv.contact_name?.trim() || UNKNOWN_CUSTOMER[lang];
    const message = event.name === 'message.created' ? (event.data.message as TMessage).text : conv.subject || conv.last_message_preview;
    const payload: PushPayload = {
      kind: r.kind, title: PUSH_TITLES[lang][r.kind]({ number: Number(conv.number), customer, author: authorName }),
      body: message.replace(/\s+/g, ' ').trim().slice(0, 180), conversationId, url: `/conversations/${conversationId}`, tag: `conversation-${conversationId}`,
    };
    for (const s of subs) await deps.jobs.enqueue(w, PUSH_QUEUE, { subscriptionId: s.id, payload }, { maxAttempts: 5, dedupeKey: `push:${event.id}:${s.id}` });
  }
};
