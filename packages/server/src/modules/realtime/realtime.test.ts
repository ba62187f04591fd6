import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { makeFactories } from '../../testing/factories.ts';
import { connectSocket } from '../../testing/ws-client.ts';

let t: TestApp;
let f: ReturnType<typeof makeFactories>;
let base = '';
let origin = '';
beforeAll(async () => {
  t = await createTestApp();
  f = makeFactories(t);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const port = (t.app.server.address() as AddressInfo).port;
  base = `ws://127.0.0.1:${port}/api/v1/realtime`;
  origin = `http://127.0.0.1:${port}`;
});
afterAll(() => t?.close());

describe('realtime socket', () => {
  it('pushes events only to agents who may see the inbox', async () => {
    const inboxA = await f.inbox(); const inboxB = await f.inbox();
    const alice = await f.session(await f.user({ inboxIds: [inboxA.id] }));
    const bob = await f.session(await f.user({ inboxIds: [inboxB.id] }));
    const boss = await f.session(await f.user({ role: 'supervisor' }));
    const [a, b, s] = await Promise.all([alice, bob, boss].map((who) => connectSocket(base, { ...who, origin })));
    await Promise.all([a, b, s].map((c) => c.waitFor((m) => m.type === 'ready')));
    const conv = await f.conversation({ inboxId: inboxA.id, text: 'Hello from A' });
    const got = await a.waitFor((m) => m.type === 'event' && m.event.name === 'message.created');
    expect(got.event.data.message.text).toBe('Hello from A');
    await s.waitFor((m) => m.type === 'event' && m.event.data.conversation?.id === conv.id);
    await f.conversation({ inboxId: inboxB.id, text: 'Hello from B' });
    await b.waitFor((m) => m.type === 'event' && m.event.name === 'message.created');
    expect(a.messages.some((m) => m.event?.data?.message?.text === 'Hello from B')).toBe(false);
    expect(b.messages.some((m) => m.event?.data?.message?.text === 'Hello from A')).toBe(false);
    [a, b, s].forEach((c) => c.close());
  });

  it('starts sending an inbox\'s events as soon as an agent is added to it', async () => {
    const inbox = await f.inbox();
    const u = await f.user();
    const c = await connectSocket(base, { ...(await f.session(u)), origin });
    await c.waitFor((m) => m.type === 'ready');
    const admin = await f.session(await f.user({ role: 'admin' }));
    await t.app.inject({ method: 'PATCH', url: `/api/v1/inboxes/${inbox.id}`, headers: admin, payload: { memberIds: [u.id] } });
    await new Promise((r) => setTimeout(r, 50));
    await f.conversation({ inboxId: inbox.id, text: 'now visible' });
    await c.waitFor((m) => m.event?.data?.message?.text === 'now visible');
    c.close();
  });

  it('shares who is viewing or typing in a conversation with the other agents', async () => {
    const inbox = await f.inbox();
    const conv = await f.conversation({ inboxId: inbox.id });
    const ua = await f.user({ name: 'Agent One', inboxIds: [inbox.id] });
    const ub = await f.user({ name: 'Agent Two', inboxIds: [inbox.id] });
    const a = await connectSocket(base, { ...(await f.session(ua)), origin });
    const b = await connectSocket(base, { ...(await f.session(ub)), origin });
    await Promise.all([a.waitFor((m) => m.type === 'ready'), b.waitFor((m) => m.type === 'ready')]);
    a.send({ type: 'presence', conversationId: conv.id, state: 'typing' });
    const p = await b.waitFor((m) => m.type === 'presence');
    expect(p).toMatchObject({ conversationId: conv.id, state: 'typing', user: { id: ua.id, name: 'Agent One' } });
    a.send({ type: 'presence', conversationId: crypto.randomUUID(), state: 'viewing' });
    expect((await a.waitFor((m) => m.type === 'error')).code).toBe('NOT_FOUND');
    a.close();
    const left = await b.waitFor((m) => m.type === 'presence' && m.state === 'left');
    expect(left).toMatchObject({ conversationId: conv.id, user: { id: ua.id } });
    b.close();
  });

  it('refuses anonymous sockets and cross-site origins', async () => {
    await expect(connectSocket(base, {})).rejects.toThrow(/401/);
    const s = await f.session(await f.user());
    await expect(connectSocket(base, { ...s, origin: 'https://evil.example' })).rejects.toThrow(/403/);
  });
});
