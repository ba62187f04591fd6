import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';
import { apiCaller, makeFactories } from '../../../testing/factories.ts';
import { signIdentity } from './index.ts';

let t: TestApp;
let f: ReturnType<typeof makeFactories>;
let inbox: { id: string; secret: string; publicToken: string };
let agent: { cookie: string };

beforeAll(async () => {
  t = await createTestApp();
  f = makeFactories(t);
  inbox = await f.inbox({ channel: 'chat', name: 'Website', settings: { color: '#aa3300', emailFollowUpMinutes: 0 } });
  agent = await f.session(await f.user({ role: 'agent', inboxIds: [inbox.id] }));
});
afterAll(() => t?.close());

type Res = Awaited<ReturnType<TestApp['app']['inject']>>;
const widget = (method: 'GET' | 'POST', url: string, o: { visitor?: string; body?: unknown; origin?: string } = {}): Promise<Res> => t.app.inject({
  method, url: `/widget-api${url}`, payload: o.body as object,
  headers: { ...(o.visitor ? { 'x-careline-visitor': o.visitor } : {}), ...(o.origin ? { origin: o.origin } : {}) },
});
const api = (method: string, url: string, payload?: unknown) => apiCaller(t)(agent, method, url, payload);
const session = async (body: Record<string, unknown> = {}, token = inbox.publicToken) => {
  const res = await widget('POST', '/sessions', { body: { token, ...body } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { visitorToken: string; visitor: { id: string; isIdentified: boolean; email: string | null } };
};
const outbox = () => {
  const dir = path.join(t.dataDir, 'outbox');
  return fs.existsSync(dir) ? fs.readdirSync(dir).map((n) => fs.readFileSync(path.join(dir, n), 'utf8')) : [];
};

describe('widget API', () => {
  it('gives the look and presence of a chat inbox by its public token, and 404 for anything else', async () => {
    const res = await widget('GET', `/config?token=${inbox.publicToken}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ businessName: 'Test Co', greeting: 'Hi', color: '#aa3300', position: 'right', language: 'auto', presence: { isOnline: true } });
    expect((await widget('GET', '/config?token=nope')).statusCode).toBe(404);
    const api = await f.inbox({ channel: 'api' });
    expect((await widget('GET', `/config?token=${api.publicToken}`)).statusCode).toBe(404);
  });

  it('starts an anonymous visitor and resumes it from the stored token', async () => {
    const a = await session({ name: 'Ann' });
    expect(a.visitor).toMatchObject({ name: 'Ann', isIdentified: false, hasConversation: false });
    const again = await session({ visitorToken: a.visitorToken });
    expect(again).toMatchObject({ visitorToken: a.visitorToken, isNew: false, visitor: { id: a.visitor.id } });
    const other = await session({ visitorToken: 'cvt_forged' });
    expect(other.visitor.id).not.toBe(a.visitor.id);
  });

  it('accepts an identity only with the right HMAC signature, and finds the same user again on another device', async () => {
    const identity = { userId: 'u-42', email: 'Bob@Example.com', name: 'Bob' };
    const signature = signIdentity(inbox.secret, identity.userId, identity.email);
    const bob = await session({ identity: { ...identity, signature } });
    expect(bob.visitor).toMatchObject({ isIdentified: true, email: 'bob@example.com', name: 'Bob' });
    const laptop = await session({ identity: { ...identity, signature } });
    expect(laptop.visitor.id).toBe(bob.visitor.id);

    const wrong = await widget('POST', '/sessions', { body: { token: inbox.publicToken, identity: { ...identity, email: 'eve@example.com', signature } } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe('IDENTITY_INVALID');
    const otherSecret = signIdentity('not-the-secret', identity.userId, identity.email);
    expect((await widget('POST', '/sessions', { body: { token: inbox.publicToken, identity: { ...identity, signature: otherSecret } } })).json().code).toBe('IDENTITY_INVALID');
    const unsigned = await widget('POST', '/sessions', { body: { token: inbox.publicToken, identity } });
    expect(unsigned.statusCode).toBe(400);
    // A stored token of a signed-in user does not resume once the page no longer vouches for that user.
    const loggedOut = await session({ visitorToken: bob.visitorToken });
    expect(loggedOut.visitor.id).not.toBe(bob.visitor.id);
  });

  it('refuses sites outside the allow-list with a clear error, and answers CORS for the widget', async () => {
    const locked = await f.inbox({ channel: 'chat', settings: { allowedOrigins: ['https://shop.example.com'] } });
    const ok = await widget('GET', `/config?token=${locked.publicToken}`, { origin: 'https://shop.example.com' });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe('https://shop.example.com');
    const refused = await widget('POST', '/sessions', { origin: 'https://evil.example.net', body: { token: locked.publicToken } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'ORIGIN_NOT_ALLOWED' });
    expect(refused.json().detail).toContain('https://evil.example.net');
    expect(refused.headers['access-control-allow-origin']).toBe('https://evil.example.net');
    const preflight = await t.app.inject({ method: 'OPTIONS', url: '/widget-api/messages', headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'POST' } });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-headers']).toContain('x-careline-visitor');
  });

  it('turns the first message into a conversation the agent sees, never stores a resend twice, and hides internal notes', async () => {
    const v = await session({ name: 'Carla' });
    const first = await widget('POST', '/messages', { visitor: v.visitorToken, body: { text: 'Where is my parcel?', clientId: 'c1' } });
    expect(first.statusCode).toBe(201);
    const m1 = first.json();
    expect(m1).toMatchObject({ kind: 'incoming', text: 'Where is my parcel?', clientId: 'c1', author: { type: 'visitor' } });
    const resend = await widget('POST', '/messages', { visitor: v.visitorToken, body: { text: 'Where is my parcel?', clientId: 'c1' } });
    expect(resend.statusCode).toBe(200);
    expect(resend.json().id).toBe(m1.id);

    const list = (await api('GET', `/conversations?inboxId=${inbox.id}`)).json();
    const conv = list.items.find((c: { lastMessagePreview: string }) => c.lastMessagePreview === 'Where is my parcel?');
    expect(conv).toBeTruthy();
    expect((await api('POST', `/conversations/${conv.id}/notes`, { text: 'secret note' })).statusCode).toBe(201);
    expect((await api('POST', `/conversations/${conv.id}/reply`, { text: 'It ships today' })).statusCode).toBe(201);

    const seen = (await widget('GET', '/messages', { visitor: v.visitorToken })).json();
    expect(seen.items.map((m: { text: string }) => m.text)).toEqual(['Where is my parcel?', 'It ships today']);
    expect(seen.items[1].author).toMatchObject({ type: 'agent' });
    expect(seen.items[0].deliveryState).toBe('read');
    const after = (await widget('GET', `/messages?after=${m1.id}`, { visitor: v.visitorToken })).json();
    expect(after.items.map((m: { text: string }) => m.text)).toEqual(['It ships today']);
    const conversation = (await api('GET', `/conversations/${conv.id}`)).json();
    expect(conversation.messages.filter((m: { kind: string }) => m.kind === 'incoming')).toHaveLength(1);
  });

  it('rejects empty, oversized and unauthenticated messages with clear errors', async () => {
    const v = await session();
    expect((await widget('POST', '/messages', { visitor: v.visitorToken, body: { text: '   ', clientId: 'x' } })).json().code).toBe('VALIDATION_FAILED');
    expect((await widget('POST', '/messages', { visitor: v.visitorToken, body: { text: 'a'.repeat(5001), clientId: 'y' } })).statusCode).toBe(400);
    const anon = await widget('POST', '/messages', { visitor: 'cvt_unknown', body: { text: 'hi', clientId: 'z' } });
    expect(anon.statusCode).toBe(401);
    expect(anon.json().detail).toMatch(/start a new chat session/);
  });

  it('stores text as text: markup from a visitor is never turned into HTML', async () => {
    const v = await session();
    const m = (await widget('POST', '/messages', { visitor: v.visitorToken, body: { text: '<img src=x onerror=alert(1)>', clientId: 'h1' } })).json();
    const conv = (await api('GET', `/conversations?inboxId=${inbox.id}`)).json().items.find((c: { lastMessagePreview: string }) => c.lastMessagePreview.startsWith('<img'));
    const stored = (await api('GET', `/conversations/${conv.id}`)).json().messages[0];
    expect(stored).toMatchObject({ text: '<img src=x onerror=alert(1)>', html: null });
    expect(m.text).toBe('<img src=x onerror=alert(1)>');
  });

  it('takes attachments the visitor uploaded, serves them by signed link only, and refuses someone else\'s upload', async () => {
    const v = await session();
    const boundary = '----careline';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="photo.png"\r\nContent-Type: image/png\r\n\r\nPNGDATA\r\n--${boundary}--\r\n`;
    const up = await t.app.inject({ method: 'POST', url: '/widget-api/attachments', payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-careline-visitor': v.visitorToken } });
    expect(up.statusCode, up.body).toBe(201);
    const att = up.json();
    const other = await session();
    const stolen = await widget('POST', '/messages', { visitor: other.visitorToken, body: { text: 'mine', clientId: 's1', attachmentIds: [att.id] } });
    expect(stolen.statusCode).toBe(400);
    const sent = await widget('POST', '/messages', { visitor: v.visitorToken, body: { text: '', clientId: 'a1', attachmentIds: [att.id] } });
    expect(sent.statusCode).toBe(201);
    const url = new URL(sent.json().attachments[0].url, "http://x");
    const file = await t.app.inject({ method: 'GET', url: url.pathname + url.search });
    expect(file.statusCode).toBe(200);
    expect(file.body).toBe('PNGDATA');
    expect(file.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect((await t.app.inject({ method: 'GET', url: `${url.pathname}?sig=wrong` })).statusCode).toBe(404);
  });

  it('shows the team offline outside business hours, with when it is back', async () => {
    const closed = await f.inbox({ channel: 'chat', settings: { businessHours: { timeZone: 'Asia/Ho_Chi_Minh', days: {} } } });
    expect((await widget('GET', `/config?token=${closed.publicToken}`)).json().presence).toEqual({ isOnline: false, backAt: null });
    const now = new Date();
    const day = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][new Date(now.getTime() + 2 * 86400_000).getUTCDay()]!;
    const later = await f.inbox({ channel: 'chat', settings: { businessHours: { timeZone: 'UTC', days: { [day]: [{ open: '09:00', close: '17:00' }] } } } });
    const p = (await widget('GET', `/config?token=${later.publicToken}`)).json().presence;
    expect(p.isOnline).toBe(false);
    const back = new Date(p.backAt);
    expect(back.getUTCHours()).toBe(9);
    expect(back.getTime()).toBeGreaterThan(now.getTime());
    expect(back.getTime() - now.getTime()).toBeLessThanOrEqual(3 * 86400_000);
  });

  it('emails an unread reply to a visitor who left an address, once, and a transcript on request', async () => {
    const v = await session();
    await widget('POST', '/messages', { visitor: v.visitorToken, body: { text: 'Anyone there? Offline question', clientId: 'o1' } });
    const email = await widget('POST', '/email', { visitor: v.visitorToken, body: { email: 'Dana@Example.com', name: 'Dana' } });
    expect(email.json()).toMatchObject({ email: 'dana@example.com', name: 'Dana' });
    const conv = (await api('GET', `/conversations?inboxId=${inbox.id}`)).json().items.find((c: { lastMessagePreview: string }) => c.lastMessagePreview === 'Anyone there? Offline question');
    expect(conv).toBeTruthy();
    await api('POST', `/conversations/${conv.id}/reply`, { text: 'Answer for Dana by email' });
    await t.deps.jobs.drain();
    const mails = outbox().filter((m) => m.includes('Answer for Dana by email'));
    expect(mails).toHaveLength(1);
    expect(mails[0]).toContain('To: dana@example.com');
    expect(mails[0]).toMatch(/Subject: New reply from Test Co \[#\d+\]/);
    await t.deps.jobs.drain();
    expect(outbox().filter((m) => m.includes('Answer for Dana by email'))).toHaveLength(1);

    const tr = await widget('POST', '/transcript', { visitor: v.visitorToken, body: {} });
    expect(tr.statusCode).toBe(202);
    await t.deps.jobs.drain();
    const transcript = outbox().find((m) => m.includes('Subject: Your chat with Test Co'));
    expect(transcript).toContain('Anyone there? Offline question');
    expect(transcript).toContain('Answer for Dana by email');
  });

  it('suggests published help articles for the question, as plain text with links to the help center', async () => {
    expect((await widget('GET', `/articles?token=${inbox.publicToken}&q=warranty%20lamp&lang=en`)).json().items).toEqual([]);
    const admin = await f.session(await f.user({ role: 'admin' }));
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/knowledge/articles', headers: { cookie: admin.cookie }, payload: { translation: { language: 'en', title: 'Lamp warranty', bodyHtml: '<p>Every lamp has a three year warranty.</p>', status: 'published' } } });
    expect(created.statusCode, created.body).toBe(201);
    const items = (await widget('GET', `/articles?token=${inbox.publicToken}&q=warranty%20lamp&lang=en`)).json().items;
    expect(items[0]).toMatchObject({ title: 'Lamp warranty' });
    expect(items[0].url).toMatch(/\/help\/en\/articles\//);
    expect(items[0].snippet).not.toMatch(/[<>]/);
  });

  it('limits new sessions per IP', async () => {
    const results: number[] = [];
    for (let i = 0; i < 65; i++) results.push((await t.app.inject({ method: 'POST', url: '/widget-api/sessions', payload: { token: inbox.publicToken }, remoteAddress: '10.9.9.9' })).statusCode);
    expect(results.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(results.slice(0, 10).every((s) => s === 200)).toBe(true);
  });
});
