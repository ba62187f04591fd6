import http from 'node:http';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { apiCaller, makeFactories } from '../../testing/factories.ts';
import { systemCtx } from '../../platform/context.ts';
import { appendMessage } from '../conversations/index.ts';
import { mentionedUserIds } from './notify.ts';

// http_ece is the RFC 8188 reference implementation (web-push's own dependency); the stand-in push
// service uses it to decrypt with the browser-side private key, as a real browser would.
const ece = createRequire(import.meta.url)('http_ece') as { decrypt(buf: Buffer, o: Record<string, unknown>): Buffer };

type Received = { path: string; headers: http.IncomingHttpHeaders; body: Buffer };
let t: TestApp;
let f: ReturnType<typeof makeFactories>;
let server: http.Server;
let base: string;
let received: Received[] = [];
let status = 201;

beforeAll(async () => {
  t = await createTestApp();
  f = makeFactories(t);
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => { received.push({ path: req.url!, headers: req.headers, body: Buffer.concat(chunks) }); res.writeHead(status).end(); });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => { server?.close(); await t?.close(); });
beforeEach(() => { received = []; status = 201; });

const api = (...a: Parameters<ReturnType<typeof apiCaller>>) => apiCaller(t)(...a);

/** A browser's side of a push subscription: an ECDH P-256 key pair and a 16-byte auth secret. */
const browserKeys = () => {
  const ecdh = crypto.createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = crypto.randomBytes(16);
  return { ecdh, auth, json: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') } };
};

const setup = async (language: 'en' | 'vi' | 'pl' = 'en', name = 'Agent Smith') => {
  const inbox = (await f.inbox()).id;
  const user = await f.user({ role: 'agent', inboxIds: [inbox], name });
  await t.deps.db.transaction(({ tx }) => tx.updateTable('users').set({ language }).where('id', '=', user.id).execute());
  const session = await f.session(user);
  const keys = browserKeys();
  const endpoint = `${base}/push/${crypto.randomUUID()}`;
  expect((await api(session, 'POST', '/notifications/subscriptions', { endpoint, expirationTime: null, keys: keys.json })).statusCode).toBe(204);
  return { inbox, user, session, keys, endpoint };
};

const decrypt = (r: Received, keys: ReturnType<typeof browserKeys>) =>
  JSON.parse(ece.decrypt(r.body, { version: 'aes128gcm', privateKey: keys.ecdh, authSecret: keys.auth.toString('base64url') }).toString('utf8'));

const customerWrites = (conversationId: string, text: string) => t.deps.db.transaction(async (w) => {
  const row = await w.tx.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirstOrThrow();
  return appendMessage(w, systemCtx(t.deps), row, { kind: 'incoming', text, authorContactId: row.contact_id });
});

describe('Web Push notifications', () => {
  it('sends a VAPID-signed, aes128gcm-encrypted push to the stand-in push service when a conversation is assigned to me', async () => {
    const { inbox, user, session, keys, endpoint } = await setup();
    const admin = await f.session(await f.user({ role: 'admin' }));
    const conv = await f.conversation({ inboxId: inbox, subject: 'Broken lamp' });
    expect((await api(admin, 'POST', `/conversations/${conv.id}/assign`, { assigneeId: user.id })).statusCode).toBe(200);
    await t.deps.jobs.drain();

    expect(received).toHaveLength(1);
    const [push] = received as [Received];
    expect(`${base}${push.path}`).toBe(endpoint);
    expect(push.headers['content-encoding']).toBe('aes128gcm');
    expect(Number(push.headers.ttl)).toBeGreaterThan(0);

    // VAPID (RFC 8292): "vapid t=<ES256 JWT>, k=<public key>", signed by the installation's key.
    const { publicKey } = (await api(session, 'GET', '/notifications/vapid-public-key')).json();
    const m = /^vapid t=([^,]+), k=(.+)$/.exec(String(push.headers.authorization));
    expect(m).not.toBeNull();
    const [, jwt, k] = m as unknown as [string, string, string];
    expect(k).toBe(publicKey);
    const [h, p, sig] = jwt.split('.') as [string, string, string];
    expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toEqual({ typ: 'JWT', alg: 'ES256' });
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    expect(claims.aud).toBe(base);
    expect(claims.sub).toBe('mailto:admin@careline.local');
    expect(claims.exp * 1000).toBeGreaterThan(Date.now());
    const raw = Buffer.from(k, 'base64url');
    const key = crypto.createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33, 65).toString('base64url') }, format: 'jwk' });
    expect(crypto.verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url'))).toBe(true);

    // RFC 8291: only the browser's private key opens it.
    const payload = decrypt(push, keys);
    expect(payload).toMatchObject({ kind: 'assigned', conversationId: conv.id, url: `/conversations/${conv.id}`, body: 'Broken lamp' });
    expect(payload.title).toBe(`#${conv.number} assigned to you · Customer`);
    expect(() => ece.decrypt(push.body, { version: 'aes128gcm', privateKey: browserKeys().ecdh, authSecret: keys.auth.toString('base64url') })).toThrow();
  });

  it('keeps the VAPID key pair in the database, the same across restarts', async () => {
    const { session } = await setup();
    const a = (await api(session, 'GET', '/notifications/vapid-public-key')).json().publicKey;
    const row = await t.deps.db.kysely.selectFrom('settings').select('value').where('key', '=', 'vapid').executeTakeFirstOrThrow();
    expect(JSON.parse(row.value).publicKey).toBe(a);
  });

  it('tells the assignee about customer replies and mentioned agents about notes, in their language', async () => {
    const { inbox, user, session, keys } = await setup('vi', 'Linh Nguyễn');
    const conv = await f.conversation({ inboxId: inbox, assigneeId: user.id });
    await t.deps.jobs.drain();
    received = []; // (assigned by the system at creation: that notified already)
    await customerWrites(conv.id, 'Any news about my order?');
    const colleague = await f.user({ role: 'agent', inboxIds: [inbox], name: 'Piotr Kowalski' });
    const colleagueSession = await f.session(colleague);
    await api(colleagueSession, 'POST', `/conversations/${conv.id}/notes`, { text: '@Linh can you check the warehouse?' });
    await api(colleagueSession, 'POST', `/conversations/${conv.id}/notes`, { text: 'no mention here, email linh@x.com' });
    await t.deps.jobs.drain();
    // Jobs run concurrently, so pushes arrive in any order.
    const payloads = received.map((r) => decrypt(r, keys)).sort((a, b) => a.kind.localeCompare(b.kind));
    expect(payloads.map((p) => p.kind)).toEqual(['customer_reply', 'mention']);
    expect(payloads[0].title).toBe(`Customer đã trả lời trong #${conv.number}`);
    expect(payloads[1].title).toBe(`Piotr Kowalski đã nhắc đến bạn trong #${conv.number}`);
    expect(payloads[1].body).toBe('@Linh can you check the warehouse?');

    // Switched off in the profile: nothing is sent.
    expect((await api(session, 'PATCH', '/notifications/preferences', { customerReply: false })).json()).toEqual({ assigned: true, mention: true, customerReply: false });
    received = [];
    await customerWrites(conv.id, 'Hello?');
    await t.deps.jobs.drain();
    expect(received).toHaveLength(0);
    expect((await api(session, 'GET', '/notifications/preferences')).json()).toEqual({ assigned: true, mention: true, customerReply: false, devices: 1 });
  });

  it('does not notify agents who assign a conversation to themselves', async () => {
    const { inbox, user, session } = await setup();
    const conv = await f.conversation({ inboxId: inbox });
    await api(session, 'POST', `/conversations/${conv.id}/assign`, { assigneeId: user.id });
    await t.deps.jobs.drain();
    expect(received).toHaveLength(0);
  });

  it('forgets a subscription the push service says is gone (410)', async () => {
    const { inbox, user, session } = await setup();
    status = 410;
    const admin = await f.session(await f.user({ role: 'admin' }));
    const conv = await f.conversation({ inboxId: inbox });
    await api(admin, 'POST', `/conversations/${conv.id}/assign`, { assigneeId: user.id });
    await t.deps.jobs.drain();
    expect(received).toHaveLength(1);
    expect((await api(session, 'GET', '/notifications/preferences')).json().devices).toBe(0);
  });

  it('recognises @mentions by full name, first name and email name, not inside email addresses', () => {
    const users = [{ id: '1', name: 'Linh Nguyễn', email: 'linh@x.com' }, { id: '2', name: 'Piotr Kowalski', email: 'pk@x.com' }, { id: '3', name: 'Ann', email: 'ann@x.com' }];
    expect(mentionedUserIds('@Linh Nguyễn please look', users)).toEqual(['1']);
    expect(mentionedUserIds('cc @pk and @piotr', users)).toEqual(['2']);
    expect(mentionedUserIds('write to linh@x.com', users)).toEqual([]);
    expect(mentionedUserIds('@Annabel is not Ann', users)).toEqual([]);
  });
});
