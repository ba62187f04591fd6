import http from 'node:http';
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { makeFactories } from '../../testing/factories.ts';
import { fixedClock } from '../../platform/clock.ts';

type Received = { headers: http.IncomingHttpHeaders; body: string };
let t: TestApp;
let f: ReturnType<typeof makeFactories>;
let admin: { cookie: string };
let receiver: http.Server;
let received: Received[] = [];
let failNext = 0;
let url = '';
const clock = fixedClock(new Date('2026-11-20T10:00:00Z'));

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      if (failNext > 0) { failNext--; res.writeHead(503).end('down for maintenance'); return; }
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  t = await createTestApp({ clock });
  f = makeFactories(t);
  admin = await f.session(await f.user({ role: 'admin' }));
});
afterAll(async () => { await t?.close(); receiver?.close(); });

const api = (method: string, path: string, payload?: object) =>
  t.app.inject({ method: method as 'GET', url: `/api/v1${path}`, headers: admin, payload });

describe('webhooks', () => {
  it('delivers subscribed events with an HMAC signature the receiver can verify', async () => {
    const hook = (await api('POST', '/webhooks', { url, events: ['conversation.created', 'message.created'] })).json();
    expect(hook.secret).toMatch(/^whsec_/);
    expect(JSON.stringify((await api('GET', `/webhooks/${hook.id}`)).json())).not.toContain(hook.secret);
    received = [];
    const inbox = await f.inbox();
    const conv = await f.conversation({ inboxId: inbox.id, text: 'Where is my parcel?' });
    await t.deps.jobs.drain();
    expect(received.map((r) => r.headers['x-careline-event']).sort()).toEqual(['conversation.created', 'message.created']);
    for (const r of received) {
      const [, ts, sig] = /^t=(\d+),v1=([a-f0-9]{64})$/.exec(String(r.headers['x-careline-signature']))!;
      expect(createHmac('sha256', hook.secret).update(`${ts}.${r.body}`).digest('hex')).toBe(sig);
      const event = JSON.parse(r.body);
      expect(event).toMatchObject({ id: expect.any(String), occurredAt: expect.any(String), inboxId: inbox.id });
    }
    const messageEvent = JSON.parse(received.find((r) => r.headers['x-careline-event'] === 'message.created')!.body);
    expect(messageEvent.data.message.text).toBe('Where is my parcel?');
    expect(messageEvent.data.conversationId).toBe(conv.id);
    const log = (await api('GET', `/webhooks/${hook.id}/deliveries`)).json();
    expect(log).toHaveLength(2);
    expect(log.every((d: { status: string; responseStatus: number }) => d.status === 'delivered' && d.responseStatus === 204)).toBe(true);
    await api('DELETE', `/webhooks/${hook.id}`);
  });

  it('retries a failing receiver with back-off and records every attempt', async () => {
    const hook = (await api('POST', '/webhooks', { url, events: ['conversation.created'] })).json();
    received = [];
    failNext = 2;
    await f.conversation({ inboxId: (await f.inbox()).id });
    await t.deps.jobs.drain();
    let [d] = (await api('GET', `/webhooks/${hook.id}/deliveries`)).json();
    expect(d).toMatchObject({ status: 'pending', attempts: 1, responseStatus: 503, error: 'HTTP 503: down for maintenance' });
    expect(Date.parse(d.nextAttemptAt) - clock.now().getTime()).toBe(10_000);
    await t.deps.jobs.drain();
    expect(received).toHaveLength(0); // not due yet
    clock.advance(10_000);
    await t.deps.jobs.drain();
    [d] = (await api('GET', `/webhooks/${hook.id}/deliveries`)).json();
    expect(d).toMatchObject({ status: 'pending', attempts: 2 });
    expect(Date.parse(d.nextAttemptAt) - clock.now().getTime()).toBe(30_000);
    clock.advance(30_000);
    await t.deps.jobs.drain();
    [d] = (await api('GET', `/webhooks/${hook.id}/deliveries`)).json();
    expect(d).toMatchObject({ status: 'delivered', attempts: 3, responseStatus: 204 });
    expect(received).toHaveLength(1);
    await api('DELETE', `/webhooks/${hook.id}`);
  });

  it('gives up after 8 attempts and can be redelivered by hand', async () => {
    const hook = (await api('POST', '/webhooks', { url, events: ['conversation.created'] })).json();
    received = [];
    failNext = 100;
    await f.conversation({ inboxId: (await f.inbox()).id });
    for (let i = 0; i < 10; i++) { await t.deps.jobs.drain(); clock.advance(7 * 3600_000); }
    let [d] = (await api('GET', `/webhooks/${hook.id}/deliveries`)).json();
    expect(d).toMatchObject({ status: 'failed', attempts: 8, nextAttemptAt: null });
    failNext = 0;
    expect((await api('POST', `/webhooks/${hook.id}/deliveries/${d.id}/redeliver`)).statusCode).toBe(202);
    await t.deps.jobs.drain();
    [d] = (await api('GET', `/webhooks/${hook.id}/deliveries`)).json();
    expect(d.status).toBe('delivered');
    await api('DELETE', `/webhooks/${hook.id}`);
  });

  it('sends nothing for events a webhook did not subscribe to, or when it is paused', async () => {
    const hook = (await api('POST', '/webhooks', { url, events: ['contact.merged'] })).json();
    const paused = (await api('POST', '/webhooks', { url, events: ['conversation.created'], isActive: false })).json();
    received = [];
    await f.conversation({ inboxId: (await f.inbox()).id });
    await t.deps.jobs.drain();
    expect(received).toHaveLength(0);
    expect((await api('GET', `/webhooks/${hook.id}/deliveries`)).json()).toHaveLength(0);
    expect((await api('GET', `/webhooks/${paused.id}/deliveries`)).json()).toHaveLength(0);
  });

  it('refuses URLs that resolve to private addresses unless allowed', async () => {
    const { assertPublicUrl } = await import('../../platform/http/ssrf.ts');
    await expect(assertPublicUrl('http://127.0.0.1/x', false)).rejects.toThrow(/private/);
    await expect(assertPublicUrl('http://[::1]/x', false)).rejects.toThrow(/private/);
    const fakeDns = (async () => [{ address: '10.0.0.5', family: 4 }]) as never;
    await expect(assertPublicUrl('https://intranet.example/x', false, fakeDns)).rejects.toThrow(/private/);
    const publicDns = (async () => [{ address: '93.184.216.34', family: 4 }]) as never;
    await expect(assertPublicUrl('https://example.com/x', false, publicDns)).resolves.toBeUndefined();
    expect((await api('POST', '/webhooks', { url: 'ftp://example.com', events: ['message.created'] })).statusCode).toBe(400);
  });
});
