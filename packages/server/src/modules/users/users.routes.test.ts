import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { apiCaller, makeFactories } from '../../testing/factories.ts';

let t: TestApp;
let f: ReturnType<typeof makeFactories>;
let admin: { cookie: string };
beforeAll(async () => { t = await createTestApp(); f = makeFactories(t); admin = await f.session(await f.user({ role: 'admin' })); });
afterAll(() => t?.close());
const api = (...a: Parameters<ReturnType<typeof apiCaller>>) => apiCaller(t)(...a);

describe('users, teams and inboxes', () => {
  it('an admin creates an agent who can sign in, with language and time zone', async () => {
    const res = await api(admin, 'POST', '/users', { email: 'New.Agent@Test.local', name: 'Linh', role: 'agent', password: 'long enough pw', language: 'vi', timeZone: 'Asia/Ho_Chi_Minh' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ email: 'new.agent@test.local', language: 'vi', timeZone: 'Asia/Ho_Chi_Minh', availability: 'offline' });
    expect((await api(admin, 'POST', '/users', { email: 'new.agent@test.local', name: 'Dup', password: 'long enough pw' })).json().code).toBe('EMAIL_TAKEN');
    const s = await f.session({ email: 'new.agent@test.local', password: 'long enough pw' });
    const me = (await api(s, 'PATCH', '/profile', { availability: 'online', language: 'pl' })).json();
    expect(me).toMatchObject({ availability: 'online', language: 'pl' });
    expect((await api(s, 'PATCH', '/profile', { password: 'another long pw', currentPassword: 'wrong' })).statusCode).toBe(401);
    expect((await api(s, 'PATCH', '/profile', { role: 'admin' })).statusCode).toBe(400);
  });

  it('an admin cannot demote or disable themself', async () => {
    const me = (await api(admin, 'GET', '/profile')).json();
    expect((await api(admin, 'PATCH', `/users/${me.id}`, { role: 'agent' })).statusCode).toBe(409);
  });

  it('teams and inbox membership show on the user and decide what an agent sees', async () => {
    const u = await f.user();
    const team = (await api(admin, 'POST', '/teams', { name: 'Returns', memberIds: [u.id] })).json();
    expect(team.memberIds).toEqual([u.id]);
    const inbox = (await api(admin, 'POST', '/inboxes', { name: 'Support', channel: 'email', emailAddress: 'Support@Lumen.example', businessName: 'Lumen', greeting: 'Hi', memberIds: [u.id] })).json();
    expect(inbox).toMatchObject({ emailAddress: 'support@lumen.example', channel: 'email', memberIds: [u.id] });
    expect(inbox.secret).toMatch(/^cis_/);
    expect(JSON.stringify((await api(admin, 'GET', `/inboxes/${inbox.id}`)).json())).not.toContain(inbox.secret);
    const other = (await api(admin, 'POST', '/inboxes', { name: 'Chat', channel: 'chat' })).json();
    expect((await api(admin, 'GET', `/users/${u.id}`)).json()).toMatchObject({ teamIds: [team.id], inboxIds: [inbox.id] });
    const s = await f.session(u);
    expect((await api(s, 'GET', '/inboxes')).json().map((i: { id: string }) => i.id)).toEqual([inbox.id]);
    expect((await api(s, 'GET', `/inboxes/${other.id}`)).statusCode).toBe(404);
    expect((await api(admin, 'POST', '/inboxes', { name: 'Dup', channel: 'email', emailAddress: 'support@lumen.example' })).statusCode).toBe(409);
    const rotated = (await api(admin, 'POST', `/inboxes/${inbox.id}/rotate-secret`)).json();
    expect(rotated.secret).not.toBe(inbox.secret);
  });
});
