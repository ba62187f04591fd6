import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { TestApp } from '../../server/src/testing/test-app.ts';
import { startSmtpSink } from '../../server/src/modules/channels/email/testing/smtp-sink.ts';
import { en } from '../../web/src/i18n/en.ts';
import { vi } from '../../web/src/i18n/vi.ts';
import { pl } from '../../web/src/i18n/pl.ts';
import { CHROMIUM, ensureWebBuilt, hasChromium } from './build-web.ts';
import { apiAs, shot, signIn as signInAs, startDemoApp, tr, type Login as BaseLogin } from './agent-app-helpers.ts';

// The agent composer for email in Chromium against the real server, with a real SMTP server (smtp-server
// on loopback) standing in for the inbox's outgoing mail server: CC/BCC on replies, forwarding, a new
// outbound email, and a help-article link inserted into a reply.
type Login = BaseLogin;

let t: TestApp;
let base: string;
let browser: Browser;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let logins: Record<'admin' | 'piotr' | 'linh', Login>;
let inbox: { id: string; secret: string };
let admin: (method: string, url: string, payload?: unknown) => Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const api = (login: { email: string; password: string }) => apiAs(t, login);

let seq = 0;
/** A customer's email, delivered through the inbox's raw-MIME webhook (as a forwarding MTA would). */
const customerWrites = async (o: { from: string; cc?: string; subject: string; text: string }) => {
  const raw = [
    `From: ${o.from}`, 'To: Lumen Support <support@lumen.example>', ...(o.cc ? [`Cc: ${o.cc}`] : []), `Subject: ${o.subject}`,
    `Message-ID: <composer-e2e-${++seq}@example.com>`, 'Date: Tue, 4 Mar 2025 09:15:00 +0000', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', o.text, '',
  ].join('\r\n');
  const res = await t.app.inject({ method: 'POST', url: `/api/v1/inboxes/${inbox.id}/mail`, headers: { 'content-type': 'message/rfc822', 'x-careline-inbox-secret': inbox.secret }, payload: raw });
  expect(res.statusCode, res.body).toBe(202);
  return res.json() as { conversationId: string; messageId: string };
};

/** Runs the durable send jobs (the test app has no background worker), then returns what the sink got since `from`. */
const sent = async (from: number) => { await t.deps.jobs.drain(); return sink.received.slice(from); };

const signIn = (login: Login) => signInAs(browser, base, login);

const guarded = async (login: Login, name: string, fn: (page: Page) => Promise<void>) => {
  const { context, page } = await signIn(login);
  try { await fn(page); } catch (e) { await shot(page, `failure-${name}`).catch(() => {}); throw e; } finally { await context.close(); }
};

/** A paste of several addresses at once, as from a mail client's address line. */
const paste = (page: Page, selector: string, text: string) => page.locator(selector).evaluate((el, value) => {
  const data = new DataTransfer();
  data.setData('text/plain', value);
  el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
}, text);

beforeAll(async () => {
  if (!hasChromium) return;
  ensureWebBuilt();
  const demo = await startDemoApp({ PUBLIC_URL: 'https://help.lumen.example' });
  t = demo.t;
  logins = demo.logins;
  admin = await api(logins.admin);
  const inboxes = await admin('GET', '/inboxes');
  const support = inboxes.find((i: { channel: string }) => i.channel === 'email');
  const secret = await t.deps.db.kysely.selectFrom('inboxes').select('secret').where('id', '=', support.id).executeTakeFirstOrThrow();
  inbox = { id: support.id, secret: secret.secret };
  sink = await startSmtpSink();
  const settings = await admin('PUT', `/inboxes/${inbox.id}/email-settings`, {
    smtp: { host: '127.0.0.1', port: sink.port, secure: false, user: '' }, fromName: 'Lumen Support', signature: '{{agent.name}}\nLumen Home',
  });
  expect(settings.signature).toBe('{{agent.name}}\nLumen Home');
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  browser = await chromium.launch(CHROMIUM);
}, 120_000);

afterAll(async () => { await browser?.close(); await t?.close(); await sink?.close(); });

describe.skipIf(!hasChromium)('email composer in Chromium', { timeout: 60_000 }, () => {
  it('pl: a reply with the CC list edited (one removed, several pasted, an invalid one refused) and a BCC reaches the SMTP server with those headers', async () => {
    const { conversationId } = await customerWrites({
      from: 'Emma Jones <emma@example.com>', cc: 'Anna Kowal <anna@example.com>, Olek <olek@example.com>',
      subject: 'Lampa migocze', text: 'Dzień dobry, lampa migocze od wczoraj.',
    });
    const from = sink.received.length;
    await guarded(logins.piotr, 'composer-cc', async (page) => {
      await page.goto(`/inbox/all/c/${conversationId}`);
      await page.getByRole('heading', { name: 'Lampa migocze', level: 2 }).waitFor();
      // To: the customer (fixed); CC: carried over from the customer's email.
      await expect.poll(() => page.getByTestId('composer-to').textContent()).toBe('emma@example.com');
      const ccBox = page.getByTestId('composer-cc');
      await expect.poll(() => ccBox.locator('.addr-chip').allTextContents()).toEqual(['anna@example.com', 'olek@example.com']);
      // Remove Olek, paste two addresses in the "Name <address>" form mail clients copy, type one that is no address.
      await ccBox.getByRole('button', { name: tr('pl', 'recipients.remove', { address: 'olek@example.com' }) }).click();
      const ccInput = ccBox.getByLabel(tr('pl', 'email.cc'), { exact: true });
      await paste(page, '[data-testid="composer-cc"] input', 'Szef <szef@lumen-partner.pl>; "Nowak, Ola" <ola.nowak@example.com>');
      await expect.poll(() => ccBox.locator('.addr-chip').allTextContents()).toEqual(['anna@example.com', 'szef@lumen-partner.pl', 'ola.nowak@example.com']);
      await ccInput.fill('nie-adres@');
      await ccInput.press('Enter');
      await ccBox.getByRole('alert').getByText(tr('pl', 'recipients.invalid', { value: 'nie-adres@' })).waitFor();
      expect(await ccInput.getAttribute('aria-invalid')).toBe('true');
      await ccInput.fill('');
      // BCC, typed and committed with a comma.
      await page.getByRole('button', { name: tr('pl', 'composer.add_bcc') }).click();
      const bccInput = page.getByTestId('composer-bcc').getByLabel(tr('pl', 'email.bcc'), { exact: true });
      await bccInput.pressSequentially('archiwum@lumen.example,');
      await expect.poll(() => page.getByTestId('composer-bcc').locator('.addr-chip').allTextContents()).toEqual(['archiwum@lumen.example']);
      // The signature the server will add, previewed under the composer: the inbox's, filled in for him, until he sets his own.
      const signature = page.getByTestId('signature-preview');
      await signature.getByRole('button', { name: tr('pl', 'signature.title') }).click();
      await expect.poll(() => signature.locator('.signature-text').textContent()).toBe('-- \nPiotr Kowalski\nLumen Home');
      await signature.getByRole('button', { name: tr('pl', 'signature.edit') }).click();
      await signature.getByRole('textbox').fill('{{agent.name}} · Dział obsługi');
      await signature.getByRole('button', { name: tr('pl', 'signature.save') }).click();
      await expect.poll(() => signature.locator('.signature-text').textContent()).toBe('-- \nPiotr Kowalski · Dział obsługi');

      const reply = page.getByRole('textbox', { name: tr('pl', 'composer.reply') });
      await reply.fill('Dzień dobry, wysyłamy nową lampę.');
      await shot(page, 'composer-email-cc');
      await reply.press('Control+Enter');
      // The sent reply shows its CC (and the BCC, for agents) in the thread.
      const mine = page.getByRole('article').filter({ hasText: 'wysyłamy nową lampę' });
      await expect.poll(() => mine.getByTestId('email-cc').textContent()).toBe(`${pl['email.cc']} anna@example.com, szef@lumen-partner.pl, ola.nowak@example.com`);
      await expect.poll(() => mine.getByTestId('email-bcc').textContent()).toBe(`${pl['email.bcc']} archiwum@lumen.example`);
      // After sending, the BCC is gone and the CC list stays as edited.
      expect(await page.getByTestId('composer-bcc').count()).toBe(0);
      await expect.poll(() => ccBox.locator('.addr-chip').allTextContents()).toEqual(['anna@example.com', 'szef@lumen-partner.pl', 'ola.nowak@example.com']);
    });
    const got = await sent(from);
    expect(got).toHaveLength(1);
    const { mail, envelope } = got[0]!;
    expect((mail.to as { value: { address: string }[] }).value.map((a) => a.address)).toEqual(['emma@example.com']);
    expect((mail.cc as { value: { address: string }[] }).value.map((a) => a.address)).toEqual(['anna@example.com', 'szef@lumen-partner.pl', 'ola.nowak@example.com']);
    expect(mail.bcc).toBeUndefined(); // blind: not in the headers the recipients see…
    expect(envelope.to.sort()).toEqual(['anna@example.com', 'archiwum@lumen.example', 'emma@example.com', 'ola.nowak@example.com', 'szef@lumen-partner.pl']); // …but delivered
    expect(mail.text).toContain('Dzień dobry, wysyłamy nową lampę.');
    expect(mail.text).toContain('-- \nPiotr Kowalski · Dział obsługi');
    // The edited list is now the conversation's CC list.
    expect((await admin('GET', `/conversations/${conversationId}/email`)).cc).toEqual(['anna@example.com', 'szef@lumen-partner.pl', 'ola.nowak@example.com']);
  });

  it('en: forwarding a message and the whole conversation reaches the third party, with a note in the thread', async () => {
    const { conversationId } = await customerWrites({ from: 'Tom Reed <tom@example.com>', subject: 'Damaged in transit', text: 'The box was crushed and the lamp shade is bent.' });
    const from = sink.received.length;
    await guarded(logins.admin, 'composer-forward', async (page) => {
      await page.goto(`/inbox/all/c/${conversationId}`);
      await page.getByRole('heading', { name: 'Damaged in transit', level: 2 }).waitFor();
      // The admin sees the inbox signature filled in.
      const signature = page.getByTestId('signature-preview');
      await signature.getByRole('button', { name: en['signature.title'] }).click();
      await expect.poll(() => signature.locator('.signature-text').textContent()).toBe('-- \nAda Admin\nLumen Home');

      const message = page.getByRole('article').filter({ hasText: 'lamp shade is bent' });
      await message.getByRole('button', { name: en['forward.message'] }).click();
      const dialog = page.getByRole('dialog', { name: en['forward.message_title'] });
      // No recipient: refused in the dialog.
      await dialog.getByRole('button', { name: en['forward.send'] }).click();
      await dialog.getByText(en['forward.need_to']).waitFor();
      await dialog.getByLabel(en['email.to'], { exact: true }).fill('claims@courier.example');
      await dialog.getByLabel(en['forward.note']).fill('Please open a damage claim for this parcel.');
      await shot(page, 'composer-forward');
      await dialog.getByRole('button', { name: en['forward.send'] }).click();
      await page.getByRole('status').getByText(tr('en', 'forward.done', { to: 'claims@courier.example' })).waitFor();
      expect(await dialog.count()).toBe(0);
      // The forward is recorded as an internal note with its recipient.
      const note = page.getByRole('article').filter({ hasText: 'Please open a damage claim' });
      await expect.poll(() => note.getAttribute('data-kind')).toBe('note');
      await expect.poll(() => note.getByTestId('email-to').textContent()).toBe(`${en['email.to']} claims@courier.example`);

      // The whole conversation, from the header.
      await page.getByRole('button', { name: en['forward.conversation'] }).click();
      const whole = page.getByRole('dialog', { name: tr('en', 'forward.conversation_title', { n: (await admin('GET', `/conversations/${conversationId}`)).number }) });
      await whole.getByLabel(en['email.to'], { exact: true }).fill('warehouse@lumen.example');
      await whole.getByLabel(en['email.to'], { exact: true }).press('Enter');
      await whole.getByRole('button', { name: en['forward.send'] }).click();
      await page.getByRole('status').getByText(tr('en', 'forward.done', { to: 'warehouse@lumen.example' })).waitFor();
    });
    const got = await sent(from);
    const byTo = (address: string) => got.find((r) => r.envelope.to.includes(address));
    const claims = byTo('claims@courier.example')!;
    expect(claims.mail.subject).toMatch(/^Fwd: Damaged in transit \[#\d+\]$/);
    expect(claims.mail.text).toContain('Please open a damage claim for this parcel.');
    expect(claims.envelope.to).toEqual(['claims@courier.example']); // never the customer
    // The customer's original email travels along as an attached .eml.
    const eml = claims.mail.attachments.find((a) => a.contentType === 'message/rfc822');
    expect(eml?.content.toString('utf8')).toContain('The box was crushed and the lamp shade is bent.');
    expect(byTo('warehouse@lumen.example')?.mail.subject).toMatch(/^Fwd: Damaged in transit/);
    expect(got).toHaveLength(2);
  });

  it('vi: a new outbound email starts a conversation and is sent to the customer', async () => {
    const from = sink.received.length;
    await guarded(logins.linh, 'composer-new-email', async (page) => {
      // The list header's button opens the form, Esc closes it, and `c` (compose) opens it from the keyboard.
      await page.getByRole('button', { name: vi['newmail.button'] }).click();
      const dialog = page.getByRole('dialog', { name: vi['newmail.title'] });
      await dialog.getByLabel(vi['email.to'], { exact: true }).waitFor();
      await page.keyboard.press('Escape');
      await expect.poll(() => dialog.count()).toBe(0);
      await page.keyboard.press('c');
      await dialog.getByLabel(vi['newmail.inbox']).selectOption({ label: 'Support email <support@lumen.example>' });
      await dialog.getByLabel(vi['email.to'], { exact: true }).fill('khach.hang@example.vn');
      await dialog.getByLabel(vi['newmail.name']).fill('Trần Thị Mai');
      await dialog.getByTestId('newmail-cc').getByLabel(vi['email.cc'], { exact: true }).fill('chong.chi.mai@example.vn');
      await dialog.getByLabel(vi['newmail.subject']).fill('Đơn hàng #5521 đã sẵn sàng');
      await dialog.getByLabel(vi['newmail.body']).fill('Chào chị Mai, đơn hàng của chị đã sẵn sàng để giao.');
      await shot(page, 'composer-new-email');
      await dialog.getByRole('button', { name: vi['composer.send'] }).click();
      // The new conversation opens, with the sent message in it.
      await page.getByRole('heading', { name: 'Đơn hàng #5521 đã sẵn sàng', level: 2 }).waitFor();
      await page.getByRole('article').filter({ hasText: 'đơn hàng của chị đã sẵn sàng' }).waitFor();
      expect(page.url()).toMatch(/\/inbox\/mine\/c\/[0-9a-f-]{36}/);
    });
    const got = await sent(from);
    expect(got).toHaveLength(1);
    const { mail, envelope } = got[0]!;
    expect(mail.subject).toMatch(/^Đơn hàng #5521 đã sẵn sàng \[#\d+\]$/);
    expect(envelope.to.sort()).toEqual(['chong.chi.mai@example.vn', 'khach.hang@example.vn']);
    expect((mail.to as { value: { address: string; name: string }[] }).value).toEqual([{ address: 'khach.hang@example.vn', name: '' }]);
    // The conversation exists, belongs to the contact, and is assigned to the agent who wrote.
    const list = await admin('GET', '/conversations?q=khach.hang%40example.vn&status=open');
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ subject: 'Đơn hàng #5521 đã sẵn sàng', inboxId: inbox.id });
    const users = await admin('GET', '/users');
    expect(list.items[0].assigneeId).toBe(users.find((u: { email: string }) => u.email === 'linh@careline.local').id);
  });

  it('en: Ctrl+K suggests help articles for the conversation; choosing one puts its title and public URL into the sent reply at the cursor', async () => {
    const { conversationId } = await customerWrites({ from: 'Grace Hill <grace@example.com>', subject: 'Return a lamp', text: 'Hi, I would like to return the lamp I bought, it does not fit my desk. How do returns and refunds work?' });
    // What the server suggests for this text, and where the warranty article lives (search).
    const returns = (await admin('GET', '/knowledge/search?q=returns%20refunds&lang=en')).items.find((a: { title: string }) => a.title === 'Returns and refunds');
    expect(returns?.url).toMatch(/^https:\/\/help\.lumen\.example\//);
    const warranty = (await admin('GET', '/knowledge/search?q=warranty&lang=en')).items.find((a: { isInternal: boolean }) => !a.isInternal);
    const from = sink.received.length;
    await guarded(logins.admin, 'composer-article', async (page) => {
      await page.goto(`/inbox/all/c/${conversationId}`);
      await page.getByRole('heading', { name: 'Return a lamp', level: 2 }).waitFor();
      const reply = page.getByRole('textbox', { name: en['composer.reply'] });
      await reply.fill('Hi Grace, here is how it works:\n\nKind regards');
      // The cursor after "works:" then Ctrl+K.
      await reply.evaluate((el: HTMLTextAreaElement) => { const at = el.value.indexOf('works:') + 'works:'.length; el.focus(); el.setSelectionRange(at, at); });
      await reply.press('Control+k');
      const picker = page.getByRole('dialog', { name: en['articles.title'] });
      const options = picker.getByRole('option');
      await expect.poll(() => options.first().locator('.article-title').textContent()).toBe('Returns and refunds');
      await shot(page, 'composer-article');
      // Esc closes without inserting; the keyboard shortcut opens it again; Enter inserts the best suggestion.
      await page.keyboard.press('Escape');
      expect(await picker.count()).toBe(0);
      expect(await reply.inputValue()).toBe('Hi Grace, here is how it works:\n\nKind regards');
      await reply.press('Control+k');
      await expect.poll(() => options.first().locator('.article-title').textContent()).toBe('Returns and refunds');
      await page.keyboard.press('Enter');
      await expect.poll(() => reply.inputValue()).toBe(`Hi Grace, here is how it works: Returns and refunds: ${returns.url}\n\nKind regards`);
      // The search box finds other articles; the button opens the same list.
      await page.getByRole('button', { name: en['articles.insert'] }).click();
      await picker.getByRole('combobox', { name: en['articles.search'] }).fill('warranty');
      await expect.poll(() => picker.locator('.article-picker-caption').textContent()).toBe(en['articles.results']);
      // The agents-only article is listed but cannot be linked (customers cannot open it).
      const internal = options.filter({ hasText: 'Handling a warranty claim (agents)' }).first();
      expect(await internal.getAttribute('aria-disabled')).toBe('true');
      const before = await reply.inputValue();
      await internal.click({ force: true });
      expect(await picker.count()).toBe(1);
      expect(await reply.inputValue()).toBe(before);
      await options.filter({ hasText: warranty.title }).first().click();
      await expect.poll(() => reply.inputValue()).toContain(`${warranty.title}: ${warranty.url}`);
      await reply.press('Control+Enter');
      await page.getByRole('article').filter({ hasText: returns.url }).waitFor();
    });
    const got = await sent(from);
    expect(got).toHaveLength(1);
    expect(got[0]!.mail.text).toContain(`Returns and refunds: ${returns.url}`);
    expect(got[0]!.mail.text).toContain(`${warranty.title}: ${warranty.url}`);
    expect(got[0]!.envelope.to).toEqual(['grace@example.com']);
  });

  it('vi: suggestions come in the conversation\'s language (guessed from the customer\'s Vietnamese)', async () => {
    const { conversationId } = await customerWrites({ from: 'Nguyễn Văn Bình <binh@example.vn>', subject: 'Đổi trả đèn bàn', text: 'Chào shop, tôi muốn đổi trả chiếc đèn bàn vì không vừa. Chính sách đổi trả và hoàn tiền thế nào?' });
    const expected = (await admin('GET', `/knowledge/suggestions?q=${encodeURIComponent('Đổi trả đèn bàn\nChính sách đổi trả và hoàn tiền thế nào?')}&lang=vi`)).items[0];
    expect(expected).toMatchObject({ language: 'vi', title: 'Chính sách đổi trả và hoàn tiền' });
    await guarded(logins.linh, 'composer-article-vi', async (page) => {
      await page.goto(`/inbox/all/c/${conversationId}`);
      await page.getByRole('heading', { name: 'Đổi trả đèn bàn', level: 2 }).waitFor();
      const reply = page.getByRole('textbox', { name: vi['composer.reply'] });
      await reply.click();
      await reply.press('Control+k');
      const picker = page.getByRole('dialog', { name: vi['articles.title'] });
      await expect.poll(() => picker.locator('.article-lang').textContent()).toBe('vi');
      await expect.poll(() => picker.getByRole('option').first().locator('.article-title').textContent()).toBe('Chính sách đổi trả và hoàn tiền');
      await page.keyboard.press('Enter');
      await expect.poll(() => reply.inputValue()).toBe(`Chính sách đổi trả và hoàn tiền: ${expected.url}`);
      expect(expected.url).toContain('/vi/');
    });
  });
});
