import type { Transaction } from 'kysely';
import type { DB } from './schema.ts';

/** Replaces the member list of a team or inbox (join tables with the same shape). */
export const replaceMembers = async (
  tx: Transaction<DB>, table: 'team_members' | 'inbox_members', key: 'team_id' | 'inbox_id', id: string, userIds: string[],
) => {
  await tx.deleteFrom(table).where(key as any, '=', id).execute();
  const unique = [...new Set(userIds)];
  if (unique.length) await tx.insertInto(table).values(unique.map((user_id) => ({ [key]: id, user_id }) as any)).execute();
};

export const membersOf = async (db: { selectFrom: Transaction<DB>['selectFrom'] }, table: 'team_members' | 'inbox_members', key: 'team_id' | 'inbox_id', ids: string[]) => {
  if (!ids.length) return new Map<string, string[]>();
  const rows = await db.selectFrom(table).select([key as any, 'user_id']).where(key as any, 'in', ids).execute() as { user_id: string; [k: string]: string }[];
  const map = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const r of rows) map.get(r[key]!)!.push(r.user_id);
  return map;
};
