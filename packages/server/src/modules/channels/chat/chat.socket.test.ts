import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';
import { apiCaller, makeFactories } from '../../../testing/factories.ts';
import { connectSocket } from '../../../testing/ws-client.ts';

let t: TestApp;
let f: ReturnType<typeof makeFactories>;
let inbox: { id: string; secret: string; publicToken: string };
let agent: { cookie: string };
let base: string;

beforeAll(async () => {
  t = await createTestApp();
  f = makeFactories(t);
  inbox = await f.inbox({ channel: 'chat', settings: { allowedOrigins: ['https://shop.example.com'] } });
  agent = await f.session(await f.user({ role: 'agent', name: 'Agata Nowak', inboxIds: [inbox.id] }));
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = t.app.server.address() as { port: number };
  base = `127.0.0.1:${addr.port}`;
});
afterAll(() => t?.close());

const SHOP = { origin: 'https://shop.example.com' };
const api = (method: string, url: string, payload?: unknown) => apiCaller(t)(agent, method, url, payload);
const newVisitor = async (name = 'Visitor') => {
  const res = await t.app.inject({ method: 'POST', url: '/widget-api/sessions', headers: SHOP, payload: { token: inbox.publicToken, name } });
  return res.json().visitorToken as string;
};
const visitorSocket = async (visitorToken: string, after: string | null = null, headers: Record<string, string> = SHOP) => {
  const ws = await connectSocket(`ws://${base}/widget-api/socket`, headers);
  ws.send({ type: 'hello', visitorToken, after });
  return ws;
};
const conversationOf = async (text: string) =>
  (await api('GET', `/conversations?inboxId=${inbox.id}`)).json().items.find((c: { lastMessagePreview: string }) => c.lastMessagePreview === text).id as string;
const isMessage = (text: string) => (m: any) => m.type === 'message' && m.message.text === text;

describe('visitor WebSocket', () => {
  it('delivers a visitor message to the agent and the agent reply to the visitor live, never internal notes', async () => {
    const visitor = await visitorSocket(await newVisitor('Quinn'));
    const ready = await visitor.waitFor((m) => m.type === 'ready');
    expect(ready.presence.isOnline).toBe(true);
    const agentWs = await connectSocket(`ws://${base}/api/v1/realtime`, { cookie: agent.cookie });
    await agentWs.waitFor((m) => m.type === 'ready');

    visitor.send({ type: 'message', clientId: 'k1', text: 'Hello live' });
    const ack = await visitor.waitFor((m) => m.type === 'ack' && m.clientId === 'k1');
    expect(ack.message).toMatchObject({ text: 'Hello live', kind: 'incoming' });
    const seenByAgent = await agentWs.waitFor((m) => m.type === 'event' && m.event.name === 'message.created' && m.event.data.message.text === 'Hello live');
    const conversationId = seenByAgent.event.data.conversationId;

    await api('POST', `/conversations/${conversationId}/notes`, { text: 'internal only' });
    await api('POST', `/conversations/${conversationId}/reply`, { text: 'Hi Quinn, Agata here' });
    const reply = await visitor.waitFor(isMessage('Hi Quinn, Agata here'));
    expect(reply.message.author).toEqual({ type: 'agent', name: 'Agata Nowak' });
    // The reply also marked the visitor's message read.
    await visitor.waitFor((m) => m.type === 'message' && m.message.id === ack.message.id && m.message.deliveryState === 'read');
    expect(visitor.messages.some((m) => m.type === 'message' && m.message.text === 'internal only')).toBe(false);
    visitor.close(); agentWs.close();
  });

  it('resumes after a dropped connection from the last message id: nothing lost, nothing twice', async () => {
    const token = await newVisitor();
    let ws = await visitorSocket(token);
    await ws.waitFor((m) => m.type === 'ready');
    ws.send({ type: 'message', clientId: 'r1', text: 'Before the drop' });
    const first = (await ws.waitFor((m) => m.type === 'ack')).message;
    const conversationId = await conversationOf('Before the drop');
    await api('POST', `/conversations/${conversationId}/reply`, { text: 'Reply 1' });
    const r1 = (await ws.waitFor(isMessage('Reply 1'))).message;
    ws.socket.terminate();

    await api('POST', `/conversations/${conversationId}/reply`, { text: 'Reply 2 (while away)' });
    await api('POST', `/conversations/${conversationId}/reply`, { text: 'Reply 3 (while away)' });
    ws = await visitorSocket(token, r1.id);
    await ws.waitFor(isMessage('Reply 3 (while away)'));
    // The widget resends a message whose ack it never got: stored once.
    ws.send({ type: 'message', clientId: 'r1', text: 'Before the drop' });
    const again = (await ws.waitFor((m) => m.type === 'ack' && m.clientId === 'r1')).message;
    expect(again.id).toBe(first.id);
    await api('POST', `/conversations/${conversationId}/reply`, { text: 'Reply 4 (live)' });
    await ws.waitFor(isMessage('Reply 4 (live)'));
    const texts = ws.messages.filter((m) => m.type === 'message' && m.message.kind === 'outgoing').map((m) => m.message.text);
    expect(texts).toEqual(['Reply 2 (while away)', 'Reply 3 (while away)', 'Reply 4 (live)']);
    const stored = (await api('GET', `/conversations/${conversationId}`)).json().messages.filter((m: { text: string }) => m.text === 'Before the drop');
    expect(stored).toHaveLength(1);
    ws.close();
  });

  it('shows typing both ways and read receipts to the agent', async () => {
    const ws = await visitorSocket(await newVisitor('Tina'));
    await ws.waitFor((m) => m.type === 'ready');
    ws.send({ type: 'message', clientId: 't1', text: 'Typing test' });
    await ws.waitFor((m) => m.type === 'ack');
    const conversationId = await conversationOf('Typing test');
    const agentWs = await connectSocket(`ws://${base}/api/v1/realtime`, { cookie: agent.cookie });
    await agentWs.waitFor((m) => m.type === 'ready');

    ws.send({ type: 'typing', isTyping: true });
    const typing = await agentWs.waitFor((m) => m.type === 'presence' && m.conversationId === conversationId);
    expect(typing).toMatchObject({ state: 'typing', inboxId: inbox.id, user: { id: 'visitor', name: 'Tina' } });

    agentWs.send({ type: 'presence', conversationId, state: 'typing' });
    expect(await ws.waitFor((m) => m.type === 'typing')).toEqual({ type: 'typing', agent: { name: 'Agata Nowak' }, isTyping: true });

    const reply = (await api('POST', `/conversations/${conversationId}/reply`, { text: 'Read me' })).json();
    await ws.waitFor(isMessage('Read me'));
    ws.send({ type: 'read', messageId: reply.id });
    const updated = await agentWs.waitFor((m) => m.type === 'event' && m.event.name === 'message.updated' && m.event.data.message.id === reply.id);
    expect(updated.event.data.message.deliveryState).toBe('read');
    ws.close(); agentWs.close();
  });

  it('limits how fast one visitor can send', async () => {
    const ws = await visitorSocket(await newVisitor());
    await ws.waitFor((m) => m.type === 'ready');
    for (let i = 0; i < 30; i++) ws.send({ type: 'message', clientId: `f${i}`, text: `flood ${i}` });
    const limited = await ws.waitFor((m) => m.type === 'error' && m.code === 'RATE_LIMITED');
    expect(limited.clientId).toMatch(/^f\d+$/);
    ws.close();
  });

  it('refuses a socket from a site outside the allow-list and an unknown visitor, with the reason', async () => {
    const evil = await visitorSocket(await newVisitor(), null, { origin: 'https://evil.example.net' });
    expect(await evil.waitFor((m) => m.type === 'error')).toMatchObject({ code: 'ORIGIN_NOT_ALLOWED' });
    const unknown = await visitorSocket('cvt_nobody');
    expect(await unknown.waitFor((m) => m.type === 'error')).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
