import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { apiCaller, makeFactories } from '../../testing/factories.ts';

let t: TestApp;
let admin: { cookie: string };
let agent: { cookie: string };

beforeAll(async () => {
  t = await createTestApp();
  const f = makeFactories(t);
  admin = await f.session(await f.user({ role: 'admin' }));
  agent = await f.session(await f.user({ role: 'agent' }));
});
afterAll(() => t?.close());

const api = (...a: Parameters<ReturnType<typeof apiCaller>>) => apiCaller(t)(...a);

describe('canned replies API', () => {
  it('lets supervisors manage canned replies and every agent search them, shortcut matches first', async () => {
    const created = await api(admin, 'POST', '/canned-replies', { shortcut: 'Refund', title: 'Refund issued', text: 'Hi {{contact.first_name}}, your refund is on its way. {{agent.name}}' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ shortcut: 'refund', title: 'Refund issued' });
    await api(admin, 'POST', '/canned-replies', { shortcut: 'thanks', title: 'Thanks', text: 'Thanks for the refund question, we will check.' });
    await api(admin, 'POST', '/canned-replies', { shortcut: 'shipping', title: 'Shipping times', text: 'Orders ship in 2 days.' });

    const found = (await api(agent, 'GET', '/canned-replies?q=ref')).json();
    expect(found.map((r: { shortcut: string }) => r.shortcut)).toEqual(['refund', 'thanks']);
    expect((await api(agent, 'GET', '/canned-replies')).json()).toHaveLength(3);

    expect((await api(agent, 'POST', '/canned-replies', { shortcut: 'x', title: 'x', text: 'x' })).statusCode).toBe(403);
    expect((await api(admin, 'POST', '/canned-replies', { shortcut: 'refund', title: 'Dup', text: 'dup' })).json().code).toBe('CONFLICT');
    expect((await api(admin, 'POST', '/canned-replies', { shortcut: 'has space', title: 'x', text: 'x' })).statusCode).toBe(400);

    const id = created.json().id;
    const updated = await api(admin, 'PATCH', `/canned-replies/${id}`, { title: 'Refund sent' });
    expect(updated.json()).toMatchObject({ shortcut: 'refund', title: 'Refund sent' });
    expect((await api(admin, 'DELETE', `/canned-replies/${id}`)).statusCode).toBe(204);
    expect((await api(agent, 'GET', '/canned-replies?q=refund')).json().map((r: { shortcut: string }) => r.shortcut)).toEqual(['thanks']);
  });
});
