import { createHmac } from 'node:crypto';
import type { DomainEvent } from '@careline/shared';
import type { Deps } from '../../platform/context.ts';
import type { Write } from '../../db/connection.ts';
import { fromJson, toJson } from '../../db/dialect.ts';
import { newId } from '../../platform/ids.ts';
import { PermanentJobError } from '../../platform/jobs/job-queue.ts';
import { DELIVER_QUEUE, MAX_ATTEMPTS, WEBHOOKS_CHANNEL } from './webhooks.ts';
import { assertPublicUrl } from '../../platform/http/ssrf.ts';

/** 10 s, 30 s, 90 s … up to 6 h: a receiver that is down for a day still gets everything. */
export const webhookBackoff = (attempt: number) => Math.min(6 * 3600_000, 10_000 * 3 ** (attempt - 1));

/** Stripe-style signature over timestamp and body, so receivers can reject replays. */
export const signPayload = (secret: string, timestamp: number, body: string) =>
  `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

/**
 * Active subscriptions, cached: every event would otherwise query the webhooks table. Any node that
 * changes a webhook publishes WEBHOOKS_CHANNEL and every node drops its cache.
 */
export const createSubscriptionCache = (deps: Deps) => {
  let cached: Promise<{ id: string; events: string[] }[]> | null = null;
  deps.bus.subscribe(WEBHOOKS_CHANNEL, () => { cached = null; });
  return {
    get: (w: Write) => (cached ??= w.tx.selectFrom('webhooks').select(['id', 'events']).where('is_active', '=', true).execute()
      .then((rows) => rows.map((r) => ({ id: r.id, events: fromJson<string[]>(r.events, []) })))
      .catch((e) => { cached = null; throw e; })),
  };
};

/** In the emitting transaction: one delivery row + job per subscribed webhook. */
export const recordDeliveries = (deps: Deps, subscriptions: ReturnType<typeof createSubscriptionCache>) => async (w: Write, event: DomainEvent) => {
  const hooks = await subscriptions.get(w);
  for (const hook of hooks) {
    if (!hook.events.includes(event.name)) continue;
    const id = newId();
    await w.tx.insertInto('webhook_deliveries').values({
      id, webhook_id: hook.id, event: event.name, event_id: event.id, payload: toJson(event), status: 'pending', attempts: 0,
      response_status: null, error: null, created_at: event.occurredAt, delivered_at: null, next_attempt_at: event.occurredAt,
    }).execute();
    await deps.jobs.enqueue(w, DELIVER_QUEUE, { deliveryId: id }, { maxAttempts: MAX_ATTEMPTS });
  }
};

export const deliverWebhook = (deps: Deps) => async ({ deliveryId }: { deliveryId: string }, job: { attempts: number }) => {
  const row = await deps.db.kysely.selectFrom('webhook_deliveries').innerJoin('webhooks', 'webhooks.id', 'webhook_deliveries.webhook_id')
    .select(['webhook_deliveries.id', 'webhook_deliveries.payload', 'webhook_deliveries.event', 'webhooks.url', 'webhooks.secret', 'webhooks.is_active'])
    .where('webhook_deliveries.id', '=', deliveryId).executeTakeFirst();
  if (!row) return; // webhook deleted meanwhile
  const record = (set: Record<string, unknown>) => deps.db.transaction(({ tx }) => tx.updateTable('webhook_deliveries').set({ attempts: job.attempts, ...set }).where('id', '=', deliveryId).execute());
  const failed = async (error: string, responseStatus: number | null, permanent: boolean) => {
    const final = permanent || job.attempts >= MAX_ATTEMPTS;
    await record({
      status: final ? 'failed' : 'pending', error: error.slice(0, 1000), response_status: responseStatus,
      next_attempt_at: final ? null : new Date(deps.clock.now().getTime() + webhookBackoff(job.attempts)).toISOString(),
    });
    throw final ? new PermanentJobError(error) : new Error(error);
  };
  if (!row.is_active) return failed('webhook is disabled', null, true);
  try { await assertPublicUrl(row.url, deps.config.WEBHOOK_ALLOW_PRIVATE); } catch (e) { return failed((e as Error).message, null, true); }

  const body = typeof row.payload === 'string' ? row.payload : JSON.stringify(row.payload);
  const timestamp = Math.floor(deps.clock.now().getTime() / 1000);
  let res: Response;
  try {
    res = await fetch(row.url, {
      method: 'POST', body, redirect: 'manual', signal: AbortSignal.timeout(10_000),
      headers: {
        'content-type': 'application/json', 'user-agent': 'Careline-Webhook/1',
        'x-careline-event': row.event, 'x-careline-delivery': deliveryId, 'x-careline-signature': signPayload(row.secret, timestamp, body),
      },
    });
  } catch (e) {
    return failed(`request failed: ${(e as Error).message}`, null, false);
  }
  const text = (await res.text().catch(() => '')).slice(0, 500);
  if (res.status >= 200 && res.status < 300) {
    await record({ status: 'delivered', response_status: res.status, error: null, delivered_at: deps.clock.iso(), next_attempt_at: null });
    return;
  }
  return failed(`HTTP ${res.status}${text ? `: ${text}` : ''}`, res.status, false);
};
