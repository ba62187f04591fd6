import type { Ctx } from '../../../platform/context.ts';
import { requireUser } from '../../../platform/auth/access.ts';
import { notFound } from '../../../platform/errors/app-error.ts';
import { hashToken, newId, newSecret } from '../../../platform/ids.ts';
import { audit } from '../../../platform/audit.ts';
import { toApiTokenDto } from '../auth.repo.ts';
import { AUTH_CHANNEL } from '../../../platform/events/channels.ts';

export const listApiTokens = async (ctx: Ctx) => {
  const user = requireUser(ctx.actor);
  let q = ctx.db.kysely.selectFrom('api_tokens').selectAll().orderBy('created_at', 'desc');
  if (user.role !== 'admin') q = q.where('user_id', '=', user.id);
  return (await q.execute()).map(toApiTokenDto);
};

/** The token is returned once; only its SHA-256 is stored. */
export const createApiToken = async (ctx: Ctx, name: string) => {
  const user = requireUser(ctx.actor);
  const token = newSecret('clt_');
  const row = { id: newId(), user_id: user.id, name, prefix: token.slice(0, 8), token_hash: hashToken(token), created_at: ctx.clock.iso(), last_used_at: null, revoked_at: null };
  await ctx.db.transaction(async (w) => {
    await w.tx.insertInto('api_tokens').values(row).execute();
    await audit(w, ctx.actor, row.created_at, { entity: 'api_token', entityId: row.id, action: 'created', after: { name } });
  });
  return { ...toApiTokenDto(row), token };
};

export const revokeApiToken = async (ctx: Ctx, id: string) => {
  const user = requireUser(ctx.actor);
  const row = await ctx.db.kysely.selectFrom('api_tokens').select(['id', 'user_id']).where('id', '=', id).executeTakeFirst();
  if (!row || (row.user_id !== user.id && user.role !== 'admin')) throw notFound('API token');
  await ctx.db.transaction(async (w) => {
    await w.tx.updateTable('api_tokens').set({ revoked_at: ctx.clock.iso() }).where('id', '=', id).where('revoked_at', 'is', null).execute();
    await audit(w, ctx.actor, ctx.clock.iso(), { entity: 'api_token', entityId: id, action: 'revoked' });
    w.afterCommit(() => ctx.bus.publish(AUTH_CHANNEL, {}));
  });
};
