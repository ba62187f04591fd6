// Agent web app: first-screen bundle size (gzip) and inbox timings at 10k+ conversations in Chromium.
// Run: npx node bench/web-inbox.ts [conversations=12000]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import { createTestApp } from '../packages/server/src/testing/test-app.ts';
import { makeFactories } from '../packages/server/src/testing/factories.ts';
import { newId } from '../packages/server/src/platform/ids.ts';
import { toJson } from '../packages/server/src/db/dialect.ts';
import { CHROMIUM, WEB_DIR, ensureWebBuilt } from '../packages/e2e/web/build-web.ts';

const N = Number(process.argv[2] ?? 12_000);
const gz = (file: string) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// 1. Bundle: the entry script, its static imports (modulepreload) and CSS are the first screen; admin and
//    settings pages are lazy chunks.
ensureWebBuilt();
const dist = path.join(WEB_DIR, 'dist');
const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
const firstJs = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
const firstCss = [...html.matchAll(/href="(\/assets\/[^"]+\.css)"/g)].map((m) => m[1]!);
const allJs = fs.readdirSync(path.join(dist, 'assets')).filter((f) => f.endsWith('.js')).map((f) => `/assets/${f}`);
const firstJsGz = firstJs.reduce((s, f) => s + gz(path.join(dist, f)), 0);
const lazyJsGz = allJs.filter((f) => !firstJs.includes(f)).reduce((s, f) => s + gz(path.join(dist, f)), 0);
console.log(`bundle: first-screen JS ${kb(firstJsGz)} gzip (${firstJs.length} file${firstJs.length > 1 ? 's' : ''}), CSS ${kb(firstCss.reduce((s, f) => s + gz(path.join(dist, f)), 0))} gzip, lazy chunks ${kb(lazyJsGz)} gzip — budget 250 KB`);

// 2. Data: N conversations in one inbox, written in bulk.
const t = await createTestApp();
const f = makeFactories(t);
const inbox = await f.inbox({ name: 'Support email', channel: 'email' });
const admin = await f.user({ role: 'admin', name: 'Bench Admin' });
const started = Date.now();
const now = Date.now();
for (let i = 0; i < N; i += 500) {
  await t.deps.db.transaction(async ({ tx }) => {
    const contacts = []; const identities = []; const conversations = [];
    for (let j = i; j < Math.min(N, i + 500); j++) {
      const at = new Date(now - j * 60_000).toISOString();
      const contactId = newId();
      contacts.push({ id: contactId, name: `Customer ${j}`, language: null, time_zone: null, birthday: null, is_internal: false, custom_attributes: '{}', organization_id: null, created_at: at, updated_at: at });
      identities.push({ id: newId(), contact_id: contactId, kind: 'email', value: `customer${j}@example.com`, created_at: at });
      conversations.push({
        id: newId(), number: 10_000 + j, inbox_id: inbox.id, contact_id: contactId, status: j % 5 === 0 ? 'resolved' : 'open', custom_status_id: null,
        priority: ['low', 'normal', 'normal', 'high', 'urgent'][j % 5]!, assignee_id: j % 3 === 0 ? admin.id : null, team_id: null,
        subject: `Order question ${j}`, custom_attributes: toJson({}), snoozed_until: null, first_response_at: null, resolved_at: null,
        last_activity_at: at, last_incoming_at: at, merged_into_id: null, last_message_preview: `Hello, this is message ${j} about my order`, created_at: at, updated_at: at,
      });
    }
    await tx.insertInto('contacts').values(contacts).execute();
    await tx.insertInto('contact_identities').values(identities).execute();
    await tx.insertInto('conversations').values(conversations).execute();
  });
}
console.log(`data: ${N} conversations written in ${((Date.now() - started) / 1000).toFixed(1)} s (${t.deps.db.engine})`);

// 3. API timings (in-process inject, no network): the list's first page, row details and counts.
const { cookie } = await f.session(admin);
const time = async (url: string, runs = 30) => {
  const xs: number[] = [];
  let ids = '';
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    const res = await t.app.inject({ method: 'GET', url, headers: { cookie } });
    xs.push(performance.now() - s);
    if (!ids && url.startsWith('/api/v1/conversations?')) ids = res.json().items.map((c: { id: string }) => c.id).join(',');
  }
  return { ms: median(xs), ids };
};
const list = await time('/api/v1/conversations?status=open&limit=50');
const mine = await time('/api/v1/conversations?status=open&assignee=me&limit=50');
const details = await time(`/api/v1/conversations/row-details?ids=${list.ids}`);
const counts = await time('/api/v1/conversations/counts', 10);
const search = await time('/api/v1/conversations?q=message%20777&limit=50', 10);
console.log(`api (median): list first page ${list.ms.toFixed(1)} ms, mine ${mine.ms.toFixed(1)} ms, row details ${details.ms.toFixed(1)} ms, view counts ${counts.ms.toFixed(1)} ms, text search ${search.ms.toFixed(1)} ms`);

// 4. Browser: from the list response arriving to the rows committed (performance marks in the app), and
//    from navigation to the first row visible; then scroll 20 pages deep and count DOM rows (virtualised).
await t.app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
const browser = await chromium.launch(CHROMIUM);
const context = await browser.newContext({ baseURL: base, viewport: { width: 1440, height: 900 } });
await context.addCookies([{ name: cookie.split('=')[0]!, value: cookie.split('=').slice(1).join('='), url: base }]);
const page = await context.newPage();
const render: number[] = []; const visible: number[] = [];
for (let i = 0; i < 7; i++) {
  await page.goto('/inbox/all');
  await page.locator('[role="listbox"] [role="option"]').first().waitFor();
  // (browser code reaches DOM globals through globalThis: the bench is typechecked without the DOM library)
  const m = await page.evaluate(() => new Promise<{ render: number; visible: number }>((resolve) => (globalThis as any).requestAnimationFrame(() => {
    const e = performance.getEntriesByName('inbox:first-page')[0];
    resolve({ render: e ? e.duration : NaN, visible: performance.now() });
  })));
  if (i > 0) { render.push(m.render); visible.push(m.visible); } // the first load warms the cache
}
console.log(`browser (median of 6): first page (50 rows) rendered ${median(render).toFixed(1)} ms after its data arrived; first row visible ${median(visible).toFixed(0)} ms after navigation (includes JS load, session, directory and list requests)`);
for (let i = 0; i < 20; i++) {
  await page.locator('.list-scroll').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await page.waitForTimeout(120);
}
const loaded = await page.evaluate(() => (globalThis as any).document.querySelector('.list-inner').offsetHeight / 84);
const inDom = await page.locator('[role="listbox"] [role="option"]').count();
    const perKey = await page.evaluate(async () => {
  const xs: number[] = [];
  for (let i = 0; i < 30; i++) {
    const s = performance.now();
    const w = globalThis as any;
    w.dispatchEvent(new w.KeyboardEvent('keydown', { key: 'j' }));
    await new Promise((r) => w.requestAnimationFrame(() => setTimeout(r, 0)));
    xs.push(performance.now() - s);
  }
  return xs.sort((a, b) => a - b)[15]!;
});
console.log(`virtualised list: ${Math.round(loaded)} rows loaded, ${inDom} rows in the DOM; j (move cursor) to next frame ${perKey.toFixed(1)} ms median`);
await browser.close();
await t.close();
