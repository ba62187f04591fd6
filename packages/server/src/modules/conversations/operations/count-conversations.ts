import { sql } from 'kysely';
import type { Ctx } from '../../../platform/context.ts';
import type { TConversationCounts } from '@careline/shared';
import { CONVERSATION_STATUSES } from '@careline/shared';
import { requireUser } from '../../../platform/auth/access.ts';
import { visibleInboxIds } from '../../inboxes/index.ts';

/**
 * Badge numbers for the agent app's views: open conversations that are mine, unassigned and all, per
 * inbox and per team, every status, and how many of the open ones have a customer message newer than
 * my read marker. Scoped to the inboxes the actor may see.
 */
export const countConversations = async (ctx: Ctx): Promise<TConversationCounts> => {
  const me = requireUser(ctx.actor);
  const visible = await visibleInboxIds(ctx.db.kysely, ctx.actor);
  const status = Object.fromEntries(CONVERSATION_STATUSES.map((s) => [s, 0])) as TConversationCounts['status'];
  const empty: TConversationCounts = { mine: 0, unassigned: 0, all: 0, status, inboxes: {}, teams: {}, unread: { mine: 0, unassigned: 0, all: 0 } };
  if (visible && !visible.length) return empty;
  const db = ctx.db.kysely;
  const scope = <Q extends { where: (...a: any[]) => any }>(q: Q): Q => (visible ? q.where('conversations.inbox_id', 'in', visible) : q);

  const [byStatus, byInbox, byTeam, open] = await Promise.all([
    scope(db.selectFrom('conversations').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).where('merged_into_id', 'is', null)).groupBy('status').execute(),
    scope(db.selectFrom('conversations').select(['inbox_id', (eb) => eb.fn.countAll<number>().as('n')]).where('status', '=', 'open')).groupBy('inbox_id').execute(),
    scope(db.selectFrom('conversations').select(['team_id', (eb) => eb.fn.countAll<number>().as('n')]).where('status', '=', 'open').where('team_id', 'is not', null)).groupBy('team_id').execute(),
    scope(db.selectFrom('conversations')
      .leftJoin('conversation_reads as r', (j) => j.onRef('r.conversation_id', '=', 'conversations.id').on('r.user_id', '=', me.id))
      .where('conversations.status', '=', 'open')
      .select([
        sql<number>`count(*)`.as('all_n'),
        sql<number>`sum(case when conversations.assignee_id = ${me.id} then 1 else 0 end)`.as('mine_n'),
        sql<number>`sum(case when conversations.assignee_id is null then 1 else 0 end)`.as('unassigned_n'),
        sql<number>`sum(case when conversations.last_incoming_at is not null and (r.last_read_at is null or r.last_read_at < conversations.last_incoming_at) then 1 else 0 end)`.as('unread_all'),
        sql<number>`sum(case when conversations.assignee_id = ${me.id} and conversations.last_incoming_at is not null and (r.last_read_at is null or r.last_read_at < conversations.last_incoming_at) then 1 else 0 end)`.as('unread_mine'),
        sql<number>`sum(case when conversations.assignee_id is null and conversations.last_incoming_at is not null and (r.last_read_at is null or r.last_read_at < conversations.last_incoming_at) then 1 else 0 end)`.as('unread_unassigned'),
      ])).executeTakeFirst(),
  ]);
  for (const r of byStatus) status[r.status as keyof typeof status] = Number(r.n);
  return {
    mine: Number(open?.mine_n ?? 0), unassigned: Number(open?.unassigned_n ?? 0), all: Number(open?.all_n ?? 0), status,
    inboxes: Object.fromEntries(byInbox.map((r) => [r.inbox_id, Number(r.n)])),
    teams: Object.fromEntries(byTeam.map((r) => [r.team_id!, Number(r.n)])),
    unread: { mine: Number(open?.unread_mine ?? 0), unassigned: Number(open?.unread_unassigned ?? 0), all: Number(open?.unread_all ?? 0) },
  };
};
