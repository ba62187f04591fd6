import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';
import { makeFactories } from '../../../testing/factories.ts';
import { createImapService } from './imap.ts';
import { composeMail } from './testing/mail.ts';
import { hasDovecot, startDovecot } from './testing/dovecot.ts';
import { waitFor } from '../../../testing/wait.ts';

// XOAUTH2 against a real Dovecot: its oauth2 passdb checks every access token at the introspection
// endpoint of a tiny authorization server served here (token endpoint with refresh-token rotation).
let t: TestApp;
let dovecot: Awaited<ReturnType<typeof startDovecot>>;
let authServer: http.Server;
let tokenUrl: string;
let service: ReturnType<typeof createImapService> | null = null;
let inbox: { id: string };
let admin: { cookie: string };

const PASSWORD = 'Dovecot-Pass-oauth-9x';
const issued = new Map<string, { expiresAt: number }>();
let currentRefresh = 'refresh-0';
const refreshes: string[] = [];
const introspected: { token: string; active: boolean }[] = [];

const form = (req: http.IncomingMessage) => new Promise<URLSearchParams>((resolve) => {
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', () => resolve(new URLSearchParams(body)));
});
const json = (res: http.ServerResponse, status: number, value: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(value)); };

const startAuthServer = () => new Promise<void>((resolve) => {
  authServer = http.createServer((req, res) => void (async () => {
    const p = await form(req);
    if (req.url === '/token') {
      if (p.get('grant_type') !== 'refresh_token' || p.get('client_id') !== 'careline-app' || p.get('client_secret') !== 'client-secret') return json(res, 401, { error: 'invalid_client' });
      if (p.get('refresh_token') !== currentRefresh) return json(res, 400, { error: 'invalid_grant', error_description: 'unknown refresh token' });
      refreshes.push(currentRefresh);
      const access = `access-${refreshes.length}-${randomBytes(6).toString('hex')}`;
      issued.set(access, { expiresAt: Date.now() + 3600_000 });
      currentRefresh = `refresh-${refreshes.length}`; // rotated: the old one stops working
      return json(res, 200, { access_token: access, token_type: 'Bearer', expires_in: 3600, refresh_token: currentRefresh });
    }
    if (req.url === '/introspect') {
      const token = p.get('token') ?? '';
      const active = (issued.get(token)?.expiresAt ?? 0) > Date.now();
      introspected.push({ token, active });
      return json(res, 200, active ? { active: true, username: 'alice', scope: 'imap' } : { active: false });
    }
    json(res, 404, {});
  })());
  authServer.listen(0, '127.0.0.1', () => resolve());
});

const api = (method: string, url: string, payload?: unknown) =>
  t.app.inject({ method: method as 'GET', url: `/api/v1${url}`, headers: { cookie: admin.cookie }, payload: payload as object });
const append = async (subject: string) => {
  const c = new ImapFlow({ host: '127.0.0.1', port: dovecot.port, secure: false, auth: { user: 'alice', pass: PASSWORD }, logger: false });
  await c.connect();
  try { await c.append('INBOX', await composeMail({ from: 'Oskar <oskar@example.com>', to: 'm365@acme.test', subject, text: 'Hello over XOAUTH2' })); } finally { await c.logout(); }
};
const bySubject = async (subject: string) =>
  (await api('GET', `/conversations?q=${encodeURIComponent(subject)}`)).json().items.find((c: { subject: string }) => c.subject === subject);
const xoauth2Logins = () => (fs.readFileSync(path.join(dovecot.dir, 'log'), 'utf8').match(/Login: user=<alice>, method=XOAUTH2/g) ?? []).length;
const startService = async () => { service = createImapService(t.deps); await service.start(); };
const stopService = async () => { await service?.stop(); service = null; };

describe.skipIf(!hasDovecot)('IMAP XOAUTH2 sign-in with token refresh (Dovecot oauth2 passdb)', () => {
  beforeAll(async () => {
    await startAuthServer();
    const base = `http://127.0.0.1:${(authServer.address() as AddressInfo).port}`;
    tokenUrl = `${base}/token`;
    dovecot = await startDovecot({ alice: PASSWORD }, { oauth2IntrospectionUrl: `${base}/introspect` });
    t = await createTestApp();
    const f = makeFactories(t);
    inbox = await f.inbox({ channel: 'email', emailAddress: 'm365@acme.test' });
    admin = await f.session(await f.user({ role: 'admin' }));
    const put = await api('PUT', `/inboxes/${inbox.id}/email-settings`, {
      isImapInbound: true, imap: { host: '127.0.0.1', port: dovecot.port, secure: false, user: 'alice', auth: 'oauth2', pollSeconds: 10 },
      oauth2: { tokenUrl, clientId: 'careline-app' }, oauth2ClientSecret: 'client-secret', oauth2RefreshToken: 'refresh-0',
    });
    expect(put.statusCode, put.body).toBe(200);
  }, 30_000);
  afterAll(async () => {
    await stopService();
    await t?.close();
    await dovecot?.close();
    await new Promise((r) => authServer?.close(r));
  });

  it('gets an access token by refresh, signs in with XOAUTH2 and fetches a message', async () => {
    await append('Sent to the Microsoft 365 mailbox');
    await startService();
    const c = await waitFor(() => bySubject('Sent to the Microsoft 365 mailbox'));
    expect(c.inboxId).toBe(inbox.id);
    expect(refreshes).toEqual(['refresh-0']);
    expect(xoauth2Logins()).toBeGreaterThanOrEqual(1);
    // The rotated refresh token and the access token are kept, encrypted.
    const row = await t.deps.db.kysely.selectFrom('email_channels').select('secrets').where('inbox_id', '=', inbox.id).executeTakeFirstOrThrow();
    const access = [...issued.keys()][0]!;
    expect(row.secrets).not.toContain(access);
    expect(row.secrets).not.toContain('refresh-1');
    const health = await waitFor(async () => { const h = (await api('GET', `/inboxes/${inbox.id}/email-health`)).json(); return h.lastFetchAt ? h : null; });
    expect(health).toMatchObject({ state: 'ok', isImapConnected: true, lastError: null });
  });

  it('reuses the stored access token while it is valid (no refresh on reconnect)', async () => {
    await stopService();
    const logins = xoauth2Logins();
    await append('Second message, same token');
    await startService();
    await waitFor(() => bySubject('Second message, same token'));
    expect(refreshes).toEqual(['refresh-0']);
    expect(xoauth2Logins()).toBe(logins + 1);
  });

  it('refreshes when the server says the access token has expired, with the rotated refresh token, and signs in again', async () => {
    await stopService();
    for (const v of issued.values()) v.expiresAt = Date.now() - 1000; // expired early, as a provider may do
    await append('After the token expired');
    await startService();
    await waitFor(() => bySubject('After the token expired'));
    expect(refreshes).toEqual(['refresh-0', 'refresh-1']);
    expect(introspected.some((i) => !i.active)).toBe(true); // the old token was refused first
    const health = (await api('GET', `/inboxes/${inbox.id}/email-health`)).json();
    expect(health.isImapConnected).toBe(true);
  });
});
