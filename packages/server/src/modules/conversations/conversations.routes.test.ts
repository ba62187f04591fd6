import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { apiCaller, makeFactories } from '../../testing/factories.ts';

let t: TestApp;
let f: ReturnType<typeof makeFactories>;
let admin: { cookie: string };
let agent: { cookie: string };
let agentId: string;
let inboxA: string;
let inboxB: string;

beforeAll(async () => {
  t = await createTestApp();
  f = makeFactories(t);
  inboxA = (await f.inbox({ name: 'A' })).id;
  inboxB = (await f.inbox({ name: 'B' })).id;
  admin = await f.session(await f.user({ role: 'admin' }));
  const a = await f.user({ role: 'agent', inboxIds: [inboxA] });
  agentId = a.id;
  agent = await f.session(a);
});
afterAll(() => t?.close());

const api = (...a: Parameters<ReturnType<typeof apiCaller>>) => apiCaller(t)(...a);

describe('conversations API', () => {
  it('creates a conversation with its first message and finds or creates the customer', async () => {
    const res = await api(agent, 'POST', '/conversations', {
      inboxId: inboxA, subject: 'Broken lamp', contact: { name: 'Emma', identities: [{ kind: 'email', value: 'Emma@Example.com' }] },
      message: { text: 'My lamp arrived broken' }, tags: ['damaged'],
    });
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(c.number).toBeGreaterThan(1000);
    expect(c.status).toBe('open');
    expect(c.tags).toEqual(['damaged']);
    expect(c.messages).toHaveLength(1);
    expect(c.messages[0]).toMatchObject({ kind: 'incoming', text: 'My lamp arrived broken', deliveryState: 'received' });
    const again = await api(agent, 'POST', '/conversations', { inboxId: inboxA, contact: { identities: [{ kind: 'email', value: 'emma@example.com' }] }, message: { text: 'Second' } });
    expect(again.json().contactId).toBe(c.contactId);
  });

  it('replies, notes, assigns, tags, snoozes and resolves, each recorded in the audit log', async () => {
    const conv = await f.conversation({ inboxId: inboxA });
    const reply = await api(agent, 'POST', `/conversations/${conv.id}/reply`, { text: 'We are on it' });
    expect(reply.statusCode).toBe(201);
    expect(reply.json()).toMatchObject({ kind: 'outgoing', deliveryState: 'sent', authorUserId: agentId });
    const html = (await api(agent, 'POST', `/conversations/${conv.id}/reply`, { text: 'x', html: '<p onclick="steal()">Hi <b>there</b><script>alert(1)</script><img src="javascript:alert(1)"></p>' })).json().html;
    expect(html).toBe('<p>Hi <b>there</b><img /></p>');
    expect((await api(agent, 'POST', `/conversations/${conv.id}/notes`, { text: 'internal' })).json().kind).toBe('note');
    expect((await api(agent, 'POST', `/conversations/${conv.id}/assign`, { assigneeId: agentId })).json().assigneeId).toBe(agentId);
    expect((await api(agent, 'POST', `/conversations/${conv.id}/tags`, { tags: ['Refund', 'vip'] })).json().tags).toEqual(['refund', 'vip']);
    expect((await api(agent, 'DELETE', `/conversations/${conv.id}/tags`, { tags: ['vip'] })).json().tags).toEqual(['refund']);
    const until = new Date(Date.now() + 3600_000).toISOString();
    const snoozed = (await api(agent, 'PATCH', `/conversations/${conv.id}`, { status: 'snoozed', snoozedUntil: until })).json();
    expect(snoozed).toMatchObject({ status: 'snoozed', snoozedUntil: until });
    const resolved = (await api(agent, 'PATCH', `/conversations/${conv.id}`, { status: 'resolved', priority: 'high' })).json();
    expect(resolved).toMatchObject({ status: 'resolved', priority: 'high', snoozedUntil: null });
    expect(resolved.firstResponseAt).not.toBeNull();
    expect(resolved.resolvedAt).not.toBeNull();
    const log = (await api(admin, 'GET', `/audit?entity=conversation&entityId=${conv.id}`)).json();
    expect(log.map((e: { action: string }) => e.action)).toEqual(['created', 'assigned', 'tagged', 'untagged', 'updated', 'updated']);
    expect(log.at(-1)).toMatchObject({ before: { status: 'snoozed' }, after: { status: 'resolved' }, actorType: 'user' });
  });

  it('reopens a resolved conversation when the customer writes again', async () => {
    const conv = await f.conversation({ inboxId: inboxA });
    await api(agent, 'PATCH', `/conversations/${conv.id}`, { status: 'resolved' });
    const { appendMessage } = await import('./index.ts');
    const { systemCtx } = await import('../../platform/context.ts');
    await t.deps.db.transaction(async (w) => {
      const row = await w.tx.selectFrom('conversations').selectAll().where('id', '=', conv.id).executeTakeFirstOrThrow();
      await appendMessage(w, systemCtx(t.deps), row, { kind: 'incoming', text: 'Still broken' });
    });
    expect((await api(agent, 'GET', `/conversations/${conv.id}`)).json().status).toBe('open');
  });

  it('maps a custom status onto its base state', async () => {
    const cs = await api(admin, 'POST', '/custom-statuses', { name: 'Waiting for warehouse', baseStatus: 'pending' });
    expect(cs.statusCode).toBe(201);
    const conv = await f.conversation({ inboxId: inboxA });
    const res = (await api(agent, 'PATCH', `/conversations/${conv.id}`, { customStatusId: cs.json().id })).json();
    expect(res).toMatchObject({ status: 'pending', customStatusId: cs.json().id });
    expect((await api(agent, 'PATCH', `/conversations/${conv.id}`, { status: 'open' })).json().customStatusId).toBeNull();
    expect((await api(agent, 'PATCH', `/conversations/${conv.id}`, { customStatusId: cs.json().id, status: 'open' })).statusCode).toBe(400);
  });

  it('lists with filters and cursor pagination, newest activity first', async () => {
    const inbox = (await f.inbox()).id;
    const made = [];
    for (let i = 0; i < 7; i++) made.push(await f.conversation({ inboxId: inbox, tags: i % 2 ? ['odd'] : [] }));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await api(admin, 'GET', `/conversations?inboxId=${inbox}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      seen.push(...res.json().items.map((c: { id: string }) => c.id));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(seen).toEqual(made.map((c) => c.id).reverse());
    const pages = async (sort: string) => {
      const ids: string[] = []; let next: string | null = null;
      do {
        const res: { items: { id: string }[]; nextCursor: string | null } = (await api(admin, 'GET', `/conversations?inboxId=${inbox}&limit=2&sort=${sort}${next ? `&cursor=${next}` : ''}`)).json();
        ids.push(...res.items.map((c: { id: string }) => c.id)); next = res.nextCursor;
      } while (next);
      return ids;
    };
    expect(await pages('oldest')).toEqual(made.map((c) => c.id));
    await api(admin, 'PATCH', `/conversations/${made[3]!.id}`, { priority: 'urgent' });
    await api(admin, 'PATCH', `/conversations/${made[5]!.id}`, { priority: 'high' });
    const byPriority = await pages('priority');
    expect(byPriority.slice(0, 2)).toEqual([made[3]!.id, made[5]!.id]);
    expect(byPriority).toHaveLength(7);
    expect((await pages('waiting'))[0]).toBe(made[0]!.id);
    expect((await api(admin, 'GET', `/conversations?inboxId=${inbox}&tag=odd`)).json().items).toHaveLength(3);
    expect((await api(admin, 'GET', `/conversations?inboxId=${inbox}&assignee=unassigned&status=open`)).json().items).toHaveLength(7);
    expect((await api(admin, 'GET', `/conversations?inboxId=${inbox}&assignee=me`)).json().items).toHaveLength(0);
    expect((await api(admin, 'GET', `/conversations?cursor=garbage`)).statusCode).toBe(400);
    const special = await f.conversation({ inboxId: inbox, subject: 'Đổi trả 100%_off', email: 'hoa.search@example.vn' });
    const search = async (q: string) => (await api(admin, 'GET', `/conversations?inboxId=${inbox}&q=${encodeURIComponent(q)}`)).json().items.map((c: { id: string }) => c.id);
    expect(await search('100%_off')).toEqual([special.id]);
    expect(await search('HOA.SEARCH')).toEqual([special.id]);
    expect(await search(`#${special.number}`)).toEqual([special.id]);
    expect(await search('0%x')).toEqual([]);
  });

  it('hides conversations outside an agent\'s inboxes as 404', async () => {
    const other = await f.conversation({ inboxId: inboxB });
    expect((await api(agent, 'GET', `/conversations/${other.id}`)).statusCode).toBe(404);
    expect((await api(agent, 'POST', `/conversations/${other.id}/reply`, { text: 'x' })).statusCode).toBe(404);
    expect((await api(agent, 'GET', `/conversations?inboxId=${inboxB}`)).json().items).toHaveLength(0);
    expect((await api(agent, 'POST', '/conversations', { inboxId: inboxB, contact: {}, message: { text: 'x' } })).statusCode).toBe(404);
    expect((await api(admin, 'GET', `/conversations/${other.id}`)).statusCode).toBe(200);
  });

  it('merges two conversations of one customer: messages move, the other closes with a pointer', async () => {
    const a = await f.conversation({ inboxId: inboxA, email: 'merge@example.com', text: 'first', tags: ['a'] });
    const b = await f.conversation({ inboxId: inboxA, email: 'merge@example.com', text: 'second', tags: ['b'] });
    const res = await api(agent, 'POST', `/conversations/${a.id}/merge`, { sourceId: b.id });
    expect(res.statusCode).toBe(200);
    const merged = res.json();
    expect(merged.tags).toEqual(['a', 'b']);
    expect(merged.messages.filter((m: { kind: string }) => m.kind === 'incoming').map((m: { text: string }) => m.text)).toEqual(['first', 'second']);
    const source = (await api(agent, 'GET', `/conversations/${b.id}`)).json();
    expect(source).toMatchObject({ status: 'closed', mergedIntoId: a.id });
    expect((await api(agent, 'POST', `/conversations/${b.id}/reply`, { text: 'x' })).statusCode).toBe(409);
    const stranger = await f.conversation({ inboxId: inboxA, email: 'someone-else@example.com' });
    expect((await api(agent, 'POST', `/conversations/${a.id}/merge`, { sourceId: stranger.id })).json().code).toBe('MERGE_INVALID');
  });

  it('stores an uploaded attachment and serves it only to those who see the conversation', async () => {
    const conv = await f.conversation({ inboxId: inboxA });
    const boundary = '----careline';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="note.txt"\r\nContent-Type: text/plain\r\n\r\nhello file\r\n--${boundary}--\r\n`;
    const up = await t.app.inject({ method: 'POST', url: '/api/v1/attachments', headers: { cookie: agent.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: body });
    expect(up.statusCode).toBe(201);
    const reply = (await api(agent, 'POST', `/conversations/${conv.id}/reply`, { text: 'see file', attachmentIds: [up.json().id] })).json();
    expect(reply.attachments[0]).toMatchObject({ filename: 'note.txt', size: 10 });
    const dl = await t.app.inject({ method: 'GET', url: reply.attachments[0].url, headers: { cookie: agent.cookie } });
    expect(dl.body).toBe('hello file');
    expect(dl.headers['content-disposition']).toContain('attachment');
    expect((await api(agent, 'POST', `/conversations/${conv.id}/reply`, { text: 'again', attachmentIds: [up.json().id] })).statusCode).toBe(400);
  });
});
