import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { makeFactories } from '../../testing/factories.ts';
import { hashToken } from '../../platform/ids.ts';

let t: TestApp;
let f: ReturnType<typeof makeFactories>;
beforeAll(async () => { t = await createTestApp(); f = makeFactories(t); });
afterAll(() => t?.close());

const signIn = (email: string, password: string, ip = '10.0.0.1') =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email, password }, remoteAddress: ip });

describe('sign-in and sessions', () => {
  it('sets an HttpOnly, SameSite=Lax session cookie and stores only its hash', async () => {
    const u = await f.user({ role: 'agent' });
    const res = await signIn(u.email.toUpperCase(), u.password);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ email: u.email, role: 'agent' });
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/careline_session=cls_[\w-]{40,}/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    const token = /careline_session=([^;]+)/.exec(setCookie)![1]!;
    const rows = await t.deps.db.kysely.selectFrom('sessions').select('token_hash').where('user_id', '=', u.id).execute();
    expect(rows.map((r) => r.token_hash)).toContain(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: `careline_session=${token}` } });
    expect(me.json().id).toBe(u.id);
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-out', headers: { cookie: `careline_session=${token}` } });
    expect(out.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: `careline_session=${token}` } })).statusCode).toBe(401);
  });

  it('stores passwords with scrypt, never in clear', async () => {
    const u = await f.user();
    const row = await t.deps.db.kysely.selectFrom('users').select('password_hash').where('id', '=', u.id).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(row.password_hash).not.toContain(u.password);
  });

  it('answers the same for an unknown email and a wrong password', async () => {
    const u = await f.user();
    const a = await signIn('nobody@test.local', 'whatever-password');
    const b = await signIn(u.email, 'wrong-password');
    expect([a.statusCode, b.statusCode]).toEqual([401, 401]);
    expect(a.json().code).toBe('INVALID_CREDENTIALS');
    expect(b.json().code).toBe('INVALID_CREDENTIALS');
  });

  it('locks an account after 10 failures, even with the right password, from any IP', async () => {
    const u = await f.user();
    for (let i = 0; i < 10; i++) expect((await signIn(u.email, 'wrong-password', `10.1.0.${i}`)).statusCode).toBe(401);
    const res = await signIn(u.email, u.password, '10.2.0.1');
    expect(res.statusCode).toBe(429);
    expect(res.json().code).toBe('RATE_LIMITED');
  });

  it('limits failures per IP across accounts', async () => {
    for (let i = 0; i < 50; i++) await signIn(`ghost${i}@test.local`, 'wrong-password', '10.9.9.9');
    const u = await f.user();
    expect((await signIn(u.email, u.password, '10.9.9.9')).statusCode).toBe(429);
    expect((await signIn(u.email, u.password, '10.9.9.10')).statusCode).toBe(200);
  });

  it('ends every session of a disabled user', async () => {
    const admin = await f.session(await f.user({ role: 'admin' }));
    const u = await f.user();
    const s = await f.session(u);
    const res = await t.app.inject({ method: 'DELETE', url: `/api/v1/users/${u.id}`, headers: admin });
    expect(res.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: s })).statusCode).toBe(401);
    expect((await signIn(u.email, u.password, '10.3.0.1')).statusCode).toBe(401);
  });
});

describe('CSRF and headers', () => {
  it('refuses a cross-site state change made with the session cookie', async () => {
    const s = await f.session(await f.user({ role: 'admin' }));
    const evil = await t.app.inject({ method: 'POST', url: '/api/v1/teams', headers: { ...s, origin: 'https://evil.example' }, payload: { name: 'Evil' } });
    expect(evil.statusCode).toBe(403);
    expect(evil.json().code).toBe('CSRF_REJECTED');
    const fetchSite = await t.app.inject({ method: 'POST', url: '/api/v1/teams', headers: { ...s, 'sec-fetch-site': 'cross-site' }, payload: { name: 'Evil2' } });
    expect(fetchSite.statusCode).toBe(403);
    const same = await t.app.inject({ method: 'POST', url: '/api/v1/teams', headers: { ...s, origin: 'http://127.0.0.1:3000' }, payload: { name: 'Good' } });
    expect(same.statusCode).toBe(201);
  });

  it('sends security headers on every response', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/conversations' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });
});

describe('API tokens', () => {
  it('shows a token once, stores its hash, authenticates with it, and stops after revocation', async () => {
    const u = await f.user({ role: 'supervisor' });
    const s = await f.session(u);
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/api-tokens', headers: s, payload: { name: 'CRM sync' } });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json();
    expect(token).toMatch(/^clt_/);
    const listed = (await t.app.inject({ method: 'GET', url: '/api/v1/api-tokens', headers: s })).json();
    expect(JSON.stringify(listed)).not.toContain(token);
    expect(listed[0]).toMatchObject({ id, name: 'CRM sync', prefix: token.slice(0, 8) });
    const bearer = { authorization: `Bearer ${token}` };
    // Token requests are not cookie-based, so they need no Origin.
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/teams', headers: bearer, payload: { name: 'Via token' } })).statusCode).toBe(201);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/api-tokens/${id}`, headers: s })).statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/teams', headers: bearer });
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('UNAUTHENTICATED');
  });

  it('does not let one agent revoke another agent\'s token', async () => {
    const a = await f.session(await f.user());
    const b = await f.session(await f.user());
    const { id } = (await t.app.inject({ method: 'POST', url: '/api/v1/api-tokens', headers: a, payload: { name: 'mine' } })).json();
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/api-tokens/${id}`, headers: b })).statusCode).toBe(404);
  });
});
