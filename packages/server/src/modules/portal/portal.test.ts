import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { makeFactories } from '../../testing/factories.ts';
import { fixedClock } from '../../platform/clock.ts';

let t: TestApp;
let f: ReturnType<typeof makeFactories>;
const clock = fixedClock(new Date('2026-03-02T09:00:00Z'));
let inboxA: string; let inboxB: string;

beforeAll(async () => {
  t = await createTestApp({ clock });
  f = makeFactories(t);
  inboxA = (await f.inbox({ channel: 'email', name: 'Email' })).id;
  inboxB = (await f.inbox({ channel: 'chat', name: 'Chat' })).id;
});
afterAll(() => t?.close());

let ip = 0;
// Each call from its own client address, so the per-IP limits of the sign-in form stay out of the way.
const form = (url: string, body: Record<string, string>, cookie?: string, origin?: string) => t.app.inject({
  method: 'POST', url, payload: new URLSearchParams(body).toString(), remoteAddress: `10.0.${Math.floor(++ip / 250)}.${ip % 250 + 1}`,
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}), ...(origin ? { origin } : {}) },
});
const get = (url: string, cookie?: string) => t.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });

/** The last sign-in link emailed to an address (system mail is written to <data dir>/outbox without SMTP). */
const linkFor = async (email: string) => {
  await t.deps.jobs.drain();
  const dir = path.join(t.dataDir, 'outbox');
  const mails = await Promise.all((fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []).map((x) => simpleParser(fs.readFileSync(path.join(dir, x)))));
  const mine = mails.filter((m) => m.to && !Array.isArray(m.to) && m.to.text === email && /portal\/auth\?token=/.test(m.text ?? ''));
  const text = mine[mine.length - 1]?.text ?? '';
  return /(\/portal\/auth\?token=[^\s&]+)/.exec(text)?.[1] ?? null;
};

const signIn = async (email: string) => {
  expect((await form('/portal/sign-in', { email, lang: 'en' })).statusCode).toBe(303);
  const link = await linkFor(email);
  expect(link).toBeTruthy();
  const token = decodeURIComponent(new URL(link!, 'http://x').searchParams.get('token')!);
  const confirm = await get(link!);
  expect(confirm.body).toContain('name="token"');
  const r = await form('/portal/auth', { token, lang: 'en' });
  expect(r.statusCode).toBe(303);
  const setCookie = String(r.headers['set-cookie']);
  expect(setCookie).toMatch(/careline_portal=cps_/);
  expect(setCookie).toMatch(/HttpOnly/i);
  expect(setCookie).toMatch(/SameSite=Lax/i);
  expect(setCookie).toMatch(/Path=\/portal/);
  return { cookie: setCookie.split(';')[0]!, token };
};

describe('customer portal', () => {
  it('signs in with a one-time link, lists own conversations across channels with status, replies and closes', async () => {
    const mine1 = await f.conversation({ inboxId: inboxA, email: 'mai@example.com', subject: 'Broken lamp' });
    const mine2 = await f.conversation({ inboxId: inboxB, email: 'MAI@example.com', subject: 'Chat about delivery' });
    const theirs = await f.conversation({ inboxId: inboxA, email: 'other@example.com', subject: 'Secret order of someone else' });
    const { cookie, token } = await signIn('mai@example.com');

    // The link works once.
    expect((await form('/portal/auth', { token, lang: 'en' })).statusCode).toBe(400);

    const list = await get('/portal?lang=en', cookie);
    expect(list.body).toContain('Broken lamp');
    expect(list.body).toContain('Chat about delivery');
    expect(list.body).not.toContain('Secret order of someone else');
    expect(list.body).toContain('Signed in as mai@example.com');

    // Resolve, then the customer's reply reopens it.
    const admin = await f.session(await f.user({ role: 'admin' }));
    await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${mine1.id}/notes`, headers: { cookie: admin.cookie }, payload: { text: 'INTERNAL: customer is difficult' } });
    await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${mine1.id}/reply`, headers: { cookie: admin.cookie }, payload: { text: 'A new lamp is on its way.' } });
    await t.app.inject({ method: 'PATCH', url: `/api/v1/conversations/${mine1.id}`, headers: { cookie: admin.cookie }, payload: { status: 'resolved' } });
    const detail = await get(`/portal/conversations/${mine1.id}?lang=en`, cookie);
    expect(detail.statusCode).toBe(200);
    expect(detail.body).toContain('A new lamp is on its way.');
    expect(detail.body).not.toContain('INTERNAL');
    expect(detail.body).toContain('Solved');

    const reply = await form(`/portal/conversations/${mine1.id}/reply?lang=en`, { text: 'It arrived broken again!' }, cookie);
    expect(reply.statusCode).toBe(303);
    const after = await t.app.inject({ method: 'GET', url: `/api/v1/conversations/${mine1.id}`, headers: { cookie: admin.cookie } });
    expect(after.json().status).toBe('open');
    expect(after.json().messages.at(-1)).toMatchObject({ kind: 'incoming', text: 'It arrived broken again!', authorContactId: after.json().contactId });

    const close = await form(`/portal/conversations/${mine2.id}/close?lang=en`, {}, cookie);
    expect(close.statusCode).toBe(303);
    const closed = await t.app.inject({ method: 'GET', url: `/api/v1/conversations/${mine2.id}`, headers: { cookie: admin.cookie } });
    expect(closed.json().status).toBe('closed');
    expect(closed.json().messages.at(-1)).toMatchObject({ kind: 'activity' });
    expect(theirs.status).toBe('open');
  });

  it('a customer can never see or touch another customer\'s conversation, even by guessing ids', async () => {
    const victim = await f.conversation({ inboxId: inboxA, email: 'victim@example.com', subject: 'Victim private matter', text: 'my address is 1 Secret St' });
    await f.conversation({ inboxId: inboxA, email: 'attacker@example.com', subject: 'Attacker own' });
    const { cookie } = await signIn('attacker@example.com');
    const msg = await t.deps.db.kysely.selectFrom('messages').select('id').where('conversation_id', '=', victim.id).executeTakeFirstOrThrow();
    // Bytes first, then the row (a put is a transaction of its own: never inside another one).
    const { key } = await t.deps.blobs.put(Buffer.from('secret file'));
    const att = await t.deps.db.transaction(async ({ tx }) => {
      const id = '0190a000-0000-7000-8000-000000000001';
      await tx.insertInto('attachments').values({ id, message_id: msg.id, filename: 'secret.txt', content_type: 'text/plain', size: 11, blob_key: key, content_id: null, created_at: clock.iso() }).execute();
      return id;
    });

    const view = await get(`/portal/conversations/${victim.id}?lang=en`, cookie);
    expect(view.statusCode).toBe(404);
    expect(view.body).not.toContain('Victim private matter');
    // An unknown id looks exactly the same as someone else's.
    const unknown = await get(`/portal/conversations/0190a000-0000-7000-8000-00000000ffff?lang=en`, cookie);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body.replace(/nonce="[^"]*"/g, '')).toBe(view.body.replace(/nonce="[^"]*"/g, ''));
    expect((await get(`/portal/conversations/${victim.number}?lang=en`, cookie)).statusCode).toBe(404);
    expect((await form(`/portal/conversations/${victim.id}/reply?lang=en`, { text: 'injected' }, cookie)).statusCode).toBe(404);
    expect((await form(`/portal/conversations/${victim.id}/close?lang=en`, {}, cookie)).statusCode).toBe(404);
    expect((await get(`/portal/attachments/${att}`, cookie)).statusCode).toBe(404);
    const list = await get('/portal?lang=en', cookie);
    expect(list.body).not.toContain('Victim private matter');
    const v = await t.deps.db.kysely.selectFrom('conversations').selectAll().where('id', '=', victim.id).executeTakeFirstOrThrow();
    expect(v.status).toBe('open');
    expect((await t.deps.db.kysely.selectFrom('messages').select('text').where('conversation_id', '=', victim.id).execute()).map((m) => m.text)).not.toContain('injected');

    // The victim sees their own file.
    const victimSession = await signIn('victim@example.com');
    expect((await get(`/portal/attachments/${att}`, victimSession.cookie)).body).toBe('secret file');
    // An agent session cookie is not a portal session, and a portal cookie is not an agent session.
    const admin = await f.session(await f.user({ role: 'admin' }));
    expect((await get(`/portal/conversations/${victim.id}`, admin.cookie)).statusCode).toBe(303);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/conversations', headers: { cookie: victimSession.cookie } })).statusCode).toBe(401);
  });

  it('links expire after 15 minutes, unknown addresses get no mail, and the answer never reveals which', async () => {
    await f.conversation({ inboxId: inboxA, email: 'late@example.com' });
    const known = await form('/portal/sign-in', { email: 'late@example.com', lang: 'en' });
    const unknown = await form('/portal/sign-in', { email: 'nobody@example.com', lang: 'en' });
    expect(known.headers.location).toBe(unknown.headers.location);
    expect(await linkFor('nobody@example.com')).toBeNull();
    const link = await linkFor('late@example.com');
    clock.advance(16 * 60_000);
    const token = decodeURIComponent(new URL(link!, 'http://x').searchParams.get('token')!);
    const r = await form('/portal/auth', { token, lang: 'en' });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('invalid, expired or already used');
    const stored = await t.deps.db.kysely.selectFrom('portal_tokens').select('token_hash').execute();
    expect(stored.map((s) => s.token_hash)).not.toContain(token);
  });

  it('limits sign-in links per address, refuses cross-site posts, and signs out', async () => {
    await f.conversation({ inboxId: inboxA, email: 'flood@example.com' });
    for (let i = 0; i < 8; i++) await t.app.inject({ method: 'POST', url: '/portal/sign-in', payload: 'email=flood%40example.com', headers: { 'content-type': 'application/x-www-form-urlencoded' }, remoteAddress: `192.0.2.${i + 10}` });
    expect(await t.deps.db.kysely.selectFrom('portal_tokens').select('id').where('email', '=', 'flood@example.com').execute()).toHaveLength(5);

    const { cookie } = await signIn('mai@example.com');
    const conv = await t.deps.db.kysely.selectFrom('conversations').innerJoin('contact_identities', 'contact_identities.contact_id', 'conversations.contact_id')
      .select('conversations.id').where('contact_identities.value', '=', 'mai@example.com').executeTakeFirstOrThrow();
    expect((await form(`/portal/conversations/${conv.id}/reply`, { text: 'csrf' }, cookie, 'https://evil.example')).statusCode).toBe(403);
    expect((await form('/portal/sign-out', {}, cookie)).statusCode).toBe(303);
    expect((await get('/portal?lang=en', cookie)).body).toContain('Email me a sign-in link');
  });
  it('shows times in the contact\'s stored time zone, else the browser\'s (cookie), else UTC for the script to convert', async () => {
    // 22:30 UTC is already the next day in Warsaw (summer time, UTC+2) and in Ho Chi Minh City (UTC+7).
    clock.advance(Date.parse('2026-07-15T22:30:00Z') - clock.now().getTime());
    const c = await f.conversation({ inboxId: inboxA, email: 'zone@example.com', subject: 'Zone check' });
    const { cookie } = await signIn('zone@example.com');
    const utc = 'datetime="2026-07-15T22:30:00.000Z"';
    const timeText = (body: string) => [...body.matchAll(/<time[^>]*datetime="2026-07-15T22:30:00.000Z"[^>]*>([^<]*)<\/time>/g)].map((m) => m[1]!.replace(/\s/g, ' '));

    // Nothing known: UTC, labelled, marked for tz.js, which the page loads.
    const plain = await get(`/portal/conversations/${c.id}?lang=en`, cookie);
    expect(plain.body).toContain(utc);
    expect(timeText(plain.body)).toEqual(['Jul 15, 2026, 10:30 PM UTC']);
    expect(plain.body).toContain('data-local="{&quot;year&quot;:&quot;numeric&quot;,&quot;month&quot;:&quot;short&quot;');
    expect(plain.body).toContain('<script src="/help/assets/tz.js" defer></script>');

    // The browser's zone from the cookie; an invalid zone is ignored.
    const warsaw = await get(`/portal/conversations/${c.id}?lang=en`, `${cookie}; careline_tz=Europe%2FWarsaw`);
    expect(timeText(warsaw.body)).toEqual(['Jul 16, 2026, 12:30 AM GMT+2']);
    expect(warsaw.body).not.toContain('data-local');
    expect(timeText((await get(`/portal/conversations/${c.id}?lang=en`, `${cookie}; careline_tz=Mars%2FOlympus`)).body)).toEqual(['Jul 15, 2026, 10:30 PM UTC']);
    expect(timeText((await get(`/portal?lang=en`, `${cookie}; careline_tz=Europe%2FWarsaw`)).body)).toEqual(['Jul 16, 2026, 12:30 AM GMT+2']);

    // The contact's stored zone wins over the browser's, on the list and in the thread, in each language.
    const admin = await f.session(await f.user({ role: 'admin' }));
    const patched = await t.app.inject({ method: 'PATCH', url: `/api/v1/contacts/${c.contactId}`, headers: { cookie: admin.cookie }, payload: { timeZone: 'Asia/Ho_Chi_Minh' } });
    expect(patched.statusCode).toBe(200);
    const list = await get('/portal?lang=en', `${cookie}; careline_tz=Europe%2FWarsaw`);
    expect(list.body).toContain(utc);
    expect(timeText(list.body)).toEqual(['Jul 16, 2026, 5:30 AM GMT+7']);
    expect(timeText((await get(`/portal/conversations/${c.id}?lang=en`, cookie)).body)).toEqual(['Jul 16, 2026, 5:30 AM GMT+7']);
    expect(timeText((await get(`/portal/conversations/${c.id}?lang=vi`, cookie)).body)[0]).toMatch(/05:30.*16.*2026|16.*2026.*05:30/);
    expect(timeText((await get(`/portal/conversations/${c.id}?lang=pl`, cookie)).body)[0]).toMatch(/16 lip 2026.*05:30/);
  });
});
