import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { apiCaller, makeFactories } from '../../testing/factories.ts';

let t: TestApp;
let f: ReturnType<typeof makeFactories>;
let admin: { cookie: string };
let agent: { cookie: string };
let agentId: string;

beforeAll(async () => {
  t = await createTestApp();
  f = makeFactories(t);
  admin = await f.session(await f.user({ role: 'admin' }));
  const a = await f.user({ role: 'agent' });
  agentId = a.id;
  agent = await f.session(a);
});
afterAll(() => t?.close());

const api = (...a: Parameters<ReturnType<typeof apiCaller>>) => apiCaller(t)(...a);

describe('knowledge API', () => {
  it('creates categories and sections; only supervisors and admins may', async () => {
    expect((await api(agent, 'POST', '/knowledge/categories', { slug: 'x', names: { en: 'X' } })).statusCode).toBe(403);
    const cat = await api(admin, 'POST', '/knowledge/categories', { slug: 'returns', names: { en: 'Returns', vi: 'Đổi trả', pl: 'Zwroty' } });
    expect(cat.statusCode).toBe(201);
    const section = await api(admin, 'POST', '/knowledge/categories', { slug: 'refunds', parentId: cat.json().id, names: { en: 'Refunds' } });
    expect(section.json()).toMatchObject({ parentId: cat.json().id, slug: 'refunds' });
    expect((await api(admin, 'POST', '/knowledge/categories', { slug: 'deeper', parentId: section.json().id, names: { en: 'No' } })).statusCode).toBe(400);
    expect((await api(admin, 'POST', '/knowledge/categories', { slug: 'returns', names: { en: 'Dup' } })).statusCode).toBe(409);
    const list = await api(agent, 'GET', '/knowledge/categories');
    expect(list.json().map((c: { slug: string }) => c.slug)).toEqual(expect.arrayContaining(['returns', 'refunds']));
  });

  it('writes an article with translations, sanitises the body, keeps revisions and restores one', async () => {
    const created = await api(agent, 'POST', '/knowledge/articles', {
      tags: ['Returns'], translation: { language: 'en', title: 'How to return an item', bodyHtml: '<p onclick="x()">Hello <script>alert(1)</script><a href="javascript:alert(1)">x</a></p>' },
    });
    expect(created.statusCode).toBe(201);
    const a = created.json();
    expect(a).toMatchObject({ isInternal: false, tags: ['returns'], authorId: agentId, defaultLanguage: 'en' });
    expect(a.translations[0]).toMatchObject({ language: 'en', slug: 'how-to-return-an-item', status: 'draft', version: 1 });
    expect(a.translations[0].bodyHtml).toBe('<p>Hello <a>x</a></p>');

    const vi = await api(agent, 'PUT', `/knowledge/articles/${a.id}/translations/vi`, { title: 'Cách đổi trả sản phẩm', bodyHtml: '<p>Đổi trả trong 30 ngày.</p>', status: 'published' });
    expect(vi.statusCode).toBe(200);
    expect(vi.json().translations.find((x: { language: string }) => x.language === 'vi')).toMatchObject({ slug: 'cach-doi-tra-san-pham', status: 'published', url: expect.stringContaining('/help/vi/articles/cach-doi-tra-san-pham') });

    await api(agent, 'PUT', `/knowledge/articles/${a.id}/translations/en`, { bodyHtml: '<p>Version two.</p>', note: 'shorter' });
    const published = await api(agent, 'POST', `/knowledge/articles/${a.id}/translations/en/status`, { status: 'published' });
    expect(published.json().translations.find((x: { language: string }) => x.language === 'en')).toMatchObject({ status: 'published', version: 3 });

    const revisions = (await api(agent, 'GET', `/knowledge/articles/${a.id}/revisions?lang=en`)).json();
    expect(revisions.map((r: { version: number; action: string }) => [r.version, r.action])).toEqual([[3, 'status'], [2, 'updated'], [1, 'created']]);
    expect(revisions[1]).toMatchObject({ note: 'shorter', authorId: agentId });

    const restored = await api(agent, 'POST', `/knowledge/articles/${a.id}/revisions/${revisions[2].id}/restore`);
    const en = restored.json().translations.find((x: { language: string }) => x.language === 'en');
    expect(en).toMatchObject({ version: 4, bodyHtml: '<p>Hello <a>x</a></p>', status: 'published' });
    expect((await api(agent, 'GET', `/knowledge/articles/${a.id}/revisions?lang=en`)).json()[0]).toMatchObject({ action: 'restored', note: 'restored version 1' });

    // Slugs are unique per language; an explicit duplicate is a conflict.
    const again = await api(agent, 'POST', '/knowledge/articles', { translation: { language: 'en', title: 'How to return an item', bodyHtml: '<p>b</p>' } });
    expect(again.json().translations[0].slug).toBe('how-to-return-an-item-2');
    expect((await api(agent, 'PUT', `/knowledge/articles/${again.json().id}/translations/en`, { slug: 'how-to-return-an-item' })).statusCode).toBe(409);
  });

  it('lists with filters and searches; agents see internal articles, the public never does', async () => {
    const internal = (await api(agent, 'POST', '/knowledge/articles', { isInternal: true, translation: { language: 'en', title: 'Refund approval limits', bodyHtml: '<p>Agents approve refunds up to 100 €.</p>', status: 'published' } })).json();
    const list = await api(agent, 'GET', '/knowledge/articles?isInternal=true');
    expect(list.json().items.map((i: { id: string }) => i.id)).toEqual([internal.id]);
    expect(internal.translations[0].url).toBeNull();

    const search = (await api(agent, 'GET', '/knowledge/search?q=refund%20approval&lang=en')).json();
    expect(search.items[0]).toMatchObject({ articleId: internal.id, isInternal: true, url: null });
    expect(search.items[0].snippet).toContain('<mark>refunds</mark>');

    const composer = (await api(agent, 'GET', '/knowledge/suggestions?q=customer%20wants%20a%20refund%20approval&lang=en')).json();
    expect(composer.items[0]).toMatchObject({ id: internal.id, isInternal: true });

    const pub = (await api(null, 'GET', '/api/public/knowledge/suggest?q=refund%20approval&lang=en')).json();
    expect(pub.items.map((i: { id: string }) => i.id)).not.toContain(internal.id);
    expect((await api(null, 'GET', '/knowledge/search?q=refund')).statusCode).toBe(401);
  });

  it('public suggest returns exactly {items:[{id,title,url,snippet}]} with absolute help-center URLs', async () => {
    await api(agent, 'POST', '/knowledge/articles', { translation: { language: 'pl', title: 'Gwarancja na lampy', bodyHtml: '<p>Lampy mają 3 lata gwarancji.</p>', status: 'published' } });
    const res = await api(null, 'GET', '/api/public/knowledge/suggest?q=gwarancji%20lampy&lang=pl');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body)).toEqual(['items']);
    expect(Object.keys(body.items[0]).sort()).toEqual(['id', 'snippet', 'title', 'url']);
    expect(body.items[0]).toMatchObject({ title: 'Gwarancja na lampy', url: `${t.deps.config.publicUrl}/help/pl/articles/gwarancja-na-lampy` });
    expect((await api(null, 'GET', '/api/public/knowledge/suggest?q=&lang=pl')).json()).toEqual({ items: [] });
    expect((await api(null, 'GET', '/api/public/knowledge/suggest?q=x&lang=de')).statusCode).toBe(400);
  });

  it('rate-limits the public suggestion endpoint per client', async () => {
    const headers = { 'x-forwarded-for': '203.0.113.9' };
    let last = 0;
    for (let i = 0; i < 125 && last !== 429; i++) last = (await t.app.inject({ method: 'GET', url: '/api/public/knowledge/suggest?q=lamp&lang=en', remoteAddress: '203.0.113.9', headers })).statusCode;
    expect(last).toBe(429);
  });

  it('reports views, votes, searches without results and deflected contacts per week', async () => {
    const a = (await api(agent, 'POST', '/knowledge/articles', { translation: { language: 'en', title: 'Assembly instructions', bodyHtml: '<p>Use the hex key.</p>', status: 'published' } })).json();
    const slug = a.translations[0].slug;
    await t.app.inject({ method: 'GET', url: `/help/en/articles/${slug}` });
    await t.app.inject({ method: 'POST', url: `/help/en/articles/${slug}/feedback`, payload: 'helpful=no&comment=Missing+a+picture', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    await t.app.inject({ method: 'GET', url: '/help/en/search?q=zzqqxx' });
    const shown = (await api(null, 'POST', '/api/public/knowledge/deflection', { event: 'shown', lang: 'en', source: 'widget', articleIds: [a.id], query: 'hex key' })).json();
    await api(null, 'POST', '/api/public/knowledge/deflection', { sessionId: shown.sessionId, event: 'solved', lang: 'en', source: 'widget', articleIds: [a.id] });
    const other = (await api(null, 'POST', '/api/public/knowledge/deflection', { event: 'shown', lang: 'en', source: 'widget', articleIds: [a.id] })).json();
    await api(null, 'POST', '/api/public/knowledge/deflection', { sessionId: other.sessionId, event: 'submitted', lang: 'en', source: 'widget' });

    expect((await api(agent, 'GET', '/knowledge/reports/deflection')).statusCode).toBe(403);
    const report = (await api(admin, 'GET', '/knowledge/reports/deflection?lang=en')).json();
    const week = report.weeks[report.weeks.length - 1];
    expect(week).toMatchObject({ suggestionSessions: 2, contactsSubmitted: 1, contactsDeflected: 1, solvedClicks: 1 });
    expect(week.views).toBeGreaterThanOrEqual(1);
    expect(week.helpfulNo).toBe(1);
    expect(week.searchesWithoutResults).toBeGreaterThanOrEqual(1);
    expect(report.topSearchesWithoutResults.map((g: { query: string }) => g.query)).toContain('zzqqxx');
    expect(report.articles.find((r: { articleId: string }) => r.articleId === a.id)).toMatchObject({ language: 'en', views: 1, helpfulNo: 1, suggested: 2, deflected: 1 });
    expect(report.feedback[0]).toMatchObject({ articleId: a.id, isHelpful: false, comment: 'Missing a picture' });
  });

  it('is documented in OpenAPI', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    for (const p of ['/api/v1/knowledge/articles', '/api/v1/knowledge/articles/{id}/translations/{lang}', '/api/v1/knowledge/suggestions', '/api/public/knowledge/suggest', '/api/v1/knowledge/reports/deflection']) {
      expect(doc.paths[p], p).toBeDefined();
    }
  });
});
