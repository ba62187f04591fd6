import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { TestApp } from '../../server/src/testing/test-app.ts';
import { systemCtx } from '../../server/src/platform/context.ts';
import { appendMessage, insertConversation } from '../../server/src/modules/conversations/index.ts';
import { en } from '../../web/src/i18n/en.ts';
import { CHROMIUM, ensureWebBuilt, hasChromium } from './build-web.ts';
import { apiAs, shot, signIn as signInAs, startDemoApp, tr, type Lang, type Login as BaseLogin } from './agent-app-helpers.ts';

// Golden paths of the agent app in a real browser (Debian's Chromium) against the real server.
type Login = BaseLogin & { name: string };

let t: TestApp;
let base: string;
let browser: Browser;
let logins: Record<'admin' | 'en' | 'vi' | 'pl', Login>;
let emailInbox: string;

const api = (login: { email: string; password: string }) => apiAs(t, login);

/** A customer writes in, as a channel would deliver it (the one path: insertConversation/appendMessage). */
const customerWrites = (o: { name: string; email: string; subject: string; text: string; minutesAgo?: number; priority?: 'low' | 'normal' | 'high' | 'urgent'; tags?: string[]; assigneeId?: string | null }) =>
  t.deps.db.transaction((w) => insertConversation(w, systemCtx(t.deps), {
    inboxId: emailInbox, subject: o.subject, priority: o.priority ?? 'normal', tags: o.tags, assigneeId: o.assigneeId ?? null,
    contact: { name: o.name, identities: [{ kind: 'email', value: o.email }] },
    createdAt: o.minutesAgo ? new Date(Date.now() - o.minutesAgo * 60_000).toISOString() : undefined,
  }, { kind: 'incoming', text: o.text, createdAt: o.minutesAgo ? new Date(Date.now() - o.minutesAgo * 60_000).toISOString() : undefined }));

const rows = (page: Page, lang: Lang = 'en') => page.getByRole('listbox', { name: tr(lang, 'nav.conversations') }).getByRole('option');

const sidebarLoaded = async (page: Page, lang: Lang) => {
  await page.locator('.customer .customer-name').waitFor();
  await expect.poll(() => page.locator('.customer').textContent()).not.toContain(tr(lang, 'common.loading'));
  await page.waitForTimeout(150);
};

const signIn = (login: Login) => signInAs(browser, base, login, { fromRoot: true });

beforeAll(async () => {
  if (!hasChromium) return;
  ensureWebBuilt();
  const demo = await startDemoApp();
  t = demo.t;
  logins = { admin: demo.logins.admin, en: demo.logins.sam, vi: demo.logins.linh, pl: demo.logins.piotr };
  const admin = await api(logins.admin);
  emailInbox = (await admin('GET', '/inboxes')).find((i: { channel: string }) => i.channel === 'email').id;
  await admin('POST', '/canned-replies', { shortcut: 'thanks', title: 'Thanks, on it', text: 'Hi {{contact.first_name}}, thanks for writing to us! I am {{agent.name}} and I will personally look after conversation #{{conversation.id}}.' });
  await admin('POST', '/canned-replies', { shortcut: 'refund', title: 'Refund issued', text: 'Hi {{contact.first_name}}, your refund is on its way and should reach your account within 3–5 business days.' });
  await admin('POST', '/canned-replies', { shortcut: 'shipping', title: 'Shipping times', text: 'Orders leave our warehouse within 24 hours; delivery takes 2–3 business days.' });

  // A fuller inbox for the screenshots.
  const users = await admin('GET', '/users');
  const sam = users.find((u: { email: string }) => u.email === logins.en.email).id;
  const more = [
    { name: 'Olivia Bennett', email: 'olivia.bennett@example.com', subject: 'Where is my order #60411?', text: 'Hi, the tracking page has not updated for four days. Could you check where my parcel is?', minutesAgo: 35, priority: 'high' as const, tags: ['shipping'] },
    { name: 'Marcus Lee', email: 'marcus.lee@example.com', subject: 'Invoice needs our VAT number', text: 'Could you reissue invoice INV-2291 with our company VAT number GB123456789?', minutesAgo: 80, tags: ['billing'], assigneeId: sam },
    { name: 'Sofia Rossi', email: 'sofia.rossi@example.it', subject: 'Change delivery address', text: 'I just moved, can you send order #60502 to Via Roma 12, Milano instead?', minutesAgo: 140, priority: 'urgent' as const, tags: ['order', 'address'] },
    { name: 'Hannah Schmidt', email: 'hannah.schmidt@example.de', subject: 'Assembly instructions missing', text: 'The Nordic shelf came without the assembly booklet. Is there a PDF?', minutesAgo: 260, tags: ['product'], assigneeId: sam },
    { name: 'James Carter', email: 'james.carter@example.com', subject: 'Bulk order for our office', text: 'We would like 40 desk lamps for our new office. Do you offer volume pricing?', minutesAgo: 400, tags: ['sales'] },
    { name: 'Amelia Clarke', email: 'amelia.clarke@example.co.uk', subject: 'Colour looks different from photos', text: 'The sage cushion is much greener than on the website. Can I exchange it?', minutesAgo: 650, priority: 'low' as const, tags: ['return'] },
  ];
  for (const m of more) await customerWrites(m);
  const sofia = (await admin('GET', '/conversations?q=Sofia')).items[0];
  await t.deps.db.transaction(async (w) => {
    const row = await w.tx.selectFrom('conversations').selectAll().where('id', '=', sofia.id).executeTakeFirstOrThrow();
    await appendMessage(w, systemCtx(t.deps), row, { kind: 'note', text: '@Sam the parcel is still in our warehouse, we can change the label today.', authorUserId: sam });
  });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address() as { port: number };
  base = `http://127.0.0.1:${address.port}`;
  browser = await chromium.launch(CHROMIUM);
}, 120_000);

afterAll(async () => { await browser?.close(); await t?.close(); });

describe.skipIf(!hasChromium)('agent web app in Chromium', { timeout: 60_000 }, () => {
  const golden = async (lang: Lang, customer: { name: string; email: string; subject: string; text: string }) => {
    const login = logins[lang];
    const { context, page } = await signIn(login);
    try {
      await page.getByRole('link', { name: new RegExp(`^${tr(lang, 'nav.unassigned')}`) }).click();
      await page.waitForURL(/\/inbox\/unassigned/);
      await page.getByRole('heading', { name: tr(lang, 'nav.unassigned'), level: 1 }).waitFor();
      await page.waitForTimeout(300);

      // A new customer message arrives live over the socket, without reloading.
      await customerWrites(customer);
      const row = rows(page, lang).filter({ hasText: customer.subject });
      await row.waitFor();
      await expect.poll(() => row.locator('.row-customer').textContent()).toBe(customer.name);

      // Open it from the keyboard: the newest row is first.
      await page.locator('body').press('Enter');
      await page.getByRole('heading', { name: customer.subject, level: 2 }).waitFor();
      await page.getByRole('article', { name: customer.name }).getByText(customer.text).waitFor();

      // r: reply; "/thanks" picks the canned reply, placeholders filled from customer, agent and conversation.
      await page.keyboard.press('r');
      const composer = page.getByRole('textbox', { name: tr(lang, 'composer.reply') });
      await expect.poll(() => composer.evaluate((el) => el === document.activeElement)).toBe(true);
      await composer.pressSequentially('/than');
      await page.getByRole('listbox', { name: tr(lang, 'nav.canned') }).getByRole('option', { name: /thanks/ }).waitFor();
      if (lang === 'en') await shot(page, 'canned-replies');
      await composer.press('Enter');
      const conv = (await (await api(logins.admin))('GET', `/conversations?q=${encodeURIComponent(customer.subject)}`)).items[0];
      const first = customer.name.split(' ')[0];
      const expected = `Hi ${first}, thanks for writing to us! I am ${login.name} and I will personally look after conversation #${conv.number}.`;
      await expect.poll(() => composer.inputValue()).toBe(expected);

      // a: assign (the first choice is "me"), from the keyboard.
      await composer.press('Escape');
      await page.keyboard.press('a');
      const picker = page.getByRole('dialog', { name: tr(lang, 'pick.assign') });
      await picker.waitFor();
      await page.keyboard.press('Enter');
      await page.getByRole('toolbar', { name: tr(lang, 'conv.more') }).getByRole('button', { name: new RegExp(login.name) }).waitFor();

      // Send and resolve with Ctrl+Shift+Enter.
      await page.keyboard.press('r');
      await composer.press('Control+Shift+Enter');
      const sent = page.locator('article[data-kind="outgoing"]').filter({ hasText: expected });
      await sent.waitFor();
      // The delivery state the channel reported (email: queued until the SMTP job sends it) is shown on the message.
      const stored = (await (await api(logins.admin))('GET', `/conversations/${conv.id}`)).messages.at(-1);
      await expect.poll(() => sent.locator('.delivery').textContent()).toBe(tr(lang, `delivery.${stored.deliveryState}` as keyof typeof en));
      await page.locator('.conv-meta .status-chip').filter({ hasText: tr(lang, 'status.resolved') }).waitFor();

      const after = await (await api(logins.admin))('GET', `/conversations/${conv.id}`);
      expect(after.status).toBe('resolved');
      expect(after.assigneeId).not.toBeNull();
      expect(after.messages.at(-1)).toMatchObject({ kind: 'outgoing', text: expected });
      return { context, page };
    } catch (e) {
      await shot(page, `failure-${lang}`).catch(() => {});
      await context.close();
      throw e;
    }
  };

  it('en: an agent signs in, sees a customer message arrive live, replies with a canned reply, assigns and resolves', async () => {
    const { context, page } = await golden('en', { name: 'Grace Miller', email: 'grace.miller@example.com', subject: 'Wrong size delivered', text: 'I ordered the large rug but received the small one. Can you swap it?' });
    // Screens for the README.
    await page.goto('/inbox/all');
    await rows(page).first().waitFor();
    await rows(page).filter({ hasText: 'Lamp arrived with a cracked shade' }).click();
    await page.getByRole('heading', { name: 'Lamp arrived with a cracked shade', level: 2 }).waitFor();
    await sidebarLoaded(page, 'en');
    await shot(page, 'inbox');
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await shot(page, 'shortcuts');
    await page.keyboard.press('Escape');
    await page.goto('/admin/canned');
    await page.getByRole('cell', { name: '/thanks' }).waitFor();
    await shot(page, 'admin-canned-replies');
    await context.close();
  });

  it('vi: the same golden path in Vietnamese, times in the agent\'s zone', async () => {
    const { context, page } = await golden('vi', { name: 'Phạm Thu Trang', email: 'trang.pham@example.vn', subject: 'Giao nhầm kích thước thảm', text: 'Tôi đặt thảm cỡ lớn nhưng nhận được cỡ nhỏ. Có thể đổi giúp tôi không?' });
    const time = await page.locator('article[data-kind="outgoing"] time').last().getAttribute('datetime');
    const hhmm = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(time!));
    await expect.poll(() => page.locator('article[data-kind="outgoing"] time').last().textContent()).toBe(hhmm);
    await page.goto('/inbox/mine');
    await rows(page, 'vi').first().click();
    await sidebarLoaded(page, 'vi');
    await shot(page, 'inbox-vi');
    await context.close();
  });

  it('pl: the same golden path in Polish', async () => {
    const { context, page } = await golden('pl', { name: 'Zofia Kamińska', email: 'zofia.kaminska@example.pl', subject: 'Uszkodzona paczka', text: 'Paczka dotarła zgnieciona, a wazon jest pęknięty. Co mogę zrobić?' });
    await page.goto('/settings/profile');
    await page.getByRole('heading', { name: 'Profil', level: 1 }).waitFor();
    await shot(page, 'profile-pl');
    await context.close();
  });

  it('shows a second agent viewing and typing in the same conversation (collision detection)', async () => {
    const conv = (await customerWrites({ name: 'Noah Williams', email: 'noah.w@example.com', subject: 'Refund for cancelled order', text: 'I cancelled order #60777 yesterday, when will I get my money back?' })).conversation;
    const a = await signIn(logins.en);
    const b = await signIn(logins.pl);
    try {
      await a.page.goto(`/inbox/all/c/${conv.id}`);
      await a.page.getByRole('heading', { name: 'Refund for cancelled order', level: 2 }).waitFor();
      await b.page.goto(`/inbox/all/c/${conv.id}`);
      await b.page.getByRole('heading', { name: 'Refund for cancelled order', level: 2 }).waitFor();

      const indicator = a.page.getByTestId('collision');
      await expect.poll(() => indicator.textContent(), { timeout: 10_000 }).toContain(tr('en', 'presence.viewing', { name: 'Piotr Kowalski' }));
      await expect.poll(() => b.page.getByTestId('collision').textContent(), { timeout: 10_000 }).toContain(tr('pl', 'presence.viewing', { name: 'Sam Supervisor' }));

      await b.page.keyboard.press('r');
      await b.page.getByRole('textbox', { name: tr('pl', 'composer.reply') }).pressSequentially('Dzień dobry');
      await expect.poll(() => indicator.textContent(), { timeout: 10_000 }).toContain(tr('en', 'presence.typing', { name: 'Piotr Kowalski' }));
      await shot(a.page, 'collision');

      await b.page.keyboard.press('Escape'); // leave the composer
      await b.page.keyboard.press('Escape'); // back to the list: presence "left"
      await expect.poll(() => indicator.count(), { timeout: 10_000 }).toBe(0);
    } finally { await a.context.close(); await b.context.close(); }
  });

  it('merges two conversations of a customer, splits a message out, and resolves a bulk selection', async () => {
    const one = (await customerWrites({ name: 'Ava Turner', email: 'ava.turner@example.com', subject: 'Lamp flickers', text: 'My desk lamp flickers.', minutesAgo: 30 })).conversation;
    const two = (await customerWrites({ name: 'Ava Turner', email: 'ava.turner@example.com', subject: 'Lamp flickers (again)', text: 'Also, the bulb is hot.', minutesAgo: 20 })).conversation;
    const { context, page } = await signIn(logins.en);
    try {
      await page.goto(`/inbox/all/c/${one.id}`);
      await page.getByRole('heading', { name: 'Lamp flickers', level: 2 }).waitFor();
      await page.keyboard.press('m');
      await page.getByRole('dialog', { name: tr('en', 'pick.merge') }).getByText(`#${two.number}`).click();
      await page.getByRole('article').filter({ hasText: 'Also, the bulb is hot.' }).waitFor();

      // Split the moved message back out into its own conversation.
      const article = page.getByRole('article').filter({ hasText: 'Also, the bulb is hot.' });
      await article.hover();
      await article.getByRole('button', { name: tr('en', 'conv.split') }).click();
      await page.waitForURL((u) => !u.pathname.endsWith(one.id));
      await page.getByRole('article').filter({ hasText: 'Also, the bulb is hot.' }).waitFor();
      const splitId = page.url().split('/c/')[1]!.split('?')[0]!;
      expect(splitId).not.toBe(one.id);

      // Bulk: select both Ava conversations with x, resolve with e.
      await page.goto('/inbox/all?q=Ava');
      await rows(page).first().waitFor();
      await expect.poll(() => rows(page).count()).toBe(2);
      await page.keyboard.press('x');
      await page.keyboard.press('j');
      await page.keyboard.press('x');
      await page.getByRole('toolbar', { name: tr('en', 'bulk.selected', { n: 2 }) }).waitFor();
      await page.keyboard.press('e');
      await expect.poll(() => rows(page).count()).toBe(0);
      const admin = await api(logins.admin);
      expect((await admin('GET', `/conversations/${one.id}`)).status).toBe('resolved');
      expect((await admin('GET', `/conversations/${splitId}`)).status).toBe('resolved');
      expect((await admin('GET', `/conversations/${two.id}`)).mergedIntoId).toBe(one.id);
    } catch (e) { await shot(page, 'failure-merge'); throw e; } finally { await context.close(); }
  });

  it('is an installable PWA whose service worker shows Web Push notifications', async () => {
    const { context, page } = await signIn(logins.en);
    try {
      const manifest = await (await page.request.get('/manifest.webmanifest')).json();
      expect(manifest).toMatchObject({ display: 'standalone', start_url: '/' });
      expect(manifest.icons.map((i: { sizes: string }) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
      await context.grantPermissions(['notifications'], { origin: base });
      await page.goto('/settings/profile');
      expect(await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL)).toBe(`${base}/sw.js`);
      expect(await page.evaluate(() => Notification.permission)).toBe('granted');

      await page.getByTestId('test-push').click();
      await expect.poll(() => page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => n.body)), { timeout: 15_000 }).toContain(en['profile.push_test_body']);

      // (Showing a notification goes through the service worker: under load it takes seconds, not the poll's default 1 s.)
      // A push message delivered to the service worker (as the push service would) becomes a notification.
      const cdp = await context.newCDPSession(page);
      const registration = new Promise<string>((resolve) => cdp.on('ServiceWorker.workerRegistrationUpdated', (e: { registrations: { registrationId: string; scopeURL: string }[] }) => {
        const r = e.registrations.find((x) => x.scopeURL === `${base}/`);
        if (r) resolve(r.registrationId);
      }));
      await cdp.send('ServiceWorker.enable');
      const payload = { kind: 'assigned', title: '#1042 assigned to you · Olivia Bennett', body: 'Where is my order?', conversationId: 'x', url: '/inbox/mine', tag: 'conversation-x' };
      await cdp.send('ServiceWorker.deliverPushMessage', { origin: base, registrationId: await registration, data: JSON.stringify(payload) });
      await expect.poll(() => page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => `${n.title}|${n.body}|${(n.data as { url: string }).url}`)), { timeout: 15_000 })
        .toContain(`${payload.title}|${payload.body}|${payload.url}`);
      await shot(page, 'profile-notifications');
    } finally { await context.close(); }
  });

  it('signs in with a screenshot of the sign-in page, and signs out', async () => {
    const context = await browser.newContext({ baseURL: base, locale: 'en-GB', viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto('/inbox/mine');
    await page.waitForURL(/\/sign-in/);
    await page.getByRole('heading', { name: en['auth.title'] }).waitFor();
    await shot(page, 'sign-in');
    await page.getByLabel(en['auth.email']).fill(logins.en.email);
    await page.getByLabel(en['auth.password']).fill('wrong password');
    await page.getByRole('button', { name: en['auth.submit'] }).click();
    await page.getByRole('alert').filter({ hasText: en['auth.failed'] }).waitFor();
    await page.getByLabel(en['auth.password']).fill(logins.en.password);
    await page.getByRole('button', { name: en['auth.submit'] }).click();
    await page.waitForURL(/\/inbox\/mine/);
    await page.reload();
    await page.getByRole('heading', { name: en['nav.mine'], level: 1 }).waitFor(); // remembered session
    await page.getByRole('button', { name: en['auth.sign_out'] }).click();
    await page.waitForURL(/\/sign-in/);
    await page.goto('/inbox/mine');
    await page.waitForURL(/\/sign-in/);
    await context.close();
  });
});
