import webPush from 'web-push';
import type { PushPayload } from '@careline/shared';
import type { Deps } from '../../platform/context.ts';
import { PermanentJobError } from '../../platform/jobs/job-queue.ts';
import { getVapidKeys } from './vapid.ts';
import { assertPublicUrl } from '../../platform/http/ssrf.ts';

/**
 * Job: one encrypted (aes128gcm, RFC 8291) and VAPID-signed (RFC 8292) push request to one device's
 * push service. web-push builds the request; we send it ourselves so the timeout and the SSRF guard
 * are ours. A subscription the push service no longer knows (404/410) is deleted.
 */
export const sendPush = (deps: Deps) => async ({ subscriptionId, payload }: { subscriptionId: string; payload: PushPayload }) => {
  const sub = await deps.db.kysely.selectFrom('push_subscriptions').selectAll().where('id', '=', subscriptionId).executeTakeFirst();
  if (!sub) return; // unsubscribed meanwhile
  const url = new URL(sub.endpoint);
  if (!deps.config.WEBHOOK_ALLOW_PRIVATE) {
    if (url.protocol !== 'https:') throw new PermanentJobError('push endpoint is not https');
    await assertPublicUrl(sub.endpoint, false);
  }
  const vapid = await getVapidKeys(deps);
  const request = webPush.generateRequestDetails({ endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } }, JSON.stringify(payload), {
    vapidDetails: { subject: vapid.subject, publicKey: vapid.publicKey, privateKey: vapid.privateKey }, TTL: 24 * 3600, urgency: 'high', topic: payload.tag.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32),
  });
  const res = await fetch(request.endpoint, { method: request.method, headers: request.headers as Record<string, string>, body: request.body ? new Uint8Array(request.body as Uint8Array) : null, signal: AbortSignal.timeout(15_000), redirect: 'error' });
  await res.body?.cancel();
  if (res.status === 404 || res.status === 410) {
    await deps.db.transaction(({ tx }) => tx.deleteFrom('push_subscriptions').where('id', '=', subscriptionId).execute());
    return;
  }
  if (res.status === 429 || res.status >= 500) throw new Error(`push service answered ${res.status}`);
  if (res.status >= 400) throw new PermanentJobError(`push service refused the message: ${res.status}`);
  await deps.db.transaction(({ tx }) => tx.updateTable('push_subscriptions').set({ last_success_at: deps.clock.iso() }).where('id', '=', subscriptionId).execute());
};
