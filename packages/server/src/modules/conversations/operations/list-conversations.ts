import type { Ctx } from '../../../platform/context.ts';
import type { ConversationStatus, Priority } from '@careline/shared';
import { requireUser } from '../../../platform/auth/access.ts';
import { sql } from 'kysely';
import { decodeCursor, decodeOffsetCursor, encodeCursor, encodeOffsetCursor } from '../../../platform/http/cursor.ts';
import { visibleInboxIds } from '../../inboxes/index.ts';
import { loadConversations } from '../conversations.repo.ts';
import { containsText } from '../../../db/dialect.ts';

export type ListConversationsQuery = {
  status?: ConversationStatus; assignee?: string; teamId?: string; inboxId?: string; tag?: string; priority?: Priority;
  contactId?: string; updatedSince?: string; q?: string; cursor?: string; limit: number;
  sort?: 'newest' | 'oldest' | 'waiting' | 'priority';
};

const PRIORITY_RANK = sql<number>`case priority when 'urgent' then 0 when 'high' then 1 when 'normal' then 2 else 3 end`;

/**
 * Newest (or oldest) activity first, keyset-paged on (last_activity_at, id) with an index per filter.
 * "waiting" (customer waiting longest: oldest last incoming message first, never-written last) and
 * "priority" (urgent first, then newest) are offset-paged.
 */
export const listConversations = async (ctx: Ctx, q: ListConversationsQuery) => {
  const me = requireUser(ctx.actor);
  const visible = await visibleInboxIds(ctx.db.kysely, ctx.actor);
  if (visible && !visible.length) return { items: [], nextCursor: null };
  const sort = q.sort ?? 'newest';
  let query = ctx.db.kysely.selectFrom('conversations').select(['id', 'last_activity_at']).limit(q.limit + 1);
  if (visible) query = query.where('inbox_id', 'in', visible);
  if (q.inboxId) query = query.where('inbox_id', '=', q.inboxId);
  if (q.status) query = query.where('status', '=', q.status);
  if (q.assignee === 'me') query = query.where('assignee_id', '=', me.id);
  else if (q.assignee === 'unassigned') query = query.where('assignee_id', 'is', null);
  else if (q.assignee) query = query.where('assignee_id', '=', q.assignee);
  if (q.teamId) query = query.where('team_id', '=', q.teamId);
  if (q.priority) query = query.where('priority', '=', q.priority);
  if (q.contactId) query = query.where('contact_id', '=', q.contactId);
  if (q.updatedSince) query = query.where('updated_at', '>=', new Date(q.updatedSince).toISOString());
  if (q.tag) query = query.where('id', 'in', (eb) => eb.selectFrom('conversation_tags').select('conversation_id').where('tag', '=', q.tag!));
  if (q.q) {
    const text = q.q;
    const number = /^#?\d{1,12}$/.test(text) ? Number(text.replace('#', '')) : null;
    query = query.where((eb) => eb.or([
      containsText('subject', text),
      containsText('last_message_preview', text),
      eb('contact_id', 'in', eb.selectFrom('contacts').select('id').where(containsText('name', text))),
      eb('contact_id', 'in', eb.selectFrom('contact_identities').select('contact_id').where(containsText('value', text))),
      ...(number !== null ? [eb('number', '=', number)] : []),
    ]));
  }
  let offset = 0;
  if (sort === 'newest' || sort === 'oldest') {
    const direction = sort === 'newest' ? 'desc' : 'asc';
    query = query.orderBy('last_activity_at', direction).orderBy('id', direction);
    const cursor = decodeCursor(q.cursor);
    if (cursor) query = query.where((eb) => eb(eb.refTuple('last_activity_at', 'id'), sort === 'newest' ? '<' : '>', eb.tuple(cursor.t, cursor.id)));
  } else {
    offset = decodeOffsetCursor(q.cursor);
    query = sort === 'waiting'
      ? query.orderBy(sql`case when last_incoming_at is null then 1 else 0 end`).orderBy('last_incoming_at', 'asc').orderBy('id', 'asc')
      : query.orderBy(PRIORITY_RANK).orderBy('last_activity_at', 'desc').orderBy('id', 'desc');
    query = query.offset(offset);
  }
  const rows = await query.execute();
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  const more = rows.length > q.limit && last;
  return {
    items: await loadConversations(ctx.db.kysely, page.map((r) => r.id)),
    nextCursor: !more ? null : sort === 'newest' || sort === 'oldest' ? encodeCursor(last.last_activity_at, last.id) : encodeOffsetCursor(offset + q.limit),
  };
};
