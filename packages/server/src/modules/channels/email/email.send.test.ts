import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';
import { makeFactories } from '../../../testing/factories.ts';
import { fixedClock } from '../../../platform/clock.ts';
import { systemCtx } from '../../../platform/context.ts';
import { storeAttachment } from '../../conversations/index.ts';
import { composeMail, postRawMail } from './testing/mail.ts';
import { startSmtpSink } from './testing/smtp-sink.ts';

// Our replies go out through the inbox's own SMTP server — here a real smtp-server on loopback.
const clock = fixedClock(new Date());
let t: TestApp;
let f: ReturnType<typeof makeFactories>;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let inbox: { id: string; secret: string };
let admin: { cookie: string };
let agent: { cookie: string; id: string };
const refusals = new Map<string, number>();

beforeAll(async () => {
  t = await createTestApp({ clock });
  f = makeFactories(t);
  sink = await startSmtpSink({
    onAuth: (a) => (a.method === 'XOAUTH2' ? a.accessToken === issuedToken : a.username === 'careline' && a.password === 'smtp-pass'),
    rcptCode: (address) => refusals.get(address) ?? null,
  });
  const agentUser = await f.user({ role: 'agent', name: 'Ola Nowak' });
  inbox = await f.inbox({ channel: 'email', emailAddress: 'support@acme.test', name: 'Support', memberIds: [agentUser.id] });
  admin = await f.session(await f.user({ role: 'admin' }));
  agent = { ...(await f.session(agentUser)), id: agentUser.id };
  const res = await api(admin, 'PUT', `/inboxes/${inbox.id}/email-settings`, {
    smtp: { host: '127.0.0.1', port: sink.port, secure: false, user: 'careline' }, smtpPassword: 'smtp-pass',
    fromName: 'ACME Support', signature: '{{agent.name}}\nACME Support',
  });
  expect(res.statusCode, res.body).toBe(200);
});
afterAll(async () => { await t?.close(); await sink?.close(); });

let issuedToken = '';
const api = (who: { cookie: string }, method: string, url: string, payload?: unknown) =>
  t.app.inject({ method: method as 'GET', url: `/api/v1${url}`, headers: { cookie: who.cookie }, payload: payload as object });
const customerWrites = async (o: Parameters<typeof composeMail>[0]) => {
  const res = await postRawMail(t, inbox, await composeMail({ from: 'Emma Jones <emma@example.com>', to: 'support@acme.test', subject: 'Broken lamp', text: 'It arrived broken.', ...o }));
  return res.json() as { conversationId: string; messageId: string };
};
const sendQueued = async () => { await t.deps.jobs.drain(); };
const messageOf = async (conversationId: string, id: string) =>
  (await api(admin, 'GET', `/conversations/${conversationId}`)).json().messages.find((m: { id: string }) => m.id === id);

describe('sending replies over SMTP', () => {
  it('never returns the SMTP password', async () => {
    const res = await api(admin, 'GET', `/inboxes/${inbox.id}/email-settings`);
    expect(res.json()).toMatchObject({ hasSmtpPassword: true, smtp: { host: '127.0.0.1', user: 'careline' } });
    expect(res.body).not.toContain('smtp-pass');
    expect((await api(admin, 'GET', `/inboxes/${inbox.id}`)).body).not.toContain('smtp-pass');
    expect((await api(agent, 'GET', `/inboxes/${inbox.id}/email-settings`)).statusCode).toBe(403);
  });

  it("threads in the customer's client: our Message-ID, In-Reply-To, References, token subject, CC kept, HTML + text, attachment, signature", async () => {
    const first = await customerWrites({ messageId: '<c1@example.com>', cc: 'Anna <anna@example.com>' });
    const conv = (await api(admin, 'GET', `/conversations/${first.conversationId}`)).json();
    const file = await storeAttachment(systemCtx(t.deps), { filename: 'label.pdf', contentType: 'application/pdf', data: Buffer.from('%PDF-1.4 test') });
    const events: string[] = [];
    const off = t.deps.events.onEvent((e) => { if (e.name === 'message.updated') events.push((e.data.message as { deliveryState: string }).deliveryState); });
    const reply = (await api(agent, 'POST', `/conversations/${conv.id}/reply`, { text: 'Sorry!\n\nA new lamp is on its way.', attachmentIds: [file.id] })).json();
    expect(reply.deliveryState).toBe('queued');
    await sendQueued();
    off();
    expect(sink.received).toHaveLength(1);
    const { mail, envelope, auth } = sink.received[0]!;
    const out = await t.deps.db.kysely.selectFrom('email_messages').select('header_message_id').where('message_id', '=', reply.id).executeTakeFirstOrThrow();
    expect(auth).toMatchObject({ method: 'PLAIN', username: 'careline' });
    expect(mail.messageId).toBe(`<${out.header_message_id}>`);
    expect(mail.inReplyTo).toBe('<c1@example.com>');
    expect(mail.references).toBe('<c1@example.com>');
    expect(mail.subject).toBe(`Re: Broken lamp [#${conv.number}]`);
    expect(mail.from!.value[0]).toEqual({ address: 'support@acme.test', name: 'ACME Support' });
    expect(envelope.to.sort()).toEqual(['anna@example.com', 'emma@example.com']);
    expect((Array.isArray(mail.cc) ? mail.cc[0] : mail.cc)!.text).toBe('anna@example.com');
    expect(mail.text).toContain('A new lamp is on its way.\n\n-- \nOla Nowak\nACME Support');
    expect(mail.html).toContain('<p>A new lamp is on its way.</p>');
    expect(mail.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([['label.pdf', '%PDF-1.4 test']]);
    expect((await messageOf(conv.id, reply.id)).deliveryState).toBe('sent');
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toContain('sent');

    // The customer's answer to our reply threads back into the conversation.
    const answer = await customerWrites({ subject: `Re: Broken lamp [#${conv.number}]`, inReplyTo: mail.messageId, references: [mail.messageId!], text: 'Got it, thanks' });
    expect(answer.conversationId).toBe(conv.id);
  });

  it('never sends the same reply twice, even when its job runs again', async () => {
    const first = await customerWrites({ messageId: '<c2@example.com>' });
    const reply = (await api(agent, 'POST', `/conversations/${first.conversationId}/reply`, { text: 'Once only' })).json();
    await sendQueued();
    const before = sink.received.length;
    await t.deps.db.transaction((w) => t.deps.jobs.enqueue(w, 'email.send', { messageId: reply.id }));
    await sendQueued();
    expect(sink.received.length).toBe(before);
  });

  it('edits CC, adds BCC (envelope only) and remembers the new CC list', async () => {
    const first = await customerWrites({ messageId: '<c3@example.com>', cc: 'old@example.com' });
    const info = (await api(agent, 'GET', `/conversations/${first.conversationId}/email`)).json();
    expect(info.cc).toEqual(['old@example.com']);
    const res = await api(agent, 'POST', `/conversations/${first.conversationId}/email-reply`, { text: 'See cc', cc: ['new@example.com'], bcc: ['boss@acme.test'] });
    expect(res.statusCode, res.body).toBe(201);
    await sendQueued();
    const got = sink.received.at(-1)!;
    expect(got.envelope.to.sort()).toEqual(['boss@acme.test', 'emma@example.com', 'new@example.com']);
    expect(got.raw.toString()).not.toMatch(/^Bcc:/im);
    expect((await api(agent, 'GET', `/conversations/${first.conversationId}/email`)).json().cc).toEqual(['new@example.com']);
  });

  it('forwards a conversation to a third party with the original attached', async () => {
    const first = await customerWrites({ messageId: '<c4@example.com>', subject: 'Warranty' });
    const res = await api(agent, 'POST', `/conversations/${first.conversationId}/forward`, { to: ['warehouse@partner.test'], text: 'Can you check this?' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'note', deliveryState: 'queued' });
    await sendQueued();
    const got = sink.received.at(-1)!;
    expect(got.envelope.to).toEqual(['warehouse@partner.test']);
    expect(got.mail.subject).toMatch(/^Fwd: Warranty \[#\d+\]$/);
    expect(got.mail.text).toMatch(/^Can you check this\?/);
    expect(got.mail.references).toBeUndefined();
    const eml = got.mail.attachments.find((a) => a.contentType === 'message/rfc822');
    expect(eml?.content.toString()).toContain('Message-ID: <c4@example.com>');
    expect((await messageOf(first.conversationId, res.json().id)).deliveryState).toBe('sent');
  });

  it('sends a new outbound email that starts a conversation, with the agent signature of this inbox', async () => {
    expect((await api(agent, 'PUT', `/inboxes/${inbox.id}/email-signature`, { signature: 'Ola · ACME' })).statusCode).toBe(200);
    // An agent sees both their own signature and the inbox's (which the admin-only settings hold).
    const mine = (await api(agent, 'GET', `/inboxes/${inbox.id}/email-signature`)).json();
    expect(mine).toEqual({ signature: 'Ola · ACME', inboxSignature: '{{agent.name}}\nACME Support' });
    const res = await api(agent, 'POST', '/email/outbound', { inboxId: inbox.id, to: 'Piotr@Example.PL', name: 'Piotr', subject: 'Your order', text: 'Dzień dobry!' });
    expect(res.statusCode, res.body).toBe(201);
    const conv = res.json();
    await sendQueued();
    const got = sink.received.at(-1)!;
    expect(got.envelope.to).toEqual(['piotr@example.pl']);
    expect(got.mail.subject).toBe(`Your order [#${conv.number}]`);
    expect(got.mail.inReplyTo).toBeUndefined();
    expect(got.mail.text).toContain('Dzień dobry!\n\n-- \nOla · ACME');
    const answer = await customerWrites({ from: 'piotr@example.pl', subject: `Re: Your order [#${conv.number}]`, inReplyTo: got.mail.messageId, text: 'Dziękuję' });
    expect(answer.conversationId).toBe(conv.id);
    await api(agent, 'PUT', `/inboxes/${inbox.id}/email-signature`, { signature: '' });
  });

  it('retries a temporary failure with back-off, showing why, then sends', async () => {
    const first = await customerWrites({ from: 'flaky@example.com', messageId: '<c5@example.com>' });
    refusals.set('flaky@example.com', 451);
    const reply = (await api(agent, 'POST', `/conversations/${first.conversationId}/reply`, { text: 'Try again' })).json();
    await sendQueued();
    const waiting = await messageOf(first.conversationId, reply.id);
    expect(waiting.deliveryState).toBe('queued');
    expect(waiting.deliveryError).toMatch(/Retrying after: .*451/);
    refusals.delete('flaky@example.com');
    clock.advance(60 * 60_000); // past the back-off
    await sendQueued();
    expect(await messageOf(first.conversationId, reply.id)).toMatchObject({ deliveryState: 'sent' });
  });

  it('fails a permanent refusal at once with the server reason', async () => {
    const first = await customerWrites({ from: 'gone@example.com', messageId: '<c6@example.com>' });
    refusals.set('gone@example.com', 550);
    const reply = (await api(agent, 'POST', `/conversations/${first.conversationId}/reply`, { text: 'Hello?' })).json();
    await sendQueued();
    const m = await messageOf(first.conversationId, reply.id);
    expect(m.deliveryState).toBe('failed');
    expect(m.deliveryError).toMatch(/550.*mailbox unavailable/);
  });

  it('signs in with XOAUTH2, refreshing the access token when it expires', async () => {
    let refreshes = 0;
    const tokenServer = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        const form = new URLSearchParams(body);
        const ok = form.get('grant_type') === 'refresh_token' && form.get('refresh_token') === 'refresh-1' && form.get('client_secret') === 'client-secret';
        if (!ok) { res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_grant', error_description: 'bad refresh token' })); return; }
        issuedToken = `access-${++refreshes}`;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: issuedToken, expires_in: 3600, token_type: 'Bearer' }));
      });
    });
    await new Promise<void>((r) => tokenServer.listen(0, '127.0.0.1', () => r()));
    const tokenUrl = `http://127.0.0.1:${(tokenServer.address() as AddressInfo).port}/token`;
    try {
      const put = await api(admin, 'PUT', `/inboxes/${inbox.id}/email-settings`, {
        smtp: { host: '127.0.0.1', port: sink.port, secure: false, user: 'support@acme.test', auth: 'oauth2' },
        oauth2: { tokenUrl, clientId: 'careline-app' }, oauth2ClientSecret: 'client-secret', oauth2RefreshToken: 'refresh-1',
      });
      expect(put.json()).toMatchObject({ hasOauth2RefreshToken: true, hasOauth2ClientSecret: true, hasSmtpPassword: true });
      expect(put.body).not.toContain('refresh-1');
      const first = await customerWrites({ messageId: '<c7@example.com>' });
      for (const text of ['one', 'two']) await api(agent, 'POST', `/conversations/${first.conversationId}/reply`, { text });
      await sendQueued();
      expect(refreshes).toBe(1);
      expect(sink.received.slice(-2).map((r) => [r.auth?.method, r.auth?.accessToken])).toEqual([['XOAUTH2', 'access-1'], ['XOAUTH2', 'access-1']]);
      clock.advance(2 * 3600_000);
      await api(agent, 'POST', `/conversations/${first.conversationId}/reply`, { text: 'three' });
      await sendQueued();
      expect(refreshes).toBe(2);
      expect(sink.received.at(-1)!.auth?.accessToken).toBe('access-2');
    } finally {
      await new Promise((r) => tokenServer.close(r));
    }
  });
});
