import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import nodemailer, { type TransportOptions } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';
import { makeFactories } from '../../../testing/factories.ts';
import { createSmtpListener } from './smtp-listener.ts';

// nodemailer as the sending MTA, our smtp-server listener on loopback, the real database behind it.
let t: TestApp;
let f: ReturnType<typeof makeFactories>;
let listener: ReturnType<typeof createSmtpListener>;
let tlsListener: ReturnType<typeof createSmtpListener> | null = null;
let admin: { cookie: string };
const certDir = fs.mkdtempSync(path.join(os.tmpdir(), 'careline-smtp-tls-'));
const hasOpenssl = (() => { try { execFileSync('openssl', ['version']); return true; } catch { return false; } })();

beforeAll(async () => {
  t = await createTestApp();
  f = makeFactories(t);
  await f.inbox({ channel: 'email', emailAddress: 'support@acme.test' });
  await f.inbox({ channel: 'email', emailAddress: 'billing@acme.test' });
  admin = await f.session(await f.user({ role: 'admin' }));
  listener = createSmtpListener(t.deps, { host: '127.0.0.1', port: 0, maxBytes: 100_000 });
  await listener.start();
  if (hasOpenssl) {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
      '-keyout', path.join(certDir, 'key.pem'), '-out', path.join(certDir, 'cert.pem')], { stdio: 'ignore' });
    tlsListener = createSmtpListener(t.deps, { host: '127.0.0.1', port: 0, maxBytes: 100_000, tlsCert: path.join(certDir, 'cert.pem'), tlsKey: path.join(certDir, 'key.pem') });
    await tlsListener.start();
  }
});
afterAll(async () => {
  await listener?.stop(); await tlsListener?.stop(); await t?.close();
  fs.rmSync(certDir, { recursive: true, force: true });
});

const mta = (port: number, extra: Record<string, unknown> = {}) =>
  nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, ...extra } as TransportOptions);
const conversationsOf = async (email: string) => {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/conversations?q=${encodeURIComponent(email)}`, headers: { cookie: admin.cookie } });
  return res.json().items as { id: string; inboxId: string; subject: string }[];
};

describe('SMTP listener', () => {
  it('answers 250 only once the message is stored, so it is visible right after', async () => {
    const info = await mta(listener.address()!.port).sendMail({ from: 'kim@example.com', to: 'support@acme.test', subject: 'Over SMTP', text: 'Hello by SMTP' });
    expect(info.response).toMatch(/^250 /);
    expect(info.accepted).toEqual(['support@acme.test']);
    const [c] = await conversationsOf('kim@example.com');
    expect(c).toMatchObject({ subject: 'Over SMTP' });
  });

  it('rejects unknown recipients at RCPT and accepts plus-addresses', async () => {
    const port = listener.address()!.port;
    await expect(mta(port).sendMail({ from: 'kim@example.com', to: 'nobody@acme.test', subject: 'x', text: 'x' })).rejects.toMatchObject({ responseCode: 550 });
    const mixed = await mta(port).sendMail({ from: 'lee@example.com', to: ['nobody@acme.test', 'support+7@acme.test'], subject: 'Plus', text: 'x' });
    expect(mixed.accepted).toEqual(['support+7@acme.test']);
    expect(mixed.rejected).toEqual(['nobody@acme.test']);
    expect(await conversationsOf('lee@example.com')).toHaveLength(1);
  });

  it('stores one copy per inbox addressed', async () => {
    await mta(listener.address()!.port).sendMail({ from: 'max@example.com', to: ['support@acme.test', 'billing@acme.test'], subject: 'Both', text: 'x' });
    const list = await conversationsOf('max@example.com');
    expect(new Set(list.map((c) => c.inboxId)).size).toBe(2);
  });

  it('refuses a message over the size limit', async () => {
    await expect(mta(listener.address()!.port).sendMail({ from: 'big@example.com', to: 'support@acme.test', subject: 'big', text: 'x'.repeat(150_000) }))
      .rejects.toMatchObject({ responseCode: 552 });
    expect(await conversationsOf('big@example.com')).toHaveLength(0);
  });

  it.skipIf(!hasOpenssl)('offers STARTTLS when a certificate is configured', async () => {
    const info = await mta(tlsListener!.address()!.port, { ignoreTLS: false, requireTLS: true, tls: { rejectUnauthorized: false } })
      .sendMail({ from: 'tls@example.com', to: 'support@acme.test', subject: 'Encrypted', text: 'x' });
    expect(info.response).toMatch(/^250 /);
    expect(await conversationsOf('tls@example.com')).toHaveLength(1);
    // Without a certificate the plain listener does not pretend to offer TLS.
    await expect(mta(listener.address()!.port, { ignoreTLS: false, requireTLS: true }).sendMail({ from: 'a@example.com', to: 'support@acme.test', text: 'x' })).rejects.toThrow();
  });

  it('refuses mail for an inbox whose SMTP intake is switched off', async () => {
    const inbox = await f.inbox({ channel: 'email', emailAddress: 'closed@acme.test' });
    const put = await t.app.inject({ method: 'PUT', url: `/api/v1/inboxes/${inbox.id}/email-settings`, headers: { cookie: admin.cookie }, payload: { isSmtpInbound: false } });
    expect(put.statusCode, put.body).toBe(200);
    await expect(mta(listener.address()!.port).sendMail({ from: 'kim@example.com', to: 'closed@acme.test', subject: 'x', text: 'x' })).rejects.toMatchObject({ responseCode: 550 });
  });
});
