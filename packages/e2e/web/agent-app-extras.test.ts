import http from 'node:http';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { TestApp } from '../../server/src/testing/test-app.ts';
import { systemCtx } from '../../server/src/platform/context.ts';
import { insertConversation } from '../../server/src/modules/conversations/index.ts';
import { mentionedUserIds } from '../../server/src/modules/notifications/notify.ts';
import { en } from '../../web/src/i18n/en.ts';
import { pl } from '../../web/src/i18n/pl.ts';
import { CHROMIUM, ensureWebBuilt, hasChromium } from './build-web.ts';
import { apiAs, shot, signIn as signInAs, startDemoApp, tr, type Login as BaseLogin } from './agent-app-helpers.ts';

// The agent app's later additions in Chromium against the real server: @mentions, email bodies (HTML in a
// sandboxed frame, folded quotes, cid images, CC, warnings), custom statuses, the webhook delivery log,
// inbox secret rotation and deletion.
type Login = BaseLogin & { name: string };
type User = { id: string; name: string; email: string };

let t: TestApp;
let base: string;
let browser: Browser;
let logins: Record<'admin' | 'sam' | 'linh' | 'piotr' | 'adminPl', Login>;
let users: User[];
let supportInbox: string;
let billing: { id: string; secret: string };

const api = (login: { email: string; password: string }) => apiAs(t, login);

/** Raw MIME to the email channel's webhook, authenticated with the inbox secret (as a forwarding MTA would). */
const postMail = (inboxId: string, secret: string, raw: string) => t.app.inject({
  method: 'POST', url: `/api/v1/inboxes/${inboxId}/mail`, headers: { 'content-type': 'message/rfc822', 'x-careline-inbox-secret': secret }, payload: raw,
});

const customerWrites = (o: { name: string; email: string; subject: string; text: string; inboxId?: string }) =>
  t.deps.db.transaction((w) => insertConversation(w, systemCtx(t.deps), {
    inboxId: o.inboxId ?? supportInbox, subject: o.subject, contact: { name: o.name, identities: [{ kind: 'email', value: o.email }] },
  }, { kind: 'incoming', text: o.text }));

/** A solid-colour PNG (the cid: inline image of the test mail). */
const png = (w: number, h: number, rgb: [number, number, number]) => {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(zlib.crc32(Buffer.concat([Buffer.from(type), data])));
    return Buffer.concat([len, Buffer.from(type), data, crc]);
  };
  const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 2;
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: w }, () => rgb).flat())]);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
};
const b64 = (b: Buffer) => b.toString('base64').replace(/.{76}/g, '$&\r\n');

const signIn = (login: Login) => signInAs(browser, base, login, { acceptDialogs: true });

const guarded = async (login: Login, name: string, fn: (page: Page, context: BrowserContext) => Promise<void>) => {
  const { context, page } = await signIn(login);
  try { await fn(page, context); } catch (e) { await shot(page, `failure-${name}`).catch(() => {}); throw e; } finally { await context.close(); }
};

beforeAll(async () => {
  if (!hasChromium) return;
  ensureWebBuilt();
  const demo = await startDemoApp();
  t = demo.t;
  const adminPl = { email: 'agnieszka@careline.local', password: 'agnieszka-password-1' };
  logins = {
    ...demo.logins,
    adminPl: { ...adminPl, name: 'Agnieszka Nowak', lang: 'pl', timeZone: 'Europe/Warsaw', locale: 'pl-PL' },
  };
  const admin = await api(logins.admin);
  await admin('POST', '/users', { ...adminPl, name: 'Agnieszka Nowak', role: 'admin', language: 'pl', timeZone: 'Europe/Warsaw' });
  users = await admin('GET', '/users');
  const inboxes = await admin('GET', '/inboxes');
  supportInbox = inboxes.find((i: { channel: string }) => i.channel === 'email').id;
  const memberIds = users.filter((u) => ['linh@careline.local', 'piotr@careline.local'].includes(u.email)).map((u) => u.id);
  billing = await admin('POST', '/inboxes', { name: 'Billing email', channel: 'email', emailAddress: 'billing@lumen.example', businessName: 'Lumen Home', memberIds });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  browser = await chromium.launch(CHROMIUM);
}, 120_000);

afterAll(async () => { await browser?.close(); await t?.close(); });

describe.skipIf(!hasChromium)('agent web app extras in Chromium', { timeout: 60_000 }, () => {
  it('vi: @mention autocomplete in an internal note — filter, arrows, Esc, Enter/Tab — in the form the server notifies', async () => {
    const conv = (await customerWrites({ name: 'Đỗ Minh Anh', email: 'minhanh@example.vn', subject: 'Hoá đơn bị sai địa chỉ', text: 'Hoá đơn của tôi ghi sai địa chỉ công ty.' })).conversation;
    await guarded(logins.linh, 'mentions', async (page) => {
      await page.goto(`/inbox/all/c/${conv.id}`);
      await page.getByRole('heading', { name: 'Hoá đơn bị sai địa chỉ', level: 2 }).waitFor();
      await page.keyboard.press('n');
      const note = page.getByRole('textbox', { name: tr('vi', 'conv.note') });
      await expect.poll(() => note.evaluate((el) => el === document.activeElement)).toBe(true);
      const list = page.getByRole('listbox', { name: tr('vi', 'composer.mentions') });
      const options = list.getByRole('option');

      // An email address is no mention: no list.
      await note.pressSequentially('Viết cho linh@x');
      expect(await list.count()).toBe(0);
      await note.fill('');

      // "@" lists the colleagues who can see this inbox (not me), "@pi" narrows to Piotr.
      await note.pressSequentially('Nhờ @');
      await list.waitFor();
      await expect.poll(() => options.allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Piotr Kowalski'), expect.stringContaining('Sam Supervisor'), expect.stringContaining('Ada Admin')]));
      expect((await options.allTextContents()).some((x) => x.includes('Linh'))).toBe(false);
      // Arrow keys move the choice.
      await expect.poll(() => options.first().getAttribute('aria-selected')).toBe('true');
      await note.press('ArrowDown');
      await expect.poll(() => options.nth(1).getAttribute('aria-selected')).toBe('true');
      await note.press('ArrowUp');
      await expect.poll(() => options.first().getAttribute('aria-selected')).toBe('true');
      // Esc closes the list and stays in the composer (and in the conversation).
      await note.press('Escape');
      await expect.poll(() => list.count()).toBe(0);
      expect(page.url()).toContain(conv.id);
      await expect.poll(() => note.evaluate((el) => el === document.activeElement)).toBe(true);

      await note.pressSequentially('pi');
      await list.waitFor();
      await expect.poll(() => options.allTextContents()).toEqual([expect.stringContaining('Piotr Kowalski')]);
      await shot(page, 'mentions');
      await note.press('Tab');
      await expect.poll(() => note.inputValue()).toBe('Nhờ @Piotr Kowalski ');
      await note.pressSequentially('và @sam');
      await list.waitFor();
      await note.press('Enter');
      await expect.poll(() => note.inputValue()).toBe('Nhờ @Piotr Kowalski và @Sam Supervisor ');
      expect(await list.count()).toBe(0);
      await note.pressSequentially('kiểm tra giúp.');
      await note.press('Control+Enter');

      const sent = page.locator('article[data-kind="note"]').filter({ hasText: 'kiểm tra giúp.' });
      await sent.waitFor();
      await expect.poll(() => sent.locator('.mention').allTextContents()).toEqual(['@Piotr Kowalski', '@Sam Supervisor']);
      const stored = (await (await api(logins.admin))('GET', `/conversations/${conv.id}`)).messages.at(-1);
      expect(stored).toMatchObject({ kind: 'note', text: 'Nhờ @Piotr Kowalski và @Sam Supervisor kiểm tra giúp.' });
      // The server's own parser (which decides who gets a mention notification) finds exactly these two.
      const ids = mentionedUserIds(stored.text, users);
      expect(ids.map((id) => users.find((u) => u.id === id)!.name).sort()).toEqual(['Piotr Kowalski', 'Sam Supervisor']);
    });
  });

  it('en: an email with HTML, a cid image, an attachment, CC and quoted history; quotes folded, script never runs', async () => {
    const photo = png(160, 90, [36, 83, 199]);
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    const html = '<html><head><style>p{color:red}</style></head><body><div dir="ltr"><p>Hello, the <b>invoice total</b> is wrong: I was charged twice.</p>'
      + '<p><img src="cid:receipt-photo@example.com" alt="receipt photo" width="160" height="90"></p>'
      + '<p><img src="https://tracker.example/open.png" width="1" height="1" alt=""></p></div>'
      + '<div class="gmail_quote"><div class="gmail_attr">On Mon, 3 Mar 2025 at 10:00, Lumen Support &lt;billing@lumen.example&gt; wrote:</div>'
      + '<blockquote class="gmail_quote">Your invoice INV-7781 is attached. Total: 249.00 EUR.</blockquote></div></body></html>';
    const first = [
      'From: Emma Jones <emma.jones@example.com>', 'To: Lumen Billing <billing@lumen.example>',
      'Cc: Oliver Brown <oliver.brown@example.com>, finance@example.com', 'Subject: Charged twice for INV-7781',
      'Message-ID: <e2e-invoice-1@example.com>', 'Date: Tue, 4 Mar 2025 09:15:00 +0000', 'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="mixed"', '', '--mixed', 'Content-Type: multipart/related; boundary="rel"', '',
      '--rel', 'Content-Type: multipart/alternative; boundary="alt"', '',
      '--alt', 'Content-Type: text/plain; charset=utf-8', '',
      'Hello, the invoice total is wrong: I was charged twice.', '', '[image: receipt photo]', '',
      'On Mon, 3 Mar 2025 at 10:00, Lumen Support <billing@lumen.example> wrote:', '> Your invoice INV-7781 is attached. Total: 249.00 EUR.', '',
      '--alt', 'Content-Type: text/html; charset=utf-8', '', html, '--alt--', '',
      '--rel', 'Content-Type: image/png', 'Content-ID: <receipt-photo@example.com>', 'Content-Disposition: inline; filename="receipt.png"', 'Content-Transfer-Encoding: base64', '', b64(photo), '--rel--', '',
      '--mixed', 'Content-Type: application/pdf; name="bank-statement.pdf"', 'Content-Disposition: attachment; filename="bank-statement.pdf"', 'Content-Transfer-Encoding: base64', '', b64(pdf), '--mixed--', '',
    ].join('\r\n');
    const r1 = await postMail(billing.id, billing.secret, first);
    expect(r1.statusCode).toBe(202);
    const { conversationId, messageId } = r1.json();
    // A plain-text follow-up in the same thread, with its quote, and a message whose HTML was too large (a parse warning).
    const second = [
      'From: Emma Jones <emma.jones@example.com>', 'To: billing@lumen.example', 'Subject: Re: Charged twice for INV-7781',
      'Message-ID: <e2e-invoice-2@example.com>', 'In-Reply-To: <e2e-invoice-1@example.com>', 'References: <e2e-invoice-1@example.com>',
      'Date: Tue, 4 Mar 2025 09:40:00 +0000', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '',
      'Sorry, one more thing: I need the refund before Friday.', '',
      'On Tue, 4 Mar 2025 at 09:15, Emma Jones <emma.jones@example.com> wrote:', '> Hello, the invoice total is wrong: I was charged twice.', '',
    ].join('\r\n');
    expect((await postMail(billing.id, billing.secret, second)).json()).toMatchObject({ status: 'stored', conversationId });
    const huge = [
      'From: Emma Jones <emma.jones@example.com>', 'To: billing@lumen.example', 'Subject: Re: Charged twice for INV-7781',
      'Message-ID: <e2e-invoice-3@example.com>', 'In-Reply-To: <e2e-invoice-2@example.com>', 'Date: Tue, 4 Mar 2025 09:50:00 +0000', 'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="alt"', '', '--alt', 'Content-Type: text/plain; charset=utf-8', '', 'Here is my full bank export.', '',
      '--alt', 'Content-Type: text/html; charset=utf-8', '', `<p>Here is my full bank export.</p>${'<p>0000000000 row of the export</p>\r\n'.repeat(70_000)}`, '--alt--', '',
    ].join('\r\n');
    expect((await postMail(billing.id, billing.secret, huge)).json()).toMatchObject({ status: 'stored', conversationId });
    // A reply with hostile HTML through the API: the server sanitises it, and the sandboxed frame is the second line of defence.
    const sam = await api(logins.sam);
    const hostile = await sam('POST', `/conversations/${conversationId}/reply`, {
      text: 'We are looking into it.',
      html: '<p>We are <i>looking</i> into it.</p><img src="/nonexistent.png" onerror="parent.document.title=\'pwned-onerror\'"><script>parent.document.title=\'pwned-script\'</script>',
    });
    expect(hostile.html).not.toContain('onerror');
    expect(hostile.html).not.toContain('<script');

    await guarded(logins.sam, 'email', async (page) => {
      await page.goto(`/inbox/all/c/${conversationId}`);
      await page.getByRole('heading', { name: 'Charged twice for INV-7781', level: 2 }).waitFor();
      const firstMsg = page.getByRole('article').filter({ has: page.getByTitle(tr('en', 'email.frame', { name: 'Emma Jones' })) }).first();
      const frame = firstMsg.locator('iframe.email-frame');
      await frame.waitFor();
      // Sandboxed: no scripts, no forms, no top navigation; a CSP inside as well.
      const sandbox = (await frame.getAttribute('sandbox'))!.split(/\s+/);
      expect(sandbox).not.toContain('allow-scripts');
      expect(sandbox).not.toContain('allow-forms');
      expect(sandbox).not.toContain('allow-top-navigation');
      expect(await frame.getAttribute('srcdoc')).toContain("default-src 'none'; img-src 'self' data:;");
      // The parent reads the frame's document (same origin, no scripts of its own): what the agent sees in it.
      const frameText = () => frame.evaluate((el) => (el as HTMLIFrameElement).contentDocument?.body?.innerText ?? '');
      await expect.poll(frameText).toContain('invoice total is wrong');
      expect(await frame.evaluate((el) => (el as HTMLIFrameElement).contentDocument!.querySelector('b')?.textContent)).toBe('invoice total');
      // The quoted history is folded away until asked for.
      expect(await frameText()).not.toContain('INV-7781 is attached');
      // The cid: image was rewritten to the stored attachment and loads (with the agent's session) inside the frame.
      await expect.poll(() => frame.evaluate((el) => {
        const img = (el as HTMLIFrameElement).contentDocument?.querySelector<HTMLImageElement>('img[alt="receipt photo"]');
        return img ? `${img.getAttribute('src')?.startsWith('/api/v1/attachments/')}:${img.naturalWidth}` : null;
      })).toBe('true:160');
      // The frame is sized to its content (no inner scrollbar, nothing cut off).
      await expect.poll(async () => (await frame.boundingBox())!.height).toBeGreaterThan(120);
      const contentHeight = await frame.evaluate((el) => (el as HTMLIFrameElement).contentDocument!.documentElement.scrollHeight);
      expect(Math.abs(contentHeight - (await frame.boundingBox())!.height)).toBeLessThanOrEqual(2);
      // Remote images stay blocked until the agent asks for them.
      await firstMsg.getByText(tr('en', 'email.remote_blocked')).waitFor();
      // The inline image is not listed again below; the real attachment is, as a download.
      await firstMsg.locator('.msg-files').getByText('bank-statement.pdf').waitFor();
      expect(await firstMsg.locator('.msg-images img').count()).toBe(0);
      // CC recipients (and To) from the email channel's metadata.
      await expect.poll(() => firstMsg.getByTestId('email-cc').textContent()).toBe(`${en['email.cc']} Oliver Brown <oliver.brown@example.com>, finance@example.com`);
      // The stored original, one click away.
      const original = firstMsg.getByRole('link', { name: en['email.original'] });
      expect(await original.getAttribute('href')).toBe(`/api/v1/email/messages/${messageId}/raw`);
      expect(await (await page.request.get((await original.getAttribute('href'))!)).text()).toContain('Message-ID: <e2e-invoice-1@example.com>');
      await firstMsg.evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await page.mouse.move(900, 400);
      await shot(page, 'email-html');

      await firstMsg.getByRole('button', { name: new RegExp(tr('en', 'conv.show_quoted')) }).click();
      await expect.poll(frameText).toContain('INV-7781 is attached');
      await firstMsg.getByRole('button', { name: new RegExp(tr('en', 'conv.hide_quoted')) }).click();
      await expect.poll(frameText).not.toContain('INV-7781 is attached');
      await firstMsg.getByRole('button', { name: tr('en', 'email.show_images') }).click();
      await expect.poll(() => frame.getAttribute('srcdoc')).toContain("img-src 'self' data: https: http:");

      // The plain-text follow-up: quote folded behind the toggle.
      const secondMsg = page.getByRole('article').filter({ hasText: 'I need the refund before Friday.' });
      expect(await secondMsg.locator('.msg-body').textContent()).not.toContain('charged twice');
      await secondMsg.getByRole('button', { name: new RegExp(tr('en', 'conv.show_quoted')) }).click();
      await expect.poll(() => secondMsg.locator('.quote-text').textContent()).toContain('> Hello, the invoice total is wrong: I was charged twice.');

      // The oversized message: text shown, the parse warning discreet until opened.
      const thirdMsg = page.getByRole('article').filter({ hasText: 'Here is my full bank export.' });
      await thirdMsg.getByRole('button', { name: tr('en', 'email.warnings') }).click();
      await thirdMsg.getByText(tr('en', 'email.warning.html_too_large')).waitFor();

      // The API reply's HTML is shown, but its handler and script never ran.
      const reply = page.locator('article[data-kind="outgoing"]').filter({ has: page.locator('iframe.email-frame') }).last();
      const replyFrame = reply.locator('iframe.email-frame');
      await expect.poll(() => replyFrame.evaluate((el) => (el as HTMLIFrameElement).contentDocument?.body?.innerText ?? '')).toContain('We are looking into it.');
      await page.waitForTimeout(300);
      expect(await page.title()).toBe('Careline');
    });
  });

  it('en + pl: custom statuses are created and deleted by an admin, and chosen from the status menu of a conversation', async () => {
    const conv = (await customerWrites({ name: 'Jan Wiśniewski', email: 'jan.w@example.pl', subject: 'Brak części w zestawie', text: 'W zestawie brakuje dwóch śrub.' })).conversation;
    await guarded(logins.admin, 'custom-statuses', async (page) => {
      await page.goto('/admin/statuses');
      await page.getByRole('link', { name: en['nav.custom_statuses'] }).waitFor();
      const form = page.locator('form');
      for (const [name, base] of [['Waiting for warehouse', 'pending'], ['Obsolete label', 'closed']] as const) {
        await form.getByLabel(en['admin.name']).fill(name);
        await form.getByLabel(en['admin.base_status']).selectOption(base);
        await form.getByRole('button', { name: en['admin.create'] }).click();
        await page.getByRole('row').filter({ hasText: name }).waitFor();
      }
      await expect.poll(() => page.getByRole('row').filter({ hasText: 'Waiting for warehouse' }).locator('.status-chip').textContent()).toBe(en['status.pending']);
      await page.getByRole('row').filter({ hasText: 'Obsolete label' }).getByRole('button', { name: en['admin.delete'] }).click();
      await expect.poll(() => page.getByRole('row').filter({ hasText: 'Obsolete label' }).count()).toBe(0);
      await shot(page, 'admin-custom-statuses');
    });
    const statuses = await (await api(logins.admin))('GET', '/custom-statuses');
    expect(statuses.map((s: { name: string; baseStatus: string }) => `${s.name}:${s.baseStatus}`)).toEqual(['Waiting for warehouse:pending']);

    // An agent (Polish UI) sets it from the keyboard: s opens the status menu, which offers the custom status too.
    await guarded(logins.piotr, 'custom-status-use', async (page) => {
      await page.goto(`/inbox/all/c/${conv.id}`);
      await page.getByRole('heading', { name: 'Brak części w zestawie', level: 2 }).waitFor();
      await page.keyboard.press('s');
      const menu = page.getByRole('dialog', { name: pl['pick.status'] });
      await menu.getByRole('option', { name: /Waiting for warehouse/ }).waitFor();
      await menu.getByText(pl['pick.custom_statuses']).waitFor();
      await page.keyboard.type('warehouse');
      await page.keyboard.press('Enter');
      const chip = page.locator('.conv-meta .status-chip');
      await expect.poll(() => chip.textContent()).toContain('Waiting for warehouse');
      const after = await (await api(logins.admin))('GET', `/conversations/${conv.id}`);
      expect(after).toMatchObject({ status: 'pending', customStatusId: statuses[0].id });
      // The header chip is the status menu too: back to a base status with the mouse.
      await chip.click();
      await page.getByRole('dialog', { name: pl['pick.status'] }).getByRole('option', { name: new RegExp(pl['status.open']) }).first().click();
      await expect.poll(() => chip.textContent()).toContain(pl['status.open']);
      expect(await (await api(logins.admin))('GET', `/conversations/${conv.id}`)).toMatchObject({ status: 'open', customStatusId: null });
    });
  });

  it('en: the webhook delivery log shows a failing delivery (status, attempts, response, next attempt) and redelivers it', async () => {
    let answer = 500;
    const received: string[] = [];
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => { received.push(String(req.headers['x-careline-delivery'])); res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer === 200 ? 'ok' : 'receiver is down'); void body; });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks/careline`;
    const admin = await api(logins.admin);
    const hook = await admin('POST', '/webhooks', { url, events: ['conversation.created'] });
    try {
      await customerWrites({ name: 'Lucas Martin', email: 'lucas.martin@example.fr', subject: 'Order never arrived', text: 'My order #60991 never arrived.' });
      await t.deps.jobs.drain(); // the first attempt fails with 500 and is scheduled again
      expect(received).toHaveLength(1);

      await guarded(logins.admin, 'webhook-deliveries', async (page) => {
        await page.goto('/admin/webhooks');
        await page.getByRole('row').filter({ hasText: url }).getByRole('button', { name: en['admin.deliveries'] }).click();
        const log = page.getByRole('region', { name: tr('en', 'admin.deliveries_of', { url }) });
        const row = log.getByRole('row').filter({ hasText: 'conversation.created' });
        await row.waitFor();
        const cells = row.getByRole('cell');
        await expect.poll(() => cells.nth(2).textContent()).toBe(en['admin.delivery.pending']);
        expect(await cells.nth(3).textContent()).toBe('1');
        expect(await cells.nth(4).textContent()).toContain('HTTP 500');
        expect(await cells.nth(5).textContent()).not.toBe('—'); // the next attempt's time
        await shot(page, 'webhook-deliveries');

        // The receiver is fixed; redeliver now instead of waiting for the back-off.
        answer = 200;
        await row.getByRole('button', { name: en['admin.redeliver'] }).click();
        await page.getByRole('status').filter({ hasText: en['admin.redelivered'] }).waitFor();
        await expect.poll(() => cells.nth(3).textContent()).toBe('0');
        await t.deps.jobs.drain();
        expect(received).toHaveLength(2);
        expect(received[1]).toBe(received[0]);
        await log.getByRole('button', { name: en['admin.refresh'] }).click();
        await expect.poll(() => cells.nth(2).textContent()).toContain(en['admin.delivery.delivered']);
        expect(await cells.nth(3).textContent()).toBe('1');
        expect(await cells.nth(5).textContent()).toBe('—');
      });
      const [d] = await admin('GET', `/webhooks/${hook.id}/deliveries`);
      expect(d).toMatchObject({ status: 'delivered', attempts: 1, responseStatus: 200 });
    } finally {
      await admin('DELETE', `/webhooks/${hook.id}`);
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it('pl: an admin rotates an inbox secret (shown once, copied) and cannot delete an inbox that has conversations', async () => {
    const admin = await api(logins.admin);
    const empty = await admin('POST', '/inboxes', { name: 'Stara skrzynka', channel: 'api' });
    await guarded(logins.adminPl, 'inbox-secret', async (page, context) => {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
      await page.goto('/admin/inboxes');
      const billingRow = page.getByRole('row').filter({ hasText: 'Billing email' });
      await billingRow.getByRole('button', { name: pl['admin.rotate_secret'] }).click();
      const box = page.getByRole('status').filter({ hasText: tr('pl', 'admin.secret_rotated', { name: 'Billing email' }) });
      await box.waitFor();
      const secret = (await box.getByTestId('secret-value').textContent())!;
      expect(secret).toMatch(/^cis_/);
      expect(secret).not.toBe(billing.secret);
      await box.getByRole('button', { name: pl['admin.copy'] }).click();
      await box.getByRole('button', { name: pl['admin.copied'] }).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
      await shot(page, 'admin-inbox-secret');

      // The new secret authenticates raw mail at once; the old one no longer does.
      const mail = 'From: a@example.com\r\nTo: billing@lumen.example\r\nSubject: ping\r\nMessage-ID: <e2e-rotate@example.com>\r\n\r\nping\r\n';
      expect((await postMail(billing.id, billing.secret, mail)).statusCode).toBe(401);
      expect((await postMail(billing.id, secret, mail)).statusCode).toBe(202);

      // Deleting an inbox with conversations: the server answers 409, the page says why (in Polish).
      await billingRow.getByRole('button', { name: pl['admin.delete'] }).click();
      await page.getByRole('alert').filter({ hasText: tr('pl', 'admin.inbox_in_use', { name: 'Billing email' }) }).waitFor();
      expect(await billingRow.count()).toBe(1);
      // An inbox without conversations goes.
      await page.getByRole('row').filter({ hasText: 'Stara skrzynka' }).getByRole('button', { name: pl['admin.delete'] }).click();
      await expect.poll(() => page.getByRole('row').filter({ hasText: 'Stara skrzynka' }).count()).toBe(0);
    });
    expect((await admin('GET', '/inboxes')).some((i: { id: string }) => i.id === empty.id)).toBe(false);
  });
});
