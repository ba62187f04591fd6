import type { Tx } from '../../db/connection.ts';
import type { SessionUser } from '../../platform/context.ts';
import type { Role } from '@careline/shared';

const userCols = ['users.id', 'users.role', 'users.name', 'users.email', 'users.language', 'users.time_zone'] as const;
const toSessionUser = (r: { id: string; role: string; name: string; email: string; language: string; time_zone: string }): SessionUser =>
  ({ id: r.id, role: r.role as Role, name: r.name, email: r.email, language: r.language, timeZone: r.time_zone });

export const findSessionUser = async (db: Tx, tokenHash: string, now: string) => {
  const r = await db.selectFrom('sessions').innerJoin('users', 'users.id', 'sessions.user_id')
    .select([...userCols, 'sessions.id as session_id', 'sessions.last_seen_at'])
    .where('sessions.token_hash', '=', tokenHash).where('sessions.expires_at', '>', now).where('users.is_disabled', '=', false)
    .executeTakeFirst();
  return r ? { user: toSessionUser(r), sessionId: r.session_id, lastSeenAt: r.last_seen_at } : null;
};

export const findTokenUser = async (db: Tx, tokenHash: string) => {
  const r = await db.selectFrom('api_tokens').innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([...userCols, 'api_tokens.id as token_id', 'api_tokens.last_used_at'])
    .where('api_tokens.token_hash', '=', tokenHash).where('api_tokens.revoked_at', 'is', null).where('users.is_disabled', '=', false)
    .executeTakeFirst();
  return r ? { user: toSessionUser(r), tokenId: r.token_id, lastUsedAt: r.last_used_at } : null;
};

export const toApiTokenDto = (t: { id: string; name: string; prefix: string; created_at: string; last_used_at: string | null; revoked_at: string | null }) =>
  ({ id: t.id, name: t.name, prefix: t.prefix, createdAt: t.created_at, lastUsedAt: t.last_used_at, revokedAt: t.revoked_at });
