import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { createTestApp, type TestApp } from '../../server/src/testing/test-app.ts';
import { makeFactories } from '../../server/src/testing/factories.ts';
import { systemCtx } from '../../server/src/platform/context.ts';
import { seedKnowledgeDemo } from '../../server/src/modules/knowledge/index.ts';
import { CHROMIUM, hasChromium } from '../build.ts';

// Times on the server-rendered pages (help center, portal) in the reader's time zone: tz.js in a real browser
// with an emulated zone converts the UTC rendering at once and leaves a cookie, so the server renders the
// next page in that zone; without JavaScript the page stays in UTC.
let t: TestApp;
let browser: Browser;
let base: string;
const UPDATED = '2026-07-15T22:30:00.000Z'; // already July 16 in Tokyo (UTC+9)

beforeAll(async () => {
  if (!hasChromium) return;
  t = await createTestApp();
  const form = await makeFactories(t).inbox({ channel: 'webform', name: 'Contact form' });
  await t.deps.db.transaction(async (w) => {
    await seedKnowledgeDemo(w, systemCtx(t.deps), { webformInboxId: form.id });
    await w.tx.updateTable('kb_translations').set({ updated_at: UPDATED }).where('language', '=', 'en').where('slug', '=', 'returns-and-refunds').execute();
  });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await chromium.launch(CHROMIUM);
});
afterAll(async () => { await browser?.close(); await t?.close(); });

describe.skipIf(!hasChromium)('times in the reader\'s time zone', { timeout: 60_000 }, () => {
  it('tz.js shows UTC-rendered times in the browser\'s zone and remembers the zone for the server', async () => {
    const ctx = await browser.newContext({ timezoneId: 'Asia/Tokyo', locale: 'en-US' });
    const page = await ctx.newPage();
    const time = page.locator(`time[datetime="${UPDATED}"]`);
    await page.goto(`${base}/help/en/articles/returns-and-refunds`);
    await expect.poll(() => time.textContent()).toBe('July 16, 2026');
    expect((await ctx.cookies()).find((c) => c.name === 'careline_tz')?.value).toBe('Asia%2FTokyo');
    // The next page comes from the server already in that zone (nothing left for the script).
    const res = await page.reload();
    expect(await res!.text()).toContain(`<time datetime="${UPDATED}">July 16, 2026</time>`);
    await ctx.close();
  });

  it('without JavaScript the time reads in UTC', async () => {
    const ctx = await browser.newContext({ timezoneId: 'Asia/Tokyo', locale: 'en-US', javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(`${base}/help/en/articles/returns-and-refunds`);
    expect(await page.locator(`time[datetime="${UPDATED}"]`).textContent()).toBe('July 15, 2026');
    expect(await ctx.cookies()).toEqual([]);
    await ctx.close();
  });
});
