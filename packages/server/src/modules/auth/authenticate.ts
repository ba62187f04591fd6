import type { FastifyRequest } from 'fastify';
import { hashToken } from '../../platform/ids.ts';
import type { Actor, Deps } from '../../platform/context.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { findSessionUser, findTokenUser } from './auth.repo.ts';

export const SESSION_COOKIE = 'careline_session';
const TOUCH_EVERY_MS = 5 * 60_000;
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Resolves who is calling: an API token (Authorization: Bearer) or the session cookie, else anonymous. */
export const resolveActor = async (deps: Deps, req: FastifyRequest): Promise<Actor | null> => {
  const now = deps.clock.now();
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (bearer) {
    const found = await findTokenUser(deps.db.kysely, hashToken(bearer));
    if (!found) throw new AppError('UNAUTHENTICATED', { userMessage: 'The API token is unknown or revoked.' });
    if (!found.lastUsedAt || now.getTime() - Date.parse(found.lastUsedAt) > TOUCH_EVERY_MS) {
      void deps.db.transaction(({ tx }) => tx.updateTable('api_tokens').set({ last_used_at: now.toISOString() }).where('id', '=', found.tokenId).execute()).catch(() => {});
    }
    return { type: 'user', user: found.user, via: 'token' };
  }
  const cookie = req.cookies?.[SESSION_COOKIE];
  if (!cookie) return null;
  const found = await findSessionUser(deps.db.kysely, hashToken(cookie), now.toISOString());
  if (!found) return null;
  if (now.getTime() - Date.parse(found.lastSeenAt) > TOUCH_EVERY_MS) {
    void deps.db.transaction(({ tx }) => tx.updateTable('sessions').set({ last_seen_at: now.toISOString() }).where('id', '=', found.sessionId).execute()).catch(() => {});
  }
  return { type: 'user', user: found.user, via: 'session' };
};

/**
 * CSRF for cookie sessions: a state-changing request must come from our own origin. Browsers send
 * Origin on every cross-site POST, and Sec-Fetch-Site where Origin is missing.
 */
export const checkCsrf = (req: FastifyRequest, allowedOrigins: Set<string>) => {
  if (!UNSAFE.has(req.method) && req.headers.upgrade?.toLowerCase() !== 'websocket') return;
  const origin = req.headers.origin;
  if (origin) {
    if (allowedOrigins.has(origin) || origin === `${req.protocol}://${req.headers.host}`) return;
    throw new AppError('CSRF_REJECTED');
  }
  if (req.headers['sec-fetch-site'] === 'cross-site') throw new AppError('CSRF_REJECTED');
};
