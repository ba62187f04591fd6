import type { Tx } from '../../db/connection.ts';
import type { DB } from '../../db/schema.ts';
import type { TUser } from '@careline/shared';

type UserRow = DB['users'];

export const toUserDto = (u: UserRow, teamIds: string[], inboxIds: string[]): TUser => ({
  id: u.id, email: u.email, name: u.name, role: u.role as TUser['role'], language: u.language as TUser['language'],
  timeZone: u.time_zone, availability: u.availability as TUser['availability'], createdAt: u.created_at,
  isDisabled: u.is_disabled, teamIds, inboxIds,
});

/** Users with their team and inbox memberships, in three queries whatever the count. */
export const loadUsers = async (db: Tx, ids?: string[]) => {
  let q = db.selectFrom('users').selectAll().orderBy('name');
  if (ids) { if (!ids.length) return []; q = q.where('id', 'in', ids); }
  const users = await q.execute();
  if (!users.length) return [];
  const userIds = users.map((u) => u.id);
  const [teams, inboxes] = await Promise.all([
    db.selectFrom('team_members').select(['user_id', 'team_id']).where('user_id', 'in', userIds).execute(),
    db.selectFrom('inbox_members').select(['user_id', 'inbox_id']).where('user_id', 'in', userIds).execute(),
  ]);
  return users.map((u) => toUserDto(u,
    teams.filter((t) => t.user_id === u.id).map((t) => t.team_id),
    inboxes.filter((i) => i.user_id === u.id).map((i) => i.inbox_id)));
};
