import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';
import { makeFactories } from '../../../testing/factories.ts';
import { CORPUS } from './testing/corpus.ts';
import { composeMail, postRawMail } from './testing/mail.ts';

let t: TestApp;
let f: ReturnType<typeof makeFactories>;
let inbox: { id: string; secret: string };
let admin: { cookie: string };
let outsider: { cookie: string };

beforeAll(async () => {
  // The chatwoot corpus' own notification mail comes from accounts@chatwoot.com: make that our system address.
  t = await createTestApp({ env: { SYSTEM_MAIL_FROM: 'Careline <accounts@chatwoot.com>' } });
  f = makeFactories(t);
  inbox = await f.inbox({ channel: 'email', emailAddress: 'support@acme.test', name: 'Support' });
  await f.inbox({ channel: 'email', emailAddress: 'sales@acme.test', name: 'Sales' });
  admin = await f.session(await f.user({ role: 'admin' }));
  outsider = await f.session(await f.user({ role: 'agent' }));
});
afterAll(() => t?.close());

const api = (who: { cookie: string }, method: string, url: string, payload?: unknown) =>
  t.app.inject({ method: method as 'GET', url: `/api/v1${url}`, headers: { cookie: who.cookie }, payload: payload as object });
const deliver = async (raw: Buffer) => {
  const res = await postRawMail(t, inbox, raw);
  expect(res.statusCode, res.body).toBe(202);
  return res.json() as { status: string; conversationId: string | null; messageId: string | null; reason: string | null };
};
const conversation = async (id: string) => (await api(admin, 'GET', `/conversations/${id}`)).json();
const corpus = (p: string) => fs.readFileSync(path.join(CORPUS, p));
let seq = 0;
const mail = (o: Parameters<typeof composeMail>[0]) => composeMail({ from: 'Emma Jones <emma@example.com>', to: 'support@acme.test', subject: 'Broken lamp', text: 'My lamp arrived broken.', messageId: `<m${++seq}.${Date.now()}@example.com>`, ...o });

describe('raw-MIME webhook', () => {
  it('refuses a wrong secret and stores a message only with the right one, answering 202 after commit', async () => {
    const raw = await mail({});
    expect((await postRawMail(t, inbox, raw, 'cis_wrong')).statusCode).toBe(401);
    const r = await deliver(raw);
    expect(r.status).toBe('stored');
    // A provider's webhook URL with the secret as Basic-auth password works too (and is the same message).
    const basic = await t.app.inject({ method: 'POST', url: `/api/v1/inboxes/${inbox.id}/mail`, payload: raw,
      headers: { authorization: `Basic ${Buffer.from(`mail:${inbox.secret}`).toString('base64')}`, 'content-type': 'message/rfc822' } });
    expect(basic.json()).toMatchObject({ status: 'duplicate', conversationId: r.conversationId });
    const c = await conversation(r.conversationId!);
    expect(c).toMatchObject({ subject: 'Broken lamp', status: 'open', inboxId: inbox.id });
    expect(c.messages[0]).toMatchObject({ kind: 'incoming', text: 'My lamp arrived broken.', deliveryState: 'received' });
    expect(c.messages[0].metadata.email).toMatchObject({ from: { address: 'emma@example.com', name: 'Emma Jones' }, source: 'webhook', automated: null });
    const contact = (await api(admin, 'GET', `/contacts/${c.contactId}`)).json();
    expect(contact).toMatchObject({ name: 'Emma Jones', identities: [{ kind: 'email', value: 'emma@example.com' }] });
    // The raw original is kept, byte for byte, for agents who can see the conversation.
    const original = await api(admin, 'GET', `/email/messages/${r.messageId}/raw`);
    expect(original.statusCode).toBe(200);
    expect(original.rawPayload.equals(raw)).toBe(true);
    expect((await api(outsider, 'GET', `/email/messages/${r.messageId}/raw`)).statusCode).toBe(404);
  });

  it('stores the same message once: same bytes, or same Message-ID in the same inbox', async () => {
    const raw = await mail({ messageId: '<dup-1@example.com>' });
    const first = await deliver(raw);
    expect(await deliver(raw)).toMatchObject({ status: 'duplicate', conversationId: first.conversationId, messageId: first.messageId });
    const resent = await mail({ messageId: '<dup-1@example.com>', text: 'Resent by another relay, other bytes' });
    expect(await deliver(resent)).toMatchObject({ status: 'duplicate', conversationId: first.conversationId });
    expect((await conversation(first.conversationId!)).messages).toHaveLength(1);
  });
});

describe('concurrency', () => {
  it('stores every one of several simultaneous first mails from one new customer (no message lost to a race)', async () => {
    const raws = await Promise.all(Array.from({ length: 8 }, (_, i) => mail({ from: 'burst@example.com', subject: `Burst ${i}` })));
    const results = await Promise.all(raws.map((raw) => postRawMail(t, inbox, raw)));
    expect(results.map((r) => r.json().status)).toEqual(Array(8).fill('stored'));
    const rows = await t.deps.db.kysely.selectFrom('email_messages').select('message_id').where('from_address', '=', 'burst@example.com').execute();
    expect(rows.filter((r) => r.message_id)).toHaveLength(8);
  });
});

describe('threading', () => {
  it("joins a reply to the customer's own earlier message by In-Reply-To, and by References", async () => {
    const first = await deliver(await mail({ messageId: '<t1@example.com>', subject: 'Invoice' }));
    const byInReplyTo = await deliver(await mail({ subject: 'Re: Invoice', inReplyTo: '<t1@example.com>', text: 'Any news?' }));
    expect(byInReplyTo.conversationId).toBe(first.conversationId);
    const byReferences = await deliver(await mail({ subject: 'Re: Invoice', references: ['<unknown@elsewhere>', '<t1@example.com>'], text: 'Hello?' }));
    expect(byReferences.conversationId).toBe(first.conversationId);
  });

  it("joins a reply to our own outgoing Message-ID, and the subject token only for the conversation's participants", async () => {
    const first = await deliver(await mail({ subject: 'Refund please' }));
    const conv = await conversation(first.conversationId!);
    expect((await api(admin, 'POST', `/conversations/${conv.id}/reply`, { text: 'Refund on its way' })).json().deliveryState).toBe('queued');
    const out = await t.deps.db.kysely.selectFrom('email_messages').selectAll().where('conversation_id', '=', conv.id).where('direction', '=', 'out').executeTakeFirstOrThrow();
    expect(out.header_message_id).toMatch(/^careline\..+@acme\.test$/);
    const reply = await deliver(await mail({ subject: `Re: Refund please [#${conv.number}]`, inReplyTo: `<${out.header_message_id}>`, text: 'Thanks!' }));
    expect(reply.conversationId).toBe(conv.id);
    // Client dropped the headers but kept the token in the subject: still the same conversation…
    expect((await deliver(await mail({ subject: `Re: Refund please [#${conv.number}]`, text: 'One more thing' }))).conversationId).toBe(conv.id);
    // …but a stranger cannot write into it by guessing the number.
    const stranger = await deliver(await mail({ from: 'mallory@evil.test', subject: `Re: Refund please [#${conv.number}]`, text: 'hi' }));
    expect(stranger.conversationId).not.toBe(conv.id);
    // The plus-address carries the number too.
    expect((await deliver(await mail({ to: `support+${conv.number}@acme.test`, subject: 'New subject', text: 'By plus address' }))).conversationId).toBe(conv.id);
  });

  it('starts a new conversation otherwise, with Reply-To as the customer and CC participants recorded', async () => {
    const r = await deliver(await mail({ from: 'Office Bot <noreply@corp.test>', replyTo: 'Jan Kowalski <jan@corp.test>', cc: ['Anna <anna@corp.test>', 'sales@acme.test'], subject: 'Zamówienie' }));
    const c = await conversation(r.conversationId!);
    const contact = (await api(admin, 'GET', `/contacts/${c.contactId}`)).json();
    expect(contact.identities).toEqual([{ kind: 'email', value: 'jan@corp.test' }]);
    const info = (await api(admin, 'GET', `/conversations/${c.id}/email`)).json();
    expect(info).toMatchObject({ customerAddress: 'jan@corp.test', cc: ['anna@corp.test'] });
  });
});

describe('loops and noise', () => {
  it('attaches an auto-reply to its conversation without reopening it', async () => {
    const first = await deliver(await mail({ messageId: '<ooo-base@example.com>', subject: 'Order 55' }));
    await api(admin, 'PATCH', `/conversations/${first.conversationId}`, { status: 'resolved' });
    const ooo = await deliver(await mail({ subject: 'Automatic reply: Order 55', inReplyTo: '<ooo-base@example.com>', text: 'I am out of the office.', headers: { 'Auto-Submitted': 'auto-replied' } }));
    expect(ooo.conversationId).toBe(first.conversationId);
    const c = await conversation(first.conversationId!);
    expect(c.status).toBe('resolved');
    expect(c.messages.at(-1).metadata.email).toMatchObject({ automated: 'auto_reply' });
    // The corpus' X-Autoreply message is recognised the same way.
    const corpusOoo = await deliver(corpus('chatwoot/auto_reply.eml'));
    expect((await conversation(corpusOoo.conversationId!)).messages[0].metadata.email.automated).toBe('auto_reply');
  });

  it('marks the outgoing message a bounce refers to as failed, with the reason', async () => {
    const first = await deliver(await mail({ subject: 'Bounce me' }));
    const reply = (await api(admin, 'POST', `/conversations/${first.conversationId}/reply`, { text: 'Hello there' })).json();
    const out = await t.deps.db.kysely.selectFrom('email_messages').select('header_message_id').where('message_id', '=', reply.id).executeTakeFirstOrThrow();
    const dsn = Buffer.from([
      'From: Mail Delivery System <MAILER-DAEMON@mx.acme.test>', 'To: support@acme.test', 'Subject: Undelivered Mail Returned to Sender',
      'Message-ID: <dsn-1@mx.acme.test>', 'Auto-Submitted: auto-replied', 'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="B"', '', '--B', 'Content-Type: text/plain', '',
      'Your message could not be delivered.', '--B', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.acme.test', '',
      'Final-Recipient: rfc822; emma@example.com', 'Action: failed', 'Status: 5.1.1', 'Diagnostic-Code: smtp; 550 5.1.1 User unknown', '',
      '--B', 'Content-Type: text/rfc822-headers', '', `Message-ID: <${out.header_message_id}>`, 'Subject: Re: Bounce me', '', '--B--', '',
    ].join('\r\n'));
    const b = await deliver(dsn);
    expect(b.conversationId).toBe(first.conversationId);
    const c = await conversation(first.conversationId!);
    const failed = c.messages.find((m: { id: string }) => m.id === reply.id);
    expect(failed).toMatchObject({ deliveryState: 'failed' });
    expect(failed.deliveryError).toMatch(/5\.1\.1.*User unknown.*emma@example\.com/);
    expect(c.messages.at(-1).metadata.email.automated).toBe('bounce');
  });

  it('ignores our own mail coming back (system notifications, our inbox addresses)', async () => {
    const n = await deliver(corpus('chatwoot/notification.eml'));
    expect(n).toMatchObject({ status: 'ignored', conversationId: null });
    const own = await deliver(await mail({ from: 'sales@acme.test', subject: 'internal' }));
    expect(own.status).toBe('ignored');
  });
});

describe('hostile and unusual mail', () => {
  it('stores garbage and huge messages with a warning and never blocks the next message', async () => {
    const garbage = await deliver(Buffer.from([0, 255, 13, 10, 13, 10, 0xc3, 0x28, 60, 62, 10].concat(Array(5000).fill(0xfe))));
    expect(garbage.status).toBe('stored');
    const huge = await deliver(Buffer.from(`From: big@example.com\r\nTo: support@acme.test\r\nSubject: huge\r\nContent-Type: text/html\r\n\r\n<div>${'<p>spam</p>'.repeat(250_000)}</div>`));
    const h = await conversation(huge.conversationId!);
    expect(h.messages[0].metadata.email.warnings.join()).toMatch(/html_too_large/);
    expect(h.messages[0].html).toBeNull();
    const next = await deliver(await mail({ subject: 'After the storm' }));
    expect(next.status).toBe('stored');
  });

  it('ingests every chatwoot fixture: quotes folded, inline images served, Arabic transcoded', async () => {
    const dir = path.join(CORPUS, 'chatwoot');
    for (const file of fs.readdirSync(dir).filter((x) => x.endsWith('.eml'))) {
      const res = await postRawMail(t, inbox, fs.readFileSync(path.join(dir, file)));
      expect(res.statusCode, file).toBe(202);
    }
    const quote = await deliver(await mail({ text: 'Fine now.\n\nOn Mon, 3 Feb 2025 at 10:12, Support <support@acme.test> wrote:\n> Try again\n', subject: 'quoted' }));
    const q = (await conversation(quote.conversationId!)).messages[0];
    expect(q.text).toBe('Fine now.');
    expect(q.metadata.email.full.text).toContain('> Try again');

    const inline = await postRawMail(t, await f.inbox({ channel: 'email', emailAddress: 'inline@acme.test' }), corpus('chatwoot/mail_with_inline_images.eml'));
    const m = (await conversation(inline.json().conversationId)).messages[0];
    expect(m.html).toMatch(/src="\/api\/v1\/attachments\/[0-9a-f-]+"/);
    expect(m.html).not.toContain('cid:');
    expect(m.metadata.email.inlineAttachmentIds).toHaveLength(3);
    const img = await api(admin, 'GET', m.attachments[0].url.replace('/api/v1', ''));
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toMatch(/image\/jpe?g/);

    const arabic = await postRawMail(t, await f.inbox({ channel: 'email', emailAddress: 'ar@acme.test' }), corpus('chatwoot/non_utf_encoded_mail.eml'));
    const a = await conversation(arabic.json().conversationId);
    expect(a.subject).toBe('أهلين عميلنا الكريم');
  });
});
