import type { Ctx } from '../../../platform/context.ts';
import { requireUser } from '../../../platform/auth/access.ts';
import { visibleInboxIds } from '../../inboxes/index.ts';
import { getVisibleConversationRow } from './get-conversation.ts';

/** The agent has seen this conversation up to now (unread = a customer message after this marker). */
export const markConversationRead = async (ctx: Ctx, conversationId: string) => {
  const me = requireUser(ctx.actor);
  await getVisibleConversationRow(ctx, conversationId);
  const at = ctx.clock.iso();
  await ctx.db.transaction(({ tx }) => tx.insertInto('conversation_reads').values({ user_id: me.id, conversation_id: conversationId, last_read_at: at })
    .onConflict((oc) => oc.columns(['user_id', 'conversation_id']).doUpdateSet({ last_read_at: at })).execute());
  return { lastReadAt: at };
};

/** For list rows: customer name and first handle, and my read marker, for up to 100 conversations I may see. */
export const rowDetails = async (ctx: Ctx, ids: string[]) => {
  const me = requireUser(ctx.actor);
  const wanted = [...new Set(ids)].filter((id) => /^[0-9a-f-]{36}$/i.test(id)).slice(0, 100);
  if (!wanted.length) return {};
  const visible = await visibleInboxIds(ctx.db.kysely, ctx.actor);
  let q = ctx.db.kysely.selectFrom('conversations')
    .innerJoin('contacts', 'contacts.id', 'conversations.contact_id')
    .leftJoin('conversation_reads as r', (j) => j.onRef('r.conversation_id', '=', 'conversations.id').on('r.user_id', '=', me.id))
    .select(['conversations.id', 'conversations.contact_id', 'contacts.name', 'r.last_read_at']).where('conversations.id', 'in', wanted);
  if (visible) { if (!visible.length) return {}; q = q.where('conversations.inbox_id', 'in', visible); }
  const rows = await q.execute();
  const contactIds = [...new Set(rows.map((r) => r.contact_id))];
  const identities = contactIds.length ? await ctx.db.kysely.selectFrom('contact_identities').select(['contact_id', 'kind', 'value'])
    .where('contact_id', 'in', contactIds).orderBy('created_at').execute() : [];
  const handle = (contactId: string) => {
    const mine = identities.filter((i) => i.contact_id === contactId);
    return (mine.find((i) => i.kind === 'email') ?? mine.find((i) => i.kind === 'phone') ?? mine[0])?.value ?? null;
  };
  return Object.fromEntries(rows.map((r) => [r.id, { contactName: r.name, contactHandle: handle(r.contact_id), lastReadAt: r.last_read_at ?? null }]));
};
