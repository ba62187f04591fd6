import type { Ctx } from '../../platform/context.ts';
import { notFound } from '../../platform/errors/app-error.ts';
import { newId, newSecret } from '../../platform/ids.ts';
import { audit } from '../../platform/audit.ts';
import { fromJson, toJson } from '../../db/dialect.ts';
import { stripUndefined } from '../../platform/objects.ts';
import type { DB } from '../../db/schema.ts';
import type { EventName } from '@careline/shared';

const toDto = (h: DB['webhooks']) => ({ id: h.id, url: h.url, events: fromJson<EventName[]>(h.events, []), isActive: h.is_active, createdAt: h.created_at });
const toDeliveryDto = (d: DB['webhook_deliveries']) => ({
  id: d.id, webhookId: d.webhook_id, event: d.event, eventId: d.event_id, status: d.status as 'pending' | 'delivered' | 'failed',
  attempts: d.attempts, responseStatus: d.response_status, error: d.error, createdAt: d.created_at, deliveredAt: d.delivered_at, nextAttemptAt: d.next_attempt_at,
});

export const listWebhooks = async (ctx: Ctx) => (await ctx.db.kysely.selectFrom('webhooks').selectAll().orderBy('created_at').execute()).map(toDto);

const getRow = async (ctx: Ctx, id: string) => {
  const h = await ctx.db.kysely.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
  if (!h) throw notFound('Webhook');
  return h;
};
export const getWebhook = async (ctx: Ctx, id: string) => toDto(await getRow(ctx, id));

/** The signing secret is returned once, at creation. */
export const createWebhook = async (ctx: Ctx, input: { url: string; events: EventName[]; isActive: boolean }) => {
  const now = ctx.clock.iso();
  const row = { id: newId(), url: input.url, events: toJson([...new Set(input.events)]), secret: newSecret('whsec_'), is_active: input.isActive, created_at: now, updated_at: now };
  await ctx.db.transaction(async (w) => {
    await w.tx.insertInto('webhooks').values(row).execute();
    await audit(w, ctx.actor, now, { entity: 'webhook', entityId: row.id, action: 'created', after: input });
    changed(ctx, w);
  });
  return { ...toDto(row), secret: row.secret };
};

export const updateWebhook = async (ctx: Ctx, id: string, input: { url?: string; events?: EventName[]; isActive?: boolean }) => {
  const before = await getWebhook(ctx, id);
  await ctx.db.transaction(async (w) => {
    const now = ctx.clock.iso();
    await w.tx.updateTable('webhooks').set({ ...stripUndefined({ url: input.url, is_active: input.isActive }), ...(input.events ? { events: toJson(input.events) } : {}), updated_at: now }).where('id', '=', id).execute();
    await audit(w, ctx.actor, now, { entity: 'webhook', entityId: id, action: 'updated', before, after: input });
    changed(ctx, w);
  });
  return getWebhook(ctx, id);
};

export const deleteWebhook = async (ctx: Ctx, id: string) => {
  const before = await getWebhook(ctx, id);
  await ctx.db.transaction(async (w) => {
    await w.tx.deleteFrom('webhooks').where('id', '=', id).execute();
    await audit(w, ctx.actor, ctx.clock.iso(), { entity: 'webhook', entityId: id, action: 'deleted', before });
    changed(ctx, w);
  });
};

export const listDeliveries = async (ctx: Ctx, webhookId: string) => {
  await getRow(ctx, webhookId);
  return (await ctx.db.kysely.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId)
    .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(100).execute()).map(toDeliveryDto);
};

export const DELIVER_QUEUE = 'webhook.deliver';
/** Published after any webhook change so every node reloads its subscription cache. */
export const WEBHOOKS_CHANNEL = 'webhooks.changed';
const changed = (ctx: Ctx, w: { afterCommit: (fn: () => void) => void }) => w.afterCommit(() => ctx.bus.publish(WEBHOOKS_CHANNEL, {}));
export const MAX_ATTEMPTS = 8;

/** Sends one delivery again now (after the receiver was fixed). */
export const redeliver = async (ctx: Ctx, webhookId: string, deliveryId: string) => {
  const d = await ctx.db.kysely.selectFrom('webhook_deliveries').selectAll().where('id', '=', deliveryId).where('webhook_id', '=', webhookId).executeTakeFirst();
  if (!d) throw notFound('Delivery');
  await ctx.db.transaction(async (w) => {
    await w.tx.updateTable('webhook_deliveries').set({ status: 'pending', attempts: 0, next_attempt_at: ctx.clock.iso() }).where('id', '=', deliveryId).execute();
    await ctx.jobs.enqueue(w, DELIVER_QUEUE, { deliveryId }, { maxAttempts: MAX_ATTEMPTS });
  });
  return toDeliveryDto({ ...d, status: 'pending', attempts: 0 });
};

export { toDeliveryDto };
