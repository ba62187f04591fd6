import type { Database } from '../db/connection.ts';

/**
 * Counters shared by every node (stored in the database), for low-volume, security-relevant limits
 * such as failed sign-ins per account and per IP. High-volume limits use @fastify/rate-limit.
 */
export const countHits = async (db: Database, key: string, now: Date) => {
  const row = await db.kysely.selectFrom('rate_limits').select(['count', 'reset_at']).where('key', '=', key).executeTakeFirst();
  return row && row.reset_at > now.toISOString() ? row.count : 0;
};

export const addHit = (db: Database, key: string, now: Date, windowMs: number) =>
  db.transaction(async ({ tx }) => {
    const row = await tx.selectFrom('rate_limits').select(['count', 'reset_at']).where('key', '=', key).executeTakeFirst();
    const resetAt = new Date(now.getTime() + windowMs).toISOString();
    if (!row) await tx.insertInto('rate_limits').values({ key, count: 1, reset_at: resetAt }).onConflict((oc) => oc.column('key').doUpdateSet({ count: 1, reset_at: resetAt })).execute();
    else if (row.reset_at <= now.toISOString()) await tx.updateTable('rate_limits').set({ count: 1, reset_at: resetAt }).where('key', '=', key).execute();
    else await tx.updateTable('rate_limits').set({ count: row.count + 1 }).where('key', '=', key).execute();
  });

export const clearHits = (db: Database, key: string) =>
  db.transaction(({ tx }) => tx.deleteFrom('rate_limits').where('key', '=', key).execute());
