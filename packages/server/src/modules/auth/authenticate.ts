import type { FastifyRequest } from 'fastify';
import { hashToken } from '../../platform/ids.ts';
import type { Actor, Deps } from '../../platform/context.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { findSessionUser, findTokenUser } from './auth.repo.ts';
import { AUTH_CHANNEL } from '../../platform/events/channels.ts';

export const SESSION_COOKIE = 'careline_session';
const TOUCH_EVERY_MS = 5 * 60_000;
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const CACHE_MS = 5_000;

/**
 * Who a token or session is, remembered for a few seconds so a busy integration does not cost a
 * query per request. Sign-out, revocation and user changes clear it on every node at once.
 */
export const createActorCache = (deps: Deps) => {
  const entries = new Map<string, { actor: Actor | null; until: number }>();
  deps.bus.subscribe(AUTH_CHANNEL, () => entries.clear());
  return {
    async resolve(key: string, load: () => Promise<Actor | null>) {
      const hit = entries.get(key);
      if (hit && hit.until > Date.now()) return hit.actor;
      const actor = await load();
      if (entries.size > 10_000) entries.clear();
      if (actor) entries.set(key, { actor, until: Date.now() + CACHE_MS });
      return actor;
    },
  };
};
export type ActorCache = ReturnType<typeof createActorCache>;

/** Resolves who is calling: an API token (Authorization: Bearer) or the session cookie, else anonymous. */
export const resolveActor = async (deps: Deps, req: FastifyRequest, cache: ActorCache): Promise<Actor | null> => {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (bearer) {
    const actor = await cache.resolve(`t:${bearer}`, () => loadTokenActor(deps, bearer));
    if (!actor) throw new AppError('UNAUTHENTICATED', { userMessage: 'The API token is unknown or revoked.' });
    return actor;
  }
  const cookie = req.cookies?.[SESSION_COOKIE];
  return cookie ? cache.resolve(`s:${cookie}`, () => loadSessionActor(deps, cookie)) : null;
};

const loadTokenActor = async (deps: Deps, bearer: string): Promise<Actor | null> => {
  const now = deps.clock.now();
  const found = await findTokenUser(deps.db.kysely, hashToken(bearer));
  if (!found) return null;
  if (!found.lastUsedAt || now.getTime() - Date.parse(found.lastUsedAt) > TOUCH_EVERY_MS) {
    void deps.db.transaction(({ tx }) => tx.updateTable('api_tokens').set({ last_used_at: now.toISOString() }).where('id', '=', found.tokenId).execute()).catch(() => {});
  }
  return { type: 'user', user: found.user, via: 'token' };
};

const loadSessionActor = async (deps: Deps, cookie: string): Promise<Actor | null> => {
  const now = deps.clock.now();
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
