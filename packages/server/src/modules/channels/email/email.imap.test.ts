import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';
import { makeFactories } from '../../../testing/factories.ts';
import { connectImap, createImapService } from './imap.ts';
import { loadChannel, sealPlaintextSecrets } from './operations/settings.ts';
import { composeMail } from './testing/mail.ts';
import { hasDovecot, startDovecot } from './testing/dovecot.ts';
import { waitFor } from '../../../testing/wait.ts';

// A real Dovecot (Debian's dovecot-imapd) started privately for this file; skipped where it is not installed.
let t: TestApp;
let f: ReturnType<typeof makeFactories>;
let dovecot: Awaited<ReturnType<typeof startDovecot>>;
let service: ReturnType<typeof createImapService>;
let inbox: { id: string; secret: string };
let admin: { cookie: string };
/** Distinctive, so finding it in a database row cannot be a coincidence. */
const PASSWORD = 'Dovecot-Pass-7q3zK';

const api = (method: string, url: string, payload?: unknown) =>
  t.app.inject({ method: method as 'GET', url: `/api/v1${url}`, headers: { cookie: admin.cookie }, payload: payload as object });
const mailbox = async () => {
  const c = new ImapFlow({ host: '127.0.0.1', port: dovecot.port, secure: false, auth: { user: 'alice', pass: PASSWORD }, logger: false });
  await c.connect();
  return c;
};
const append = async (raw: Buffer, flags: string[] = []) => { const c = await mailbox(); try { await c.append('INBOX', raw, flags); } finally { await c.logout(); } };
const flagsOf = async () => {
  const c = await mailbox();
  const lock = await c.getMailboxLock('INBOX');
  const out = new Map<string, string[]>();
  try { for await (const m of c.fetch('1:*', { envelope: true, flags: true })) out.set(m.envelope!.subject!, [...m.flags!]); } finally { lock.release(); await c.logout(); }
  return out;
};
const bySubject = async (subject: string) =>
  (await api('GET', `/conversations?q=${encodeURIComponent(subject)}`)).json().items.find((c: { subject: string }) => c.subject === subject);
const mail = (subject: string, text = 'Hello from IMAP') => composeMail({ from: 'Rita <rita@example.com>', to: 'support@acme.test', subject, text, messageId: `<${subject.replace(/\W/g, '')}.${Date.now()}@example.com>` });

describe.skipIf(!hasDovecot)('IMAP fetching from Dovecot', () => {
  beforeAll(async () => {
    dovecot = await startDovecot({ alice: PASSWORD });
    t = await createTestApp();
    f = makeFactories(t);
    inbox = await f.inbox({ channel: 'email', emailAddress: 'support@acme.test' });
    admin = await f.session(await f.user({ role: 'admin' }));
    await append(await mail('Before start'));
    await append(Buffer.from('this is not\r\na valid\0message at all\r\n'));
    await append(await mail('Read in webmail already'), ['\\Seen']);
    const put = await api('PUT', `/inboxes/${inbox.id}/email-settings`, {
      isImapInbound: true, imap: { host: '127.0.0.1', port: dovecot.port, secure: false, user: 'alice', pollSeconds: 10 }, imapPassword: PASSWORD, alertAfterMinutes: 30,
    });
    expect(put.statusCode, put.body).toBe(200);
    service = createImapService(t.deps);
    await service.start();
  }, 30_000);
  afterAll(async () => { await service?.stop(); await t?.close(); await dovecot?.close(); });

  it('imports waiting mail (a broken message included), then marks it seen', async () => {
    const c = await waitFor(() => bySubject('Before start'));
    expect(c.inboxId).toBe(inbox.id);
    await waitFor(async () => (await flagsOf()).get('Before start')?.includes('\\Seen'));
    // The broken message is stored too (with its raw original), and the round completes.
    await waitFor(async () => (await t.deps.db.kysely.selectFrom('email_messages').select('id').where('inbox_id', '=', inbox.id).where('source', '=', 'imap').execute()).length >= 2);
    const health = await waitFor(async () => { const h = (await api('GET', `/inboxes/${inbox.id}/email-health`)).json(); return h.lastFetchAt ? h : null; });
    expect(health).toMatchObject({ state: 'ok', isImapConnected: true, lastError: null });
    expect(health.lastFetchAt).not.toBeNull();
  });

  it('imports a message someone opened in webmail before we fetched it (new by UID, not only by \\Unseen)', async () => {
    // First run imports unseen mail; afterwards everything above the last UID is new, seen or not.
    await append(await mail('Opened before we fetched'), ['\\Seen']);
    await waitFor(() => bySubject('Opened before we fetched'));
  });

  it('picks up new mail pushed by IDLE without waiting for a poll', async () => {
    await append(await mail('Pushed by IDLE'));
    const started = Date.now();
    await waitFor(() => bySubject('Pushed by IDLE'), 8_000);
    expect(Date.now() - started).toBeLessThan(8_000); // the poll interval is 10 s
  });

  it('reports the server error while it is down, retries, and resumes by itself', async () => {
    await dovecot.stop();
    const failing = await waitFor(async () => {
      const h = (await api('GET', `/inboxes/${inbox.id}/email-health`)).json();
      return h.state === 'failing' ? h : null;
    });
    expect(failing.isImapConnected).toBe(false);
    expect(failing.lastError).toMatch(/ECONNREFUSED|connect|closed/i);
    await dovecot.start();
    await append(await mail('After the outage'));
    await waitFor(() => bySubject('After the outage'), 30_000);
    await waitFor(async () => (await api('GET', `/inboxes/${inbox.id}/email-health`)).json().state === 'ok');
  }, 60_000);

  it('records the server words when the password is wrong', async () => {
    const other = await f.inbox({ channel: 'email', emailAddress: 'wrongpass@acme.test' });
    await api('PUT', `/inboxes/${other.id}/email-settings`, { isImapInbound: true, imap: { host: '127.0.0.1', port: dovecot.port, secure: false, user: 'alice' }, imapPassword: 'nope' });
    const h = await waitFor(async () => {
      const x = (await api('GET', `/inboxes/${other.id}/email-health`)).json();
      return x.lastError ? x : null;
    });
    expect(h.state).toBe('failing');
    expect(h.lastError).toMatch(/Authentication failed/i);
    await api('PUT', `/inboxes/${other.id}/email-settings`, { isImapInbound: false });
  });

  it('stores the mailbox password encrypted (not in the row), and signs in to Dovecot with it', async () => {
    // The first test signed in with the password saved through the API; here is what the database holds.
    const row = await t.deps.db.kysely.selectFrom('email_channels').select('secrets').where('inbox_id', '=', inbox.id).executeTakeFirstOrThrow();
    expect(row.secrets).toMatch(/^aes-256-gcm:v1:[A-Za-z0-9+/=]+$/);
    expect(row.secrets).not.toContain(PASSWORD);
    expect(Buffer.from(row.secrets!.split(':')[2]!, 'base64').toString('latin1')).not.toContain(PASSWORD);
    const client = await connectImap(t.deps, await loadChannel(t.deps.db.kysely, inbox.id, t.deps.config));
    expect(client.authenticated).toBeTruthy();
    await client.logout();
    // Another key cannot read it: the fetcher reports why instead of signing in with an empty password.
    const otherKey = { ...t.deps.config, CARELINE_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') };
    const wrong = await loadChannel(t.deps.db.kysely, inbox.id, otherKey);
    expect(wrong.secrets).toEqual({});
    await expect(connectImap({ ...t.deps, config: otherKey }, wrong)).rejects.toThrow(/cannot be decrypted/);
  });

  it('keeps signing in with a password stored before encryption, and encrypts it at start', async () => {
    const legacy = await f.inbox({ channel: 'email', emailAddress: 'legacy@acme.test' });
    const now = t.deps.clock.iso();
    await t.deps.db.transaction(({ tx }) => tx.insertInto('email_channels').values({
      inbox_id: legacy.id, config: JSON.stringify({ imap: { host: '127.0.0.1', port: dovecot.port, secure: false, user: 'alice', auth: 'password', mailbox: 'INBOX', pollSeconds: 60, isTlsVerified: true, afterImport: 'seen' } }),
      secrets: JSON.stringify({ imapPassword: PASSWORD }), is_imap_enabled: false, created_at: now, updated_at: now,
    }).execute());
    const before = await connectImap(t.deps, await loadChannel(t.deps.db.kysely, legacy.id, t.deps.config));
    await before.logout();
    expect(await sealPlaintextSecrets(t.deps)).toBe(1);
    const row = await t.deps.db.kysely.selectFrom('email_channels').select('secrets').where('inbox_id', '=', legacy.id).executeTakeFirstOrThrow();
    expect(row.secrets).not.toContain(PASSWORD);
    expect(await sealPlaintextSecrets(t.deps)).toBe(0);
    const after = await connectImap(t.deps, await loadChannel(t.deps.db.kysely, legacy.id, t.deps.config));
    expect(after.authenticated).toBeTruthy();
    await after.logout();
  });

  it('backfills the mailbox from a date into another inbox, idempotently, with progress', async () => {
    const archive = await f.inbox({ channel: 'email', emailAddress: 'archive@acme.test' });
    await api('PUT', `/inboxes/${archive.id}/email-settings`, { isImapInbound: false, imap: { host: '127.0.0.1', port: dovecot.port, secure: false, user: 'alice' }, imapPassword: PASSWORD });
    const count = (await flagsOf()).size; // the broken message counts once, under an undefined subject
    const started = await api('POST', `/inboxes/${archive.id}/email-backfill`, { since: '2020-01-01' });
    expect(started.statusCode, started.body).toBe(202);
    expect(started.json().status).toBe('queued');
    await t.deps.jobs.drain();
    const done = (await api('GET', `/inboxes/${archive.id}/email-backfill`)).json();
    expect(done).toMatchObject({ status: 'done', total: count, processed: count, imported: count, duplicates: 0 });
    await api('POST', `/inboxes/${archive.id}/email-backfill`, { since: '2020-01-01' });
    await t.deps.jobs.drain();
    expect((await api('GET', `/inboxes/${archive.id}/email-backfill`)).json()).toMatchObject({ status: 'done', imported: 0, duplicates: count });
    // Backfill never changes the mailbox's flags.
    expect([...(await flagsOf()).values()].every((fl) => fl.includes('\\Seen'))).toBe(true);
  });
});
