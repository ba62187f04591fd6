import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';
import { apiCaller, makeFactories } from '../../../testing/factories.ts';
import { systemCtx } from '../../../platform/context.ts';
import { appendMessage } from '../index.ts';

let t: TestApp;
let f: ReturnType<typeof makeFactories>;
let agent: { cookie: string };
let agentId: string;
let inboxA: string;
let inboxB: string;

beforeAll(async () => {
  t = await createTestApp();
  f = makeFactories(t);
  inboxA = (await f.inbox({ name: 'A' })).id;
  inboxB = (await f.inbox({ name: 'B' })).id;
  const a = await f.user({ role: 'agent', inboxIds: [inboxA] });
  agentId = a.id;
  agent = await f.session(a);
});
afterAll(() => t?.close());

const api = (...a: Parameters<ReturnType<typeof apiCaller>>) => apiCaller(t)(...a);

const customerWrites = (conversationId: string, text: string) => t.deps.db.transaction(async (w) => {
  const row = await w.tx.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirstOrThrow();
  return appendMessage(w, systemCtx(t.deps), row, { kind: 'incoming', text, authorContactId: row.contact_id });
});

describe('agent app conversation endpoints', () => {
  it('counts open conversations per view and unread ones, only in my inboxes', async () => {
    const mine = await f.conversation({ inboxId: inboxA, assigneeId: agentId });
    const free = await f.conversation({ inboxId: inboxA });
    await f.conversation({ inboxId: inboxB }); // not visible to the agent
    const counts = (await api(agent, 'GET', '/conversations/counts')).json();
    expect(counts).toMatchObject({ mine: 1, unassigned: 1, all: 2, unread: { mine: 1, unassigned: 1, all: 2 } });
    expect(counts.status.open).toBe(2);
    expect(counts.inboxes).toEqual({ [inboxA]: 2 });

    expect((await api(agent, 'POST', `/conversations/${mine.id}/read`)).statusCode).toBe(200);
    const after = (await api(agent, 'GET', '/conversations/counts')).json();
    expect(after.unread).toEqual({ mine: 0, unassigned: 1, all: 1 });
    const hidden = await f.conversation({ inboxId: inboxB });
    const state = (await api(agent, 'GET', `/conversations/row-details?ids=${mine.id},${free.id},${hidden.id}`)).json();
    expect(state[mine.id]).toMatchObject({ contactName: 'Customer', contactHandle: expect.stringMatching(/@example\.com$/), lastReadAt: expect.any(String) });
    expect(state[free.id].lastReadAt).toBeNull();
    expect(state[hidden.id]).toBeUndefined();

    await new Promise((r) => setTimeout(r, 5));
    await customerWrites(mine.id, 'One more thing');
    expect((await api(agent, 'GET', '/conversations/counts')).json().unread.mine).toBe(1);
  });

  it('splits a message out into a new conversation of the same customer', async () => {
    const conv = await f.conversation({ inboxId: inboxA, text: 'My lamp is broken' });
    const second = await customerWrites(conv.id, 'Also, can I change my address?');
    const res = await api(agent, 'POST', `/conversations/${conv.id}/messages/${second.id}/split`);
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ contactId: conv.contactId, inboxId: inboxA, assigneeId: agentId, lastMessagePreview: 'Also, can I change my address?' });
    expect(created.messages.map((m: { kind: string; text: string }) => m.text)).toContain('Also, can I change my address?');
    const source = (await api(agent, 'GET', `/conversations/${conv.id}`)).json();
    expect(source.messages.some((m: { id: string }) => m.id === second.id)).toBe(false);
    expect(source.lastMessagePreview).toBe('My lamp is broken');
    expect(source.messages.at(-1)).toMatchObject({ kind: 'activity', text: `A message was split out into conversation #${created.number}` });

    const only = source.messages.find((m: { kind: string }) => m.kind === 'incoming');
    expect((await api(agent, 'POST', `/conversations/${conv.id}/messages/${only.id}/split`)).statusCode).toBe(400);
    const hidden = await f.conversation({ inboxId: inboxB });
    expect((await api(agent, 'POST', `/conversations/${hidden.id}/messages/${only.id}/split`)).statusCode).toBe(404);
  });
});
