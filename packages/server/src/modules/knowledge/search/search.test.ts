import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Language } from '@careline/shared';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';
import { systemCtx } from '../../../platform/context.ts';
import { seedKnowledgeDemo } from '../seed-demo.ts';
import { createArticle, putTranslation, setTranslationStatus, updateArticle } from '../articles.ts';
import { searchArticles } from './search.ts';

// One suite for both engines: runs on SQLite, and on PostgreSQL when DATABASE_URL is set.
let t: TestApp;
const search = (q: string, languages: Language[] | null, o: { includeInternal?: boolean; mode?: 'search' | 'suggest'; status?: string | null } = {}) =>
  searchArticles(t.deps.db.kysely, t.deps.db.engine, { q, languages, includeInternal: o.includeInternal ?? false, limit: 10, mode: o.mode ?? 'search', status: o.status });
const titles = async (q: string, languages: Language[] | null, o: Parameters<typeof search>[2] = {}) => (await search(q, languages, o)).hits.map((h) => h.title);

beforeAll(async () => {
  t = await createTestApp();
  const ctx = systemCtx(t.deps);
  await t.deps.db.transaction((w) => seedKnowledgeDemo(w, ctx));
  // Extra articles that compete for the same words, so ranking is tested, not just matching.
  await createArticle(ctx, { categoryId: null, isInternal: false, tags: [], position: 9, defaultLanguage: 'en', translation: {
    language: 'en', status: 'published', title: 'Gift cards', bodyHtml: '<p>Gift cards cannot be exchanged for cash. A return of goods bought with a gift card is refunded to a new gift card.</p>' } });
  await createArticle(ctx, { categoryId: null, isInternal: false, tags: [], position: 9, defaultLanguage: 'vi', translation: {
    language: 'vi', status: 'published', title: 'Thẻ quà tặng', bodyHtml: '<p>Thẻ quà tặng không thể quy đổi thành tiền mặt. Đơn hàng mua bằng thẻ quà tặng khi đổi trả sẽ được hoàn vào thẻ mới.</p>' } });
  await createArticle(ctx, { categoryId: null, isInternal: false, tags: [], position: 9, defaultLanguage: 'pl', translation: {
    language: 'pl', status: 'draft', title: 'Szkic: gwarancja rozszerzona', bodyHtml: '<p>Gwarancja rozszerzona do 5 lat (wersja robocza).</p>' } });
});
afterAll(() => t?.close());

describe('knowledge search (same suite on SQLite and PostgreSQL)', () => {
  it('finds Vietnamese text when typed without diacritics, and with them', async () => {
    expect((await titles('chat luong', ['vi']))[0]).toBe('Cam kết chất lượng và cách bảo quản sản phẩm');
    expect((await titles('chất lượng', ['vi']))[0]).toBe('Cam kết chất lượng và cách bảo quản sản phẩm');
    expect((await titles('CHẤT LƯỢNG', ['vi']))[0]).toBe('Cam kết chất lượng và cách bảo quản sản phẩm');
  });

  it('folds đ to d: "doi tra" finds "đổi trả", title matches ranked first', async () => {
    const r = await titles('doi tra', ['vi']);
    expect(r[0]).toBe('Chính sách đổi trả và hoàn tiền');
    expect(r).toContain('Thẻ quà tặng');
    expect(await titles('đổi trả', ['vi'])).toEqual(r);
    expect((await titles('bao hanh', ['vi']))[0]).toBe('Bảo hành: phạm vi và cách yêu cầu bảo hành');
  });

  it('Polish inflection: "zwrot" finds zwroty/zwrotu, "gwarancja" finds "gwarancji", ł folds to l', async () => {
    expect((await titles('zwrot', ['pl']))[0]).toBe('Zwroty i zwrot pieniędzy');
    expect(await titles('zwroty', ['pl'])).toContain('Zwroty i zwrot pieniędzy');
    const g = await titles('gwarancja', ['pl']);
    expect(g[0]).toBe('Gwarancja: co obejmuje i jak zgłosić reklamację');
    expect(await titles('gwarancji', ['pl'])).toContain('Gwarancja: co obejmuje i jak zgłosić reklamację');
    expect(await titles('zglosic reklamacje', ['pl'])).toEqual(['Gwarancja: co obejmuje i jak zgłosić reklamację']);
    // "ł": płatności → platnosci; "opłaconą" → "oplacona"
    expect(await titles('oplacona etykieta', ['pl'])).toEqual(['Zwroty i zwrot pieniędzy']);
    expect(await titles('pieniedzy', ['pl'])).toContain('Zwroty i zwrot pieniędzy');
  });

  it('English stemming: plural, -ing and -ed forms find each other, case-insensitively', async () => {
    expect((await titles('refunds', ['en']))[0]).toBe('Returns and refunds');
    expect((await titles('RETURNING items', ['en']))[0]).toBe('Returns and refunds');
    expect((await titles('claiming warranties', ['en']))[0]).toBe('Warranty: what is covered and how to claim');
    expect((await titles('shipped', ['en']))[0]).toBe('Shipping times and costs');
  });

  it('weights the title above the body', async () => {
    // "return" is in the body of "Gift cards" and in the title of "Returns and refunds".
    const r = await titles('return', ['en']);
    expect(r[0]).toBe('Returns and refunds');
    expect(r).toContain('Gift cards');
    const vi = await titles('quà tặng', ['vi']);
    expect(vi[0]).toBe('Thẻ quà tặng');
  });

  it('returns highlighted snippets in the original spelling, escaped', async () => {
    const [hit] = (await search('chat luong', ['vi'])).hits;
    expect(hit!.snippet).toContain('<mark>chất</mark> <mark>lượng</mark>');
    const [pl] = (await search('zwrotu', ['pl'])).hits;
    expect(pl!.snippet).toMatch(/<mark>zwrot[a-zęąó]*<\/mark>/i);
    expect(pl!.titleHtml).toContain('<mark>Zwroty</mark>');
    expect(hit!.snippet).not.toMatch(/<(?!\/?mark>)/);
  });

  it('tolerates typos in short queries by trigram similarity', async () => {
    const r = await search('warrenty', ['en']);
    expect(r.hits[0]?.title).toBe('Warranty: what is covered and how to claim');
    expect(r.corrected).toBeTruthy();
    expect((await titles('gwarancija', ['pl']))[0]).toBe('Gwarancja: co obejmuje i jak zgłosić reklamację');
    expect((await titles('shiping', ['en']))[0]).toBe('Shipping times and costs');
    expect((await search('xyzzyq', ['en'])).hits).toEqual([]);
  });

  it('hides drafts and internal articles from public search; agents find internal ones', async () => {
    expect(await titles('rozszerzona', ['pl'])).toEqual([]);
    expect(await titles('rozszerzona', ['pl'], { status: null, includeInternal: true })).toEqual(['Szkic: gwarancja rozszerzona']);
    expect(await titles('handling warranty claim', ['en'])).not.toContain('Handling a warranty claim (agents)');
    expect((await titles('handling warranty claim', ['en'], { includeInternal: true }))[0]).toBe('Handling a warranty claim (agents)');
  });

  it('falls back to the default language and keeps one version per article', async () => {
    const r = await search('tracking order', ['vi', 'en']);
    expect(r.hits.map((h) => [h.title, h.language])).toEqual([['Tracking your order', 'en']]);
    const both = await search('warranty bảo hành', ['vi', 'en'], { mode: 'suggest' });
    const ids = both.hits.map((h) => h.articleId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(both.hits[0]!.language).toBe('vi');
  });

  it('suggests articles for free text (any word, stop words ignored)', async () => {
    const en = await titles('Hi, the lamp I bought arrived with cracked glass, can I get a replacement under warranty?', ['en'], { mode: 'suggest' });
    expect(en[0]).toBe('Warranty: what is covered and how to claim');
    const vi = await titles('Tôi muốn đổi trả đơn hàng vì sản phẩm bị lỗi', ['vi'], { mode: 'suggest' });
    expect(vi[0]).toBe('Chính sách đổi trả và hoàn tiền');
    const pl = await titles('Chcę zwrócić lampę, ile trwa zwrot pieniędzy?', ['pl'], { mode: 'suggest' });
    expect(pl[0]).toBe('Zwroty i zwrot pieniędzy');
  });

  it('keeps the index in step with edits, status changes, tags and visibility', async () => {
    const ctx = systemCtx(t.deps);
    const a = await createArticle(ctx, { categoryId: null, isInternal: false, tags: [], position: 0, defaultLanguage: 'en', translation: {
      language: 'en', status: 'draft', title: 'Assembling the Oslo bookshelf', bodyHtml: '<p>You need a screwdriver.</p>' } });
    expect(await titles('oslo', ['en'])).toEqual([]);
    await setTranslationStatus(ctx, a.id, 'en', 'published');
    expect(await titles('oslo', ['en'])).toEqual(['Assembling the Oslo bookshelf']);
    await putTranslation(ctx, a.id, 'en', { title: 'Assembling the Bergen bookshelf' });
    expect(await titles('oslo', ['en'])).toEqual([]);
    expect(await titles('bergen', ['en'])).toEqual(['Assembling the Bergen bookshelf']);
    await updateArticle(ctx, a.id, { tags: ['furniture'] });
    expect(await titles('furniture', ['en'])).toContain('Assembling the Bergen bookshelf');
    await updateArticle(ctx, a.id, { isInternal: true });
    expect(await titles('bergen', ['en'])).toEqual([]);
    // The vocabulary forgets words no longer used, so typo correction does not point at them.
    expect((await search('osloo', ['en'], { includeInternal: true })).hits).toEqual([]);
  });
});

describe('broad queries (words in most articles) rank a bounded candidate set', () => {
  it('gives the same best results as ranking every match when the candidates cover them', async () => {
    const { searchEngine } = await import('./search.ts');
    const { parseQuery } = await import('./text.ts');
    const e = searchEngine(t.deps.db.engine);
    for (const [q, langs, mode] of [['return', ['en'], 'all'], ['doi tra', ['vi', 'en'], 'all'], ['gwarancja zwrot dostawa', ['pl'], 'any']] as const) {
      const terms = parseQuery(q, [...langs]);
      const filter = { languages: [...langs], status: 'published', includeInternal: false };
      const full = await e.query(t.deps.db.kysely, terms, filter, { mode, limit: 5 });
      const bounded = await e.query(t.deps.db.kysely, terms, filter, { mode, limit: 5, broad: true });
      // An estimate far above the real count makes PostgreSQL read the index in many small windows of doc ids.
      const maxDocId = Number((await t.deps.db.kysely.selectFrom('kb_translations').select((eb) => eb.fn.max('doc_id').as('m')).executeTakeFirstOrThrow()).m);
      const windowed = await e.query(t.deps.db.kysely, terms, filter, { mode, limit: 5, broad: true, estimate: 1_000_000, maxDocId });
      expect(full.length).toBeGreaterThan(0);
      expect(bounded.map((h) => h.docId)).toEqual(full.map((h) => h.docId));
      expect(windowed).toEqual(full);
      // Counts saying that every word but the first is common: with all words needed, PostgreSQL tests those
      // words row by row (same results); with any word, it matches by the rare word only (ranking by all).
      // SQLite plans without counts.
      const checked = await e.query(t.deps.db.kysely, terms, filter, { mode, limit: 5, dfs: terms.map((_, i) => (i === 0 ? 1 : 100_000)) });
      if (mode === 'all' || t.deps.db.engine !== 'postgres') expect(checked).toEqual(full);
      else {
        const withRare = new Set((await e.query(t.deps.db.kysely, terms.slice(0, 1), filter, { mode, limit: 50 })).map((h) => h.docId));
        expect(checked.length).toBeGreaterThan(0);
        for (const h of checked) expect(withRare.has(h.docId)).toBe(true);
      }
    }
  });
});
