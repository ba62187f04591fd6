import type { Ctx } from '../../platform/context.ts';
import type { Tx } from '../../db/connection.ts';
import type { TNotificationPreferences, TPushSubscriptionRequest } from '@careline/shared';
import { requireUser } from '../../platform/auth/access.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { newId } from '../../platform/ids.ts';

const DEFAULTS: TNotificationPreferences = { assigned: true, mention: true, customerReply: true };

export const preferencesOf = async (db: Tx, userId: string): Promise<TNotificationPreferences> => {
  const row = await db.selectFrom('notification_preferences').selectAll().where('user_id', '=', userId).executeTakeFirst();
  return row ? { assigned: row.is_assigned, mention: row.is_mention, customerReply: row.is_customer_reply } : DEFAULTS;
};

export const getPreferences = (ctx: Ctx) => preferencesOf(ctx.db.kysely, requireUser(ctx.actor).id);

export const updatePreferences = async (ctx: Ctx, input: Partial<TNotificationPreferences>) => {
  const user = requireUser(ctx.actor);
  const next = { ...(await preferencesOf(ctx.db.kysely, user.id)), ...input };
  const row = { user_id: user.id, is_assigned: next.assigned, is_mention: next.mention, is_customer_reply: next.customerReply, updated_at: ctx.clock.iso() };
  await ctx.db.transaction(({ tx }) => tx.insertInto('notification_preferences').values(row)
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ is_assigned: row.is_assigned, is_mention: row.is_mention, is_customer_reply: row.is_customer_reply, updated_at: row.updated_at })).execute());
  return next;
};

/** A browser's push subscription (one per device). Re-subscribing the same endpoint moves it to this user. */
export const saveSubscription = async (ctx: Ctx, sub: TPushSubscriptionRequest, userAgent: string | null) => {
  const user = requireUser(ctx.actor);
  if (!ctx.config.WEBHOOK_ALLOW_PRIVATE && new URL(sub.endpoint).protocol !== 'https:') {
    throw new AppError('VALIDATION_FAILED', { userMessage: 'Push endpoints must use https', fields: [{ field: 'body.endpoint', message: 'https required' }] });
  }
  const row = { id: newId(), user_id: user.id, endpoint: sub.endpoint, p256dh: sub.keys.p256dh, auth: sub.keys.auth, user_agent: userAgent?.slice(0, 300) ?? null, created_at: ctx.clock.iso(), last_success_at: null };
  await ctx.db.transaction(({ tx }) => tx.insertInto('push_subscriptions').values(row)
    .onConflict((oc) => oc.column('endpoint').doUpdateSet({ user_id: row.user_id, p256dh: row.p256dh, auth: row.auth, user_agent: row.user_agent })).execute());
};

export const deleteSubscription = async (ctx: Ctx, endpoint: string) => {
  const user = requireUser(ctx.actor);
  await ctx.db.transaction(({ tx }) => tx.deleteFrom('push_subscriptions').where('endpoint', '=', endpoint).where('user_id', '=', user.id).execute());
};

export const countSubscriptions = async (ctx: Ctx) => {
  const user = requireUser(ctx.actor);
  const r = await ctx.db.kysely.selectFrom('push_subscriptions').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', user.id).executeTakeFirst();
  return Number(r?.n ?? 0);
};
