import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';
import { makeFactories } from '../../../testing/factories.ts';
import { fixedClock } from '../../../platform/clock.ts';
import { systemCtx } from '../../../platform/context.ts';
import { seedKnowledgeDemo } from '../../knowledge/index.ts';

let t: TestApp;
let f: ReturnType<typeof makeFactories>;
let form: { id: string; publicToken: string };
const clock = fixedClock(new Date('2026-03-02T09:00:00Z'));

beforeAll(async () => {
  t = await createTestApp({ clock });
  f = makeFactories(t);
  form = await f.inbox({ channel: 'webform', name: 'Contact', settings: { webform: { fields: [
    { key: 'order', label: { en: 'Order number', vi: 'Mã đơn hàng', pl: 'Numer zamówienia' }, type: 'text', required: true },
    { key: 'topic', label: { en: 'Topic' }, type: 'select', options: [{ value: 'returns', label: { en: 'Returns' } }, { value: 'other', label: { en: 'Other' } }] },
  ] } } });
  await t.deps.db.transaction((w) => seedKnowledgeDemo(w, systemCtx(t.deps), { webformInboxId: form.id }));
});
afterAll(() => t?.close());

const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';
const multipart = (fields: Record<string, string | string[]>, files: { name: string; type: string; data: string }[] = []) => {
  const boundary = '----careline' + Math.random().toString(16).slice(2);
  const parts: string[] = [];
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${x}\r\n`);
  for (const file of files) parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n${file.data}\r\n`);
  return { payload: parts.join('') + `--${boundary}--\r\n`, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
};
const openForm = async (lang = 'en') => {
  const r = await t.app.inject({ method: 'GET', url: `/contact/${form.publicToken}?lang=${lang}` });
  clock.advance(5000);
  return r;
};
const post = (fields: Record<string, string | string[]>, files: { name: string; type: string; data: string }[] = [], ip = '198.51.100.1') => {
  const m = multipart(fields, files);
  return t.app.inject({ method: 'POST', url: `/contact/${form.publicToken}`, payload: m.payload, headers: m.headers, remoteAddress: ip });
};
/** Mail Careline sent (written as .eml files when SYSTEM_SMTP_URL is unset), decoded. */
const outbox = async () => {
  const dir = path.join(t.dataDir, 'outbox');
  const files = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  return Promise.all(files.map(async (f) => { const m = await simpleParser(fs.readFileSync(path.join(dir, f))); return `To: ${m.to && !Array.isArray(m.to) ? m.to.text : ''}\nSubject: ${m.subject}\n\n${m.text}`; }));
};

describe('web form', () => {
  it('renders an accessible form with custom fields, honeypot and time trap', async () => {
    const r = await openForm('vi');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('<html lang="vi">');
    expect(r.body).toContain('<label for="email">Địa chỉ email</label>');
    expect(r.body).toContain('<label for="cf_order">Mã đơn hàng</label>');
    expect(r.body).toMatch(/class="hp" aria-hidden="true">.*name="website"/s);
    expect(hidden(r.body, 't')).toMatch(/^\d+\.[\w-]+$/);
    expect(r.body).toContain('<script src="/help/assets/contact.js" defer></script>');
    expect((await t.app.inject({ method: 'GET', url: '/contact/nope' })).statusCode).toBe(404);
  });

  it('without JavaScript: shows suggested articles first, then creates the conversation and emails a confirmation', async () => {
    const page = await openForm();
    const base = { t: hidden(page.body, 't'), lang: 'en', name: 'Anna Nowak', email: 'Anna@Example.com', subject: 'Return a lamp', message: 'I want to return the lamp I bought, how do refunds work?', cf_order: 'A-1001', cf_topic: 'returns' };
    const step1 = await post({ ...base, step: 'check' }, [{ name: 'receipt.txt', type: 'text/plain', data: 'receipt' }]);
    expect(step1.statusCode).toBe(200);
    expect(step1.body).toContain('Before you send: these articles may answer your question');
    expect(step1.body).toContain('Returns and refunds');
    expect(step1.body).toContain('receipt.txt');
    const ds = hidden(step1.body, 'ds');
    expect(ds).toMatch(/^[0-9a-f-]{36}$/);
    const att = hidden(step1.body, 'att');
    expect(await t.deps.db.kysely.selectFrom('conversations').selectAll().where('inbox_id', '=', form.id).execute()).toHaveLength(0);

    clock.advance(5000);
    const step2 = await post({ ...base, step: 'send', t: hidden(step1.body, 't'), ds, att });
    expect(step2.statusCode).toBe(200);
    expect(step2.body).toContain('Thank you — we received your message');
    const [conv] = await t.deps.db.kysely.selectFrom('conversations').selectAll().where('inbox_id', '=', form.id).execute();
    expect(conv).toMatchObject({ subject: 'Return a lamp', status: 'open' });
    expect(JSON.parse(conv!.custom_attributes)).toMatchObject({ order: 'A-1001', topic: 'returns', webformLanguage: 'en' });
    const [msg] = await t.deps.db.kysely.selectFrom('messages').selectAll().where('conversation_id', '=', conv!.id).execute();
    expect(msg).toMatchObject({ kind: 'incoming', text: base.message });
    expect((await t.deps.db.kysely.selectFrom('attachments').selectAll().where('message_id', '=', msg!.id).execute()).map((a) => a.filename)).toEqual(['receipt.txt']);
    const identity = await t.deps.db.kysely.selectFrom('contact_identities').selectAll().where('contact_id', '=', conv!.contact_id).executeTakeFirst();
    expect(identity).toMatchObject({ kind: 'email', value: 'anna@example.com' });
    expect((await t.deps.db.kysely.selectFrom('kb_deflections').selectAll().where('id', '=', ds).executeTakeFirst())?.outcome).toBe('submitted');

    await t.deps.jobs.drain();
    const mail = (await outbox()).find((m) => m.includes('anna@example.com'));
    expect(mail).toBeDefined();
    expect(mail).toContain(`We received your request #${conv!.number}`);
  });

  it('"This solved my problem" records a deflection and sends nothing', async () => {
    const page = await openForm('pl');
    const step1 = await post({ t: hidden(page.body, 't'), lang: 'pl', step: 'check', name: 'Jan', email: 'jan@example.com', subject: 'Gwarancja', message: 'Lampa miga, czy to jest objęte gwarancją?', cf_order: 'B-2' });
    expect(step1.body).toContain('Gwarancja: co obejmuje i jak zgłosić reklamację');
    const ds = hidden(step1.body, 'ds');
    const solved = await t.app.inject({ method: 'POST', url: `/contact/${form.publicToken}/solved?lang=pl`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `ds=${ds}&lang=pl` });
    expect(solved.body).toContain('Cieszymy się, że mogliśmy pomóc!');
    expect((await t.deps.db.kysely.selectFrom('kb_deflections').selectAll().where('id', '=', ds).executeTakeFirst())?.outcome).toBe('solved');
    const contact = await t.deps.db.kysely.selectFrom('contact_identities').select('contact_id').where('value', '=', 'jan@example.com').executeTakeFirst();
    expect(contact).toBeUndefined();
  });

  it('validates fields and re-renders with errors, keeping what was typed (escaped)', async () => {
    const page = await openForm();
    const r = await post({ t: hidden(page.body, 't'), lang: 'en', step: 'check', name: '<b>Eve</b>', email: 'not-an-email', subject: '', message: 'x' });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('Enter a valid email address.');
    expect(r.body).toContain('aria-invalid="true" aria-describedby="subject-error"');
    expect(r.body).toContain('value="&lt;b&gt;Eve&lt;/b&gt;"');
    expect(r.body).toContain('id="cf_order-error"');
  });

  it('spam: a filled honeypot pretends success and stores nothing; posting too fast or with a forged time is refused', async () => {
    const before = (await t.deps.db.kysely.selectFrom('conversations').select('id').execute()).length;
    const page = await openForm();
    const ok = { lang: 'en', step: 'send', name: 'Bot', email: 'bot@example.com', subject: 'Cheap pills', message: 'Buy now', cf_order: '1' };
    const honey = await post({ ...ok, t: hidden(page.body, 't'), website: 'http://spam.example' });
    expect(honey.statusCode).toBe(200);
    expect(honey.body).toContain('Thank you');
    const fresh = await t.app.inject({ method: 'GET', url: `/contact/${form.publicToken}?lang=en` });
    const fast = await post({ ...ok, t: hidden(fresh.body, 't') });
    expect(fast.statusCode).toBe(400);
    expect(fast.body).toContain('That was quick!');
    const forged = await post({ ...ok, t: `${clock.now().getTime() - 60_000}.forged` });
    expect(forged.statusCode).toBe(400);
    expect((await t.deps.db.kysely.selectFrom('conversations').select('id').execute()).length).toBe(before);
  });

  it('rate-limits submissions per client', async () => {
    let last = 0;
    for (let i = 0; i < 12 && last !== 429; i++) last = (await post({ lang: 'en', step: 'send' }, [], '198.51.100.77')).statusCode;
    expect(last).toBe(429);
  });

  it('an agent reply to a web-form conversation is emailed to the customer', async () => {
    const admin = await f.session(await f.user({ role: 'admin' }));
    const conv = await t.deps.db.kysely.selectFrom('conversations').selectAll().where('inbox_id', '=', form.id).executeTakeFirstOrThrow();
    const r = await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${conv.id}/reply`, headers: { cookie: admin.cookie }, payload: { text: 'Your return label is attached.' } });
    expect(r.statusCode).toBe(201);
    expect(r.json().deliveryState).toBe('sent');
    await t.deps.jobs.drain();
    const mail = (await outbox()).find((m) => m.includes(`Re: [#${conv.number}]`));
    expect(mail).toContain('Your return label is attached.');
    expect(mail).toContain('/portal?lang=en');
  });
});
