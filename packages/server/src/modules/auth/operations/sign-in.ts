import type { Ctx } from '../../../platform/context.ts';
import { AppError } from '../../../platform/errors/app-error.ts';
import { DUMMY_HASH, verifyPassword } from '../../../platform/auth/passwords.ts';
import { hashToken, newId, newSecret } from '../../../platform/ids.ts';
import { addHit, clearHits, countHits } from '../../../platform/rate-limit.ts';
import { audit } from '../../../platform/audit.ts';
import { getUser } from '../../users/index.ts';
import { AUTH_CHANNEL } from '../../../platform/events/channels.ts';

const WINDOW_MS = 15 * 60_000;
const MAX_FAILURES_PER_ACCOUNT = 10;
const MAX_FAILURES_PER_IP = 50;

export type SignInInput = { email: string; password: string; ip: string; userAgent: string | null };

export const signIn = async (ctx: Ctx, { email, password, ip, userAgent }: SignInInput) => {
  const now = ctx.clock.now();
  const accountKey = `signin:account:${email.toLowerCase()}`;
  const ipKey = `signin:ip:${ip}`;
  if ((await countHits(ctx.db, accountKey, now)) >= MAX_FAILURES_PER_ACCOUNT || (await countHits(ctx.db, ipKey, now)) >= MAX_FAILURES_PER_IP) {
    throw new AppError('RATE_LIMITED', { userMessage: 'Too many failed sign-ins. Wait 15 minutes and try again.' });
  }
  const row = await ctx.db.kysely.selectFrom('users').select(['id', 'password_hash', 'is_disabled'])
    .where('email', '=', email.toLowerCase()).executeTakeFirst();
  const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
  if (!row || !ok || row.is_disabled) {
    await addHit(ctx.db, accountKey, now, WINDOW_MS);
    await addHit(ctx.db, ipKey, now, WINDOW_MS);
    throw new AppError('INVALID_CREDENTIALS');
  }
  await clearHits(ctx.db, accountKey);
  const token = newSecret('cls_');
  const expiresAt = new Date(now.getTime() + ctx.config.SESSION_TTL_HOURS * 3600_000).toISOString();
  await ctx.db.transaction(async (w) => {
    await w.tx.insertInto('sessions').values({
      id: newId(), token_hash: hashToken(token), user_id: row.id, user_agent: userAgent?.slice(0, 300) ?? null,
      created_at: now.toISOString(), expires_at: expiresAt, last_seen_at: now.toISOString(),
    }).execute();
    await audit(w, { type: 'system' }, now.toISOString(), { entity: 'user', entityId: row.id, action: 'signed_in', after: { ip } });
  });
  return { token, expiresAt, user: await getUser({ ...ctx, actor: { type: 'system' } }, row.id) };
};

export const signOut = (ctx: Ctx, token: string) =>
  ctx.db.transaction(async ({ tx, afterCommit }) => {
    await tx.deleteFrom('sessions').where('token_hash', '=', hashToken(token)).execute();
    afterCommit(() => ctx.bus.publish(AUTH_CHANNEL, {}));
  });
