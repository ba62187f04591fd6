import net from 'node:net';
import { lookup } from 'node:dns/promises';
import webPush from 'web-push';
import type { PushPayload } from '@careline/shared';
import type { Deps } from '../../platform/context.ts';
import { PermanentJobError } from '../../platform/jobs/job-queue.ts';
import { getVapidKeys } from './vapid.ts';

const isPrivate = (ip: string): boolean => {
  if (net.isIPv4(ip)) {
    const [a, b] = ip.split('.').map(Number) as [number, number];
    return a === 10 || a === 127 || a === 0 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  }
  const v = ip.toLowerCase();
  return v === '::1' || v === '::' || v.startsWith('fc') || v.startsWith('fd') || v.startsWith('fe80') || (v.startsWith('::ffff:') && isPrivate(v.slice(7)));
};

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
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const addresses = net.isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
    if (addresses.some(isPrivate)) throw new PermanentJobError(`${host} resolves to a private address`);
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
