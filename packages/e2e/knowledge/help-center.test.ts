import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { createTestApp, type TestApp } from '../../server/src/testing/test-app.ts';
import { makeFactories } from '../../server/src/testing/factories.ts';
import { systemCtx } from '../../server/src/platform/context.ts';
import { seedKnowledgeDemo } from '../../server/src/modules/knowledge/index.ts';
import { CHROMIUM, hasChromium } from '../build.ts';

// Golden path in a real browser (Debian's Chromium) against the real server: the help center, the web
// form (without JavaScript, and with it), and the customer portal signed in by the emailed link.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const TIME_TRAP_MS = 3200; // the web form refuses posts sent less than 3 s after it was shown

let t: TestApp;
let browser: Browser;
let base: string;
let formToken: string;

beforeAll(async () => {
  if (!hasChromium) return;
  t = await createTestApp();
  const f = makeFactories(t);
  const form = await f.inbox({ channel: 'webform', name: 'Contact form', settings: { color: '#0f766e' } });
  formToken = form.publicToken;
  await t.deps.db.transaction(async (w) => {
    await w.tx.insertInto('settings').values({ key: 'company', value: JSON.stringify({ name: 'Lumen Home' }) }).execute();
    await w.tx.updateTable('inboxes').set({ business_name: 'Lumen Home' }).where('id', '=', form.id).execute();
    await seedKnowledgeDemo(w, systemCtx(t.deps), { webformInboxId: form.id });
  });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await chromium.launch(CHROMIUM);
});
afterAll(async () => { await browser?.close(); await t?.close(); });

const newContext = (o: { js?: boolean; lang?: string } = {}): Promise<BrowserContext> =>
  browser.newContext({ javaScriptEnabled: o.js ?? true, locale: o.lang ?? 'en-US', viewport: { width: 1280, height: 900 } });

describe.skipIf(!hasChromium)('help center, web form and portal in a browser', { timeout: 60_000 }, () => {
  it('help center: browse in Vietnamese, search without diacritics, read, vote (screenshot for the README)', async () => {
    const ctx = await newContext({ js: false, lang: 'vi-VN' });
    const page = await ctx.newPage();
    await page.goto(`${base}/help`);
    expect(page.url()).toBe(`${base}/help/vi`);
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    await page.getByRole('heading', { name: 'Chúng tôi có thể giúp gì cho bạn?' }).waitFor();
    fs.mkdirSync(path.join(root, 'docs/screenshots'), { recursive: true });
    await page.screenshot({ path: path.join(root, 'docs/screenshots/help-center.png'), fullPage: true });

    await page.getByRole('searchbox', { name: 'Tìm trong trung tâm trợ giúp' }).fill('doi tra');
    await page.getByRole('button', { name: 'Tìm kiếm' }).click();
    await page.getByRole('link', { name: 'Chính sách đổi trả và hoàn tiền' }).waitFor();
    expect(await page.locator('mark').first().textContent()).toMatch(/đổi|trả/);
    await page.getByRole('link', { name: 'Chính sách đổi trả và hoàn tiền' }).click();
    await page.getByRole('heading', { level: 1, name: 'Chính sách đổi trả và hoàn tiền' }).waitFor();

    // Language switcher goes to the Polish translation of the same article.
    await page.getByRole('navigation', { name: 'Ngôn ngữ' }).getByRole('link', { name: 'Polski' }).click();
    await page.getByRole('heading', { level: 1, name: 'Zwroty i zwrot pieniędzy' }).waitFor();
    await page.getByLabel('Tak').check();
    await page.getByLabel('Napisz więcej (opcjonalnie)').fill('Jasno opisane');
    await page.getByRole('button', { name: 'Wyślij opinię' }).click();
    await page.getByText('Dziękujemy za opinię!').waitFor();
    const votes = await t.deps.db.kysely.selectFrom('kb_events').selectAll().where('kind', '=', 'helpful_yes').execute();
    expect(votes.map((v) => [v.language, v.comment])).toContainEqual(['pl', 'Jasno opisane']);
    await ctx.close();
  });

  it('web form without JavaScript: suggestions first, then the message is sent and confirmed', async () => {
    const ctx = await newContext({ js: false });
    const page = await ctx.newPage();
    await page.goto(`${base}/help/en`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Contact us' }).click();
    await page.getByRole('heading', { name: 'Contact us', level: 1 }).waitFor();
    await page.getByLabel('Your name').fill('Mai Tran');
    await page.getByLabel('Email address').fill('mai.tran@example.com');
    await page.getByLabel('Subject').fill('Lamp flickers');
    await page.getByLabel('How can we help?').fill('My new LED lamp flickers. Is that covered by the warranty?');
    await page.getByLabel(/Attachments/).setInputFiles({ name: 'flicker.txt', mimeType: 'text/plain', buffer: Buffer.from('video link') });
    await page.waitForTimeout(TIME_TRAP_MS);
    await page.getByRole('button', { name: 'Send message' }).click();

    await page.getByRole('heading', { name: 'Before you send: these articles may answer your question' }).waitFor();
    await page.getByRole('link', { name: 'Warranty: what is covered and how to claim' }).waitFor();
    expect(await page.getByText('flicker.txt').count()).toBe(1);
    await page.waitForTimeout(TIME_TRAP_MS);
    await page.getByRole('button', { name: 'I still need help — send my message' }).click();
    await page.getByRole('heading', { name: 'Thank you — we received your message' }).waitFor();
    const number = /#(\d+)/.exec((await page.getByRole('status').textContent()) ?? '')?.[1];
    expect(Number(number)).toBeGreaterThan(1000);
    const conv = await t.deps.db.kysely.selectFrom('conversations').selectAll().where('number', '=', Number(number)).executeTakeFirstOrThrow();
    expect(conv.subject).toBe('Lamp flickers');
    await ctx.close();
  });

  it('web form with JavaScript: live suggestions while typing, and "this solved my problem" counts as deflected', async () => {
    const ctx = await newContext({ js: true, lang: 'pl-PL' });
    const page = await ctx.newPage();
    await page.goto(`${base}/contact/${formToken}`);
    expect(await page.getAttribute('html', 'lang')).toBe('pl');
    await page.getByLabel('Temat').fill('Zwrot lampy');
    await page.getByLabel('W czym możemy pomóc?').fill('Chcę zwrócić lampę, jak dostanę zwrot pieniędzy?');
    const live = page.locator('#live-suggestions');
    await live.getByRole('link', { name: 'Zwroty i zwrot pieniędzy' }).waitFor();
    await page.waitForFunction(() => (document.querySelector('input[name=ds]') as HTMLInputElement | null)?.value.length === 36);
    const ds = await page.inputValue('input[name=ds]');
    await live.getByRole('link', { name: 'To rozwiązało mój problem' }).click();
    await page.getByRole('heading', { name: 'Cieszymy się, że mogliśmy pomóc!' }).waitFor();
    const session = await t.deps.db.kysely.selectFrom('kb_deflections').selectAll().where('id', '=', ds).executeTakeFirstOrThrow();
    expect(session).toMatchObject({ outcome: 'solved', language: 'pl', source: 'webform' });
    await ctx.close();
  });

  it('portal: sign in with the emailed one-time link, see the request, reply and close it', async () => {
    const ctx = await newContext({ js: false });
    const page = await ctx.newPage();
    await page.goto(`${base}/portal?lang=en`);
    await page.getByLabel('Email address').fill('mai.tran@example.com');
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await page.getByText('a sign-in link is on its way').waitFor();

    await t.deps.jobs.drain();
    const outbox = path.join(t.dataDir, 'outbox');
    const mails = await Promise.all(fs.readdirSync(outbox).map((x) => simpleParser(fs.readFileSync(path.join(outbox, x)))));
    const link = mails.map((m) => /\/portal\/auth\?token=\S+/.exec(m.text ?? '')?.[0]).find(Boolean);
    expect(link).toBeTruthy();
    await page.goto(`${base}${link}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Your requests' }).waitFor();
    const cookies = await ctx.cookies();
    expect(cookies.find((c) => c.name === 'careline_portal')).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/portal' });

    await page.getByRole('link', { name: /Lamp flickers/ }).click();
    await page.getByText('My new LED lamp flickers.').waitFor();
    await page.getByRole('link', { name: 'flicker.txt' }).waitFor();
    await page.getByLabel('Your reply').fill('Here is a video of it.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.getByText('Your reply was sent.').waitFor();
    await page.getByText('Here is a video of it.').waitFor();
    await page.getByRole('button', { name: 'Close this request' }).click();
    await page.getByText('The request is closed. Thank you!').waitFor();
    await page.getByText('Closed', { exact: true }).first().waitFor();

    // The link was single-use.
    await page.goto(`${base}${link}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('invalid, expired or already used').waitFor();
    await ctx.close();
  });
});
