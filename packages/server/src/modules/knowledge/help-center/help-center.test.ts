import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';
import { makeFactories } from '../../../testing/factories.ts';
import { systemCtx } from '../../../platform/context.ts';
import { seedKnowledgeDemo } from '../seed-demo.ts';

let t: TestApp;
const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

beforeAll(async () => {
  t = await createTestApp();
  const f = makeFactories(t);
  const form = await f.inbox({ channel: 'webform', name: 'Contact form', settings: { color: '#0a7d5a' } });
  await t.deps.db.transaction((w) => seedKnowledgeDemo(w, systemCtx(t.deps), { webformInboxId: form.id }));
});
afterAll(() => t?.close());

describe('help center (server-rendered, no JavaScript needed)', () => {
  it('redirects /help to the browser language', async () => {
    const r = await get('/help', { 'accept-language': 'pl-PL,pl;q=0.9,en;q=0.5' });
    expect(r.statusCode).toBe(302);
    expect(r.headers.location).toBe('/help/pl');
    expect((await get('/help', { 'accept-language': 'de' })).headers.location).toBe('/help/en');
  });

  it('home: lang, canonical, hreflang, search form, categories, branding and the contact link', async () => {
    const r = await get('/help/vi');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/html');
    const h = r.body;
    expect(h).toContain('<html lang="vi">');
    expect(h).toContain(`<link rel="canonical" href="${t.deps.config.publicUrl}/help/vi">`);
    for (const l of ['en', 'vi', 'pl']) expect(h).toContain(`<link rel="alternate" hreflang="${l}" href="${t.deps.config.publicUrl}/help/${l}">`);
    expect(h).toContain('action="/help/vi/search"');
    expect(h).toContain('Đổi trả &amp; bảo hành');
    expect(h).toContain('--brand: #0a7d5a');
    expect(h).toMatch(/href="\/contact\/[^"?]+\?lang=vi"/);
    expect(h).toContain('<title>Trung tâm trợ giúp Lumen Home</title>');
    expect(h).not.toContain('<script');
  });

  it('article page with translations as hreflang alternates and a helpfulness form', async () => {
    const r = await get('/help/pl/articles/zwroty-i-zwrot-pieniedzy');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('<html lang="pl">');
    expect(r.body).toContain('<h1>Zwroty i zwrot pieniędzy</h1>');
    expect(r.body).toContain(`<link rel="canonical" href="${t.deps.config.publicUrl}/help/pl/articles/zwroty-i-zwrot-pieniedzy">`);
    expect(r.body).toContain(`hreflang="vi" href="${t.deps.config.publicUrl}/help/vi/articles/chinh-sach-doi-tra-va-hoan-tien"`);
    expect(r.body).toContain(`hreflang="en" href="${t.deps.config.publicUrl}/help/en/articles/returns-and-refunds"`);
    expect(r.body).toContain('Czy ten artykuł był pomocny?');
    expect(r.body).toContain('action="/help/pl/articles/zwroty-i-zwrot-pieniedzy/feedback"');
    expect(r.body).toContain('Powiązane artykuły');
  });

  it('sends a reader to the translation in their language, and falls back with a notice when there is none', async () => {
    const moved = await get('/help/vi/articles/returns-and-refunds');
    expect(moved.statusCode).toBe(301);
    expect(moved.headers.location).toBe('/help/vi/articles/chinh-sach-doi-tra-va-hoan-tien');
    const fallback = await get('/help/vi/articles/tracking-your-order');
    expect(fallback.statusCode).toBe(200);
    expect(fallback.body).toContain('<html lang="vi">');
    expect(fallback.body).toContain('Bài viết này chưa có bản Tiếng Việt. Bạn đang đọc bản English.');
    expect(fallback.body).toContain('<article class="article" lang="en">');
    expect(fallback.body).toContain(`<link rel="canonical" href="${t.deps.config.publicUrl}/help/en/articles/tracking-your-order">`);
  });

  it('search finds articles without diacritics, highlights them, and records searches without results', async () => {
    const r = await get('/help/vi/search?q=doi%20tra');
    expect(r.body).toContain('<mark>đổi</mark> <mark>trả</mark>');
    expect(r.body).toContain('href="/help/vi/articles/chinh-sach-doi-tra-va-hoan-tien"');
    const none = await get('/help/pl/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    expect(none.body).toContain('Żaden artykuł nie pasuje do wyszukiwania.');
    expect(none.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(none.body).not.toContain('<script>alert(1)');
    const rows = await t.deps.db.kysely.selectFrom('kb_searches').selectAll().where('result_count', '=', 0).execute();
    expect(rows.map((x) => x.query)).toContain('<script>alert(1)</script>');
  });

  it('category pages list their articles; unknown pages are 404 in the right language', async () => {
    const r = await get('/help/en/categories/returns-warranty');
    expect(r.body).toContain('Returns and refunds');
    expect(r.body).toContain('Warranty: what is covered and how to claim');
    expect(r.body).not.toContain('Handling a warranty claim (agents)');
    const missing = await get('/help/pl/articles/nie-ma-takiego');
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('Nie znaleziono strony');
    expect((await get('/help/en/articles/handling-a-warranty-claim-agents')).statusCode).toBe(404);
  });

  it('records helpful votes with comments', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/help/en/articles/returns-and-refunds/feedback', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'helpful=yes&comment=Clear%20and%20short' });
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe('/help/en/articles/returns-and-refunds?feedback=thanks#feedback');
    expect((await get('/help/en/articles/returns-and-refunds?feedback=thanks')).body).toContain('Thank you for your feedback!');
    const votes = await t.deps.db.kysely.selectFrom('kb_events').selectAll().where('kind', '=', 'helpful_yes').execute();
    expect(votes).toHaveLength(1);
    expect(votes[0]).toMatchObject({ comment: 'Clear and short', language: 'en' });
  });

  it('sitemap.xml lists every public translation with its alternates', async () => {
    const r = await get('/help/sitemap.xml');
    expect(r.headers['content-type']).toContain('application/xml');
    expect(r.body).toContain(`<loc>${t.deps.config.publicUrl}/help/vi/articles/chinh-sach-doi-tra-va-hoan-tien</loc>`);
    expect(r.body).toContain(`<xhtml:link rel="alternate" hreflang="pl" href="${t.deps.config.publicUrl}/help/pl/articles/zwroty-i-zwrot-pieniedzy"/>`);
    expect(r.body).not.toContain('handling-a-warranty-claim');
  });

  it('shows the "updated" date in the reader\'s time zone (cookie), else in UTC with tz.js to convert it', async () => {
    await t.deps.db.transaction(({ tx }) => tx.updateTable('kb_translations').set({ updated_at: '2026-07-15T22:30:00.000Z' })
      .where('language', '=', 'en').where('slug', '=', 'returns-and-refunds').execute());
    const updated = (body: string) => /<time[^>]*datetime="2026-07-15T22:30:00.000Z"[^>]*>([^<]*)<\/time>/.exec(body)?.[0] ?? '';
    const plain = await get('/help/en/articles/returns-and-refunds');
    expect(updated(plain.body)).toBe('<time datetime="2026-07-15T22:30:00.000Z" data-local="{&quot;year&quot;:&quot;numeric&quot;,&quot;month&quot;:&quot;long&quot;,&quot;day&quot;:&quot;numeric&quot;}">July 15, 2026</time>');
    expect(plain.body).toContain('<script src="/help/assets/tz.js" defer></script>');
    const hanoi = await get('/help/en/articles/returns-and-refunds', { cookie: 'careline_tz=Asia%2FHo_Chi_Minh' });
    expect(updated(hanoi.body)).toBe('<time datetime="2026-07-15T22:30:00.000Z">July 16, 2026</time>');
    expect(updated((await get('/help/en/articles/returns-and-refunds', { cookie: 'careline_tz=%3Cscript%3E' })).body)).toContain('July 15, 2026');
    const script = await get('/help/assets/tz.js');
    expect(script.headers['content-type']).toContain('text/javascript');
    expect(script.body).toContain('resolvedOptions().timeZone');
  });

  it('serves its stylesheet', async () => {
    const r = await get('/help/assets/help.css');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/css');
  });
});
