import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { createTestApp, type TestApp } from '../../server/src/testing/test-app.ts';
import { makeFactories } from '../../server/src/testing/factories.ts';
import { CHROMIUM, SCREENSHOTS, ensureWebBuilt, hasChromium } from '../web/build-web.ts';
import { signIn as signInAs, tr, type Lang } from '../web/agent-app-helpers.ts';

// The knowledge-base pages of the agent app in a real browser against the real server: an admin organises
// categories, writes an article in English, adds the Vietnamese translation, publishes both (the server-rendered
// help center shows them), edits and restores the first revision; an agent reads but gets no controls the API refuses.
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

let t: TestApp;
let base: string;
let browser: Browser;
let admin: { email: string; password: string };
let agent: { email: string; password: string };

beforeAll(async () => {
  if (!hasChromium) return;
  ensureWebBuilt();
  t = await createTestApp();
  const f = makeFactories(t);
  admin = await f.user({ role: 'admin', name: 'Ada Admin' });
  agent = await f.user({ role: 'agent', name: 'Linh Nguyễn' });
  await t.deps.db.kysely.updateTable('users').set({ language: 'vi', time_zone: 'Asia/Ho_Chi_Minh' }).where('email', '=', agent.email).execute();
  // An internal article, written over the API: agents must see it in their list.
  const headers = await f.session(admin);
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/knowledge/articles', headers, payload: {
    isInternal: true, tags: ['escalation'], translation: { language: 'en', title: 'Escalating a damaged delivery', bodyHtml: '<p>Call the carrier first.</p>', status: 'published' },
  } });
  expect(res.statusCode).toBe(201);
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await chromium.launch(CHROMIUM);
}, 120_000);
afterAll(async () => { await browser?.close(); await t?.close(); });

const signIn = async (login: { email: string; password: string }, lang: Lang) => {
  const vietnamese = lang === 'vi';
  const r = await signInAs(browser, base, { ...login, lang, locale: vietnamese ? 'vi-VN' : 'en-GB', timeZone: vietnamese ? 'Asia/Ho_Chi_Minh' : 'Europe/London' }, { timeoutMs: 15_000, viewportHeight: 960 });
  await r.page.getByRole('link', { name: tr(lang, 'kb.title_page') }).click();
  await r.page.waitForURL(/\/knowledge$/);
  return r;
};

const translation = async (id: string, lang: string) => {
  const row = await t.deps.db.kysely.selectFrom('kb_translations').selectAll().where('article_id', '=', id).where('language', '=', lang).executeTakeFirst();
  return row ?? null;
};

describe.skipIf(!hasChromium)('knowledge base in the agent app (Chromium)', { timeout: 90_000 }, () => {
  let articleId = '';

  it('admin: categories — create with names in three languages, rename, reorder, delete', async () => {
    const { context, page } = await signIn(admin, 'en');
    try {
      await page.getByRole('navigation', { name: tr('en', 'kb.title_page') }).getByRole('link', { name: tr('en', 'kb.categories') }).click();
      await page.waitForURL(/\/knowledge\/categories$/);
      const create = async (names: [string, string, string], slug: string) => {
        await page.getByRole('button', { name: tr('en', 'kb.cat.new') }).click();
        const form = page.getByRole('form', { name: tr('en', 'kb.cat.new') });
        await form.getByLabel(tr('en', 'kb.cat.name_in', { lang: 'English' })).fill(names[0]);
        await form.getByLabel(tr('en', 'kb.cat.name_in', { lang: 'Tiếng Việt' })).fill(names[1]);
        await form.getByLabel(tr('en', 'kb.cat.name_in', { lang: 'Polski' })).fill(names[2]);
        await form.getByLabel(tr('en', 'kb.slug')).fill(slug);
        await form.getByRole('button', { name: tr('en', 'admin.save') }).click();
        await page.getByRole('cell', { name: names[0], exact: true }).waitFor();
      };
      await create(['Returns', 'Đổi trả', 'Zwroty'], 'returns');
      await create(['Shipping', 'Giao hàng', 'Wysyłka'], 'shipping');
      await create(['Old stuff', 'Cũ', 'Stare'], 'old-stuff');

      // Rename (the Polish name), reorder (Shipping first), delete.
      const rowOf = (name: string) => page.getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });
      await rowOf('Returns').getByRole('button', { name: tr('en', 'admin.edit') }).click();
      await page.getByLabel(tr('en', 'kb.cat.name_in', { lang: 'Polski' })).fill('Zwroty i reklamacje');
      await page.getByRole('button', { name: tr('en', 'admin.save') }).click();
      await expect.poll(async () => (await t.deps.db.kysely.selectFrom('kb_categories').select('names').where('slug', '=', 'returns').executeTakeFirstOrThrow()).names).toContain('Zwroty i reklamacje');

      await page.getByRole('button', { name: tr('en', 'kb.cat.move_up', { name: 'Shipping' }) }).click();
      await expect.poll(async () => (await t.deps.db.kysely.selectFrom('kb_categories').select('slug').orderBy('position').execute()).map((c) => c.slug))
        .toEqual(['shipping', 'returns', 'old-stuff']);
      await expect.poll(() => page.locator('.kb-category-row strong').allTextContents()).toEqual(['Shipping', 'Returns', 'Old stuff']);

      // A section inside "Returns", named in three languages.
      await rowOf('Returns').getByRole('button', { name: tr('en', 'kb.cat.add_section') }).click();
      const sectionForm = page.getByRole('form', { name: tr('en', 'kb.cat.new_section_in', { name: 'Returns' }) });
      await sectionForm.getByLabel(tr('en', 'kb.cat.name_in', { lang: 'English' })).fill('Lamps');
      await sectionForm.getByLabel(tr('en', 'kb.cat.name_in', { lang: 'Tiếng Việt' })).fill('Đèn');
      await sectionForm.getByLabel(tr('en', 'kb.cat.name_in', { lang: 'Polski' })).fill('Lampy');
      await sectionForm.getByRole('button', { name: tr('en', 'admin.save') }).click();
      await page.locator('.kb-section-row').getByText('Lamps', { exact: true }).waitFor();
      const lamps = await t.deps.db.kysely.selectFrom('kb_categories').selectAll().where('slug', '=', 'lamps').executeTakeFirstOrThrow();
      const returnsRow = await t.deps.db.kysely.selectFrom('kb_categories').select('id').where('slug', '=', 'returns').executeTakeFirstOrThrow();
      expect(lamps.parent_id).toBe(returnsRow.id);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'knowledge-categories.png') });

      page.once('dialog', (d) => void d.accept());
      await rowOf('Old stuff').getByRole('button', { name: tr('en', 'admin.delete') }).click();
      await expect.poll(() => page.getByRole('cell', { name: 'Old stuff' }).count()).toBe(0);
      expect(await t.deps.db.kysely.selectFrom('kb_categories').select('slug').where('slug', '=', 'old-stuff').executeTakeFirst()).toBeUndefined();
    } finally { await context.close(); }
  });

  it('admin: writes in English, adds Vietnamese, publishes both; the help center shows them; edits and restores the first revision', async () => {
    const { context, page } = await signIn(admin, 'en');
    try {
      await page.getByRole('button', { name: tr('en', 'kb.new_article') }).click();
      await page.waitForURL(/\/knowledge\/new$/);
      await page.getByRole('tab', { name: /English/ }).waitFor();
      await page.getByLabel(tr('en', 'kb.title'), { exact: true }).fill('How to return a lamp');
      const body = page.getByRole('textbox', { name: tr('en', 'kb.body'), exact: true });
      await body.click();
      await page.keyboard.type('Pack the lamp in its original box.');
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: tr('en', 'kb.bold') }).click();
      await page.keyboard.type('Returns are free within 30 days.');
      await page.getByLabel(tr('en', 'kb.category')).selectOption({ label: 'Returns' });
      await page.getByLabel(tr('en', 'kb.tags')).fill('returns, Lamps');
      await page.getByRole('button', { name: tr('en', 'kb.save_draft') }).click();
      await page.waitForURL(/\/knowledge\/articles\/[0-9a-f-]{36}\?lang=en$/);
      articleId = /articles\/([0-9a-f-]{36})/.exec(page.url())![1]!;
      await page.getByRole('tab', { name: new RegExp(`English.*${tr('en', 'kb.status.draft')}`) }).waitFor();

      const enDraft = await translation(articleId, 'en');
      expect(enDraft).toMatchObject({ title: 'How to return a lamp', slug: 'how-to-return-a-lamp', status: 'draft' });
      expect(enDraft!.body_html).toMatch(/<p>Pack the lamp in its original box\.<\/p>\s*<p><(b|strong)>Returns are free within 30 days\.<\/(b|strong)><\/p>/);
      const article = await t.deps.db.kysely.selectFrom('kb_articles').selectAll().where('id', '=', articleId).executeTakeFirstOrThrow();
      const returns = await t.deps.db.kysely.selectFrom('kb_categories').select('id').where('slug', '=', 'returns').executeTakeFirstOrThrow();
      expect(article.category_id).toBe(returns.id);
      expect((await t.deps.db.kysely.selectFrom('kb_article_tags').select('tag').where('article_id', '=', articleId).orderBy('tag').execute()).map((x) => x.tag)).toEqual(['lamps', 'returns']);

      // The Vietnamese translation, written in its own tab and published.
      await page.getByRole('tab', { name: /Tiếng Việt/ }).click();
      await page.getByText(tr('en', 'kb.missing_hint', { lang: 'Tiếng Việt', fallback: 'English' })).waitFor();
      await page.getByLabel(tr('en', 'kb.title'), { exact: true }).fill('Cách trả lại đèn');
      await body.click();
      await page.keyboard.type('Đóng gói đèn trong hộp. Đổi trả miễn phí trong 30 ngày.');
      await page.getByLabel(tr('en', 'kb.slug')).fill('cach-tra-lai-den');
      await page.getByRole('button', { name: tr('en', 'kb.publish'), exact: true }).click();
      await page.getByRole('tab', { name: new RegExp(`Tiếng Việt.*${tr('en', 'kb.status.published')}`) }).waitFor();
      expect(await translation(articleId, 'vi')).toMatchObject({ title: 'Cách trả lại đèn', status: 'published', slug: 'cach-tra-lai-den' });

      await page.getByRole('tab', { name: /English/ }).click();
      await page.getByRole('button', { name: tr('en', 'kb.publish'), exact: true }).click();
      const view = page.getByRole('link', { name: new RegExp(`^${esc(tr('en', 'kb.view_in_help_center'))}`) });
      await view.waitFor();
      expect(await view.getAttribute('href')).toBe('/help/en/articles/how-to-return-a-lamp');
      expect(await translation(articleId, 'en')).toMatchObject({ status: 'published', version: 2 });
      await page.screenshot({ path: path.join(SCREENSHOTS, 'knowledge-editor.png') });

      // The public help center (server-rendered) shows both languages.
      const reader = await context.newPage();
      await reader.goto('/help/en/articles/how-to-return-a-lamp');
      await reader.getByRole('heading', { level: 1, name: 'How to return a lamp' }).waitFor();
      expect(await reader.textContent('main')).toContain('Returns are free within 30 days.');
      await reader.goto('/help/vi/articles/cach-tra-lai-den');
      expect(await reader.getAttribute('html', 'lang')).toBe('vi');
      await reader.getByRole('heading', { level: 1, name: 'Cách trả lại đèn' }).waitFor();
      expect(await reader.textContent('main')).toContain('Đổi trả miễn phí trong 30 ngày.');

      // Edit the English text; leaving with unsaved changes asks first.
      await page.getByLabel(tr('en', 'kb.title'), { exact: true }).fill('How to return a lamp or a shade');
      await page.getByText(tr('en', 'kb.unsaved'), { exact: true }).waitFor();
      let asked = '';
      page.once('dialog', (d) => { asked = d.message(); void d.dismiss(); });
      await page.getByRole('link', { name: `← ${tr('en', 'kb.articles')}` }).click();
      await expect.poll(() => asked).toBe(tr('en', 'kb.unsaved_confirm'));
      expect(page.url()).toContain(`/knowledge/articles/${articleId}`);

      // The browser's Back button is guarded too.
      let askedOnBack = '';
      page.once('dialog', (d) => { askedOnBack = d.message(); void d.dismiss(); });
      await page.goBack();
      await expect.poll(() => askedOnBack).toBe(tr('en', 'kb.unsaved_confirm'));
      await expect.poll(() => page.url()).toContain(`/knowledge/articles/${articleId}`);
      expect(await page.getByLabel(tr('en', 'kb.title'), { exact: true }).inputValue()).toBe('How to return a lamp or a shade');

      await body.click();
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Enter');
      await page.keyboard.type('Shades can be returned too.');
      await page.getByLabel(tr('en', 'kb.note')).fill('shades are returnable');
      await page.keyboard.press('Control+s'); // the same as "Save and update live"
      await expect.poll(async () => (await translation(articleId, 'en'))?.version).toBe(3);
      expect((await translation(articleId, 'en'))!.title).toBe('How to return a lamp or a shade');
      await reader.goto('/help/en/articles/how-to-return-a-lamp');
      await reader.getByRole('heading', { level: 1, name: 'How to return a lamp or a shade' }).waitFor();

      // Revisions: who, what changed; restore the first version (as a new version, still published).
      const revisions = page.getByRole('region', { name: tr('en', 'kb.revisions') });
      const v3 = revisions.locator('[data-version="3"]');
      await v3.getByText(tr('en', 'kb.rev.title', { from: 'How to return a lamp', to: 'How to return a lamp or a shade' })).waitFor();
      await v3.getByText(/\+5 \/ −0/).waitFor();
      expect(await v3.textContent()).toContain('Ada Admin');
      expect(await v3.textContent()).toContain('shades are returnable');
      await revisions.locator('[data-version="2"]').getByText(tr('en', 'kb.rev.status', { from: tr('en', 'kb.status.draft'), to: tr('en', 'kb.status.published') })).waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, 'knowledge-revisions.png') });

      page.once('dialog', (d) => void d.accept());
      await revisions.getByRole('button', { name: tr('en', 'kb.rev.restore', { v: 1 }) }).click();
      await revisions.locator('[data-version="4"]').waitFor();
      await expect.poll(() => page.getByLabel(tr('en', 'kb.title'), { exact: true }).inputValue()).toBe('How to return a lamp');
      expect(await body.textContent()).not.toContain('Shades can be returned too.');
      expect(await translation(articleId, 'en')).toMatchObject({ title: 'How to return a lamp', version: 4, status: 'published' });
      await reader.goto('/help/en/articles/how-to-return-a-lamp');
      await reader.getByRole('heading', { level: 1, name: 'How to return a lamp' }).waitFor();
      expect(await reader.textContent('main')).not.toContain('Shades can be returned too.');
      await reader.goto('/help/en/search?q=lampshade+warranty+extension');

      // Back in the list: translations and their statuses, filters.
      await page.getByRole('link', { name: `← ${tr('en', 'kb.articles')}` }).click();
      await page.waitForURL(/\/knowledge$/);
      const row = page.locator(`[data-article="${articleId}"]`);
      await row.waitFor();
      expect(await row.getByRole('img', { name: `English: ${tr('en', 'kb.status.published')}` }).count()).toBe(1);
      expect(await row.getByRole('img', { name: `Tiếng Việt: ${tr('en', 'kb.status.published')}` }).count()).toBe(1);
      expect(await row.getByRole('img', { name: `Polski: ${tr('en', 'kb.status.missing')}` }).count()).toBe(1);
      await page.getByLabel(tr('en', 'kb.filter.language')).selectOption('pl');
      await page.getByText(tr('en', 'kb.empty_filtered')).waitFor();
      await page.getByLabel(tr('en', 'kb.filter.language')).selectOption('vi');
      await row.waitFor();
      await expect.poll(() => page.locator('[data-article]').count()).toBe(1);
      await page.getByLabel(tr('en', 'kb.filter.language')).selectOption('');
      await page.getByLabel(tr('en', 'kb.filter.visibility')).selectOption('true');
      await page.getByRole('link', { name: 'Escalating a damaged delivery' }).waitFor();
      await expect.poll(() => row.count()).toBe(0);
      await page.getByLabel(tr('en', 'kb.filter.visibility')).selectOption('');
      await page.getByRole('searchbox', { name: tr('en', 'kb.search') }).fill('lamp');
      await row.waitFor();
      await expect.poll(() => page.locator('[data-article]').count()).toBe(1);
      await page.getByRole('searchbox', { name: tr('en', 'kb.search') }).fill('');
      await expect.poll(() => page.locator('[data-article]').count()).toBe(2);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'knowledge-articles.png') });

      // The deflection report: a chart and a weekly table.
      await page.getByRole('link', { name: tr('en', 'kb.report'), exact: true }).click();
      await page.getByRole('img', { name: /^Chart of \d+ weeks/ }).waitFor();
      expect(await page.locator('.kb-report-table tbody tr').count()).toBeGreaterThan(10);
      // The help-center visits above are counted as views of this article, in both languages.
      const perArticle = page.locator('.kb-report-articles tbody tr');
      await expect.poll(() => perArticle.filter({ hasText: 'Cách trả lại đèn' }).count()).toBe(1);
      await page.locator('.kb-report-gaps').getByText('lampshade warranty extension').waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, 'knowledge-report.png'), fullPage: true });

      // Help-center settings (admins only): the Polish title and the fallback language.
      await page.getByRole('link', { name: tr('en', 'kb.hc.title'), exact: true }).click();
      await page.getByLabel(tr('en', 'kb.hc.title_in', { lang: 'Polski' })).fill('Centrum pomocy Lumen');
      await page.getByLabel(tr('en', 'kb.hc.default_language')).selectOption('vi');
      await page.getByRole('button', { name: tr('en', 'admin.save') }).click();
      await expect.poll(async () => (await t.app.inject({ method: 'GET', url: '/api/v1/knowledge/settings', headers: await makeFactories(t).session(admin) })).json())
        .toMatchObject({ defaultLanguage: 'vi', title: { pl: 'Centrum pomocy Lumen' } });
    } finally { await context.close(); }
  });

  it('agent: reads every article (internal included) in Vietnamese, without the controls the API refuses them', async () => {
    const { context, page } = await signIn(agent, 'vi');
    try {
      await page.getByRole('heading', { level: 1, name: tr('vi', 'kb.title_page') }).waitFor();
      await page.getByRole('link', { name: 'Cách trả lại đèn' }).waitFor();
      await page.getByRole('link', { name: 'Escalating a damaged delivery' }).waitFor();
      expect(await page.locator('.kb-row .chip-internal').allTextContents()).toEqual([tr('vi', 'kb.internal')]);
      const tabs = page.getByRole('navigation', { name: tr('vi', 'kb.title_page') });
      expect(await tabs.getByRole('link').allTextContents()).toEqual([tr('vi', 'kb.articles'), tr('vi', 'kb.categories')]);
      // Admins also get the report and the help-center settings; agents neither (the API refuses them: 403).

      await tabs.getByRole('link', { name: tr('vi', 'kb.categories') }).click();
      await page.getByRole('cell', { name: 'Đổi trả', exact: true }).waitFor();
      expect(await page.getByRole('button', { name: tr('vi', 'kb.cat.new') }).count()).toBe(0);
      expect(await page.getByRole('button', { name: tr('vi', 'admin.delete') }).count()).toBe(0);
      expect(await page.getByRole('button', { name: tr('vi', 'admin.edit') }).count()).toBe(0);

      await page.goto('/knowledge/report');
      await page.getByRole('link', { name: 'Cách trả lại đèn' }).waitFor();
      expect(await page.getByRole('img', { name: /Biểu đồ/ }).count()).toBe(0);

      await page.getByRole('link', { name: 'Cách trả lại đèn' }).click();
      await page.getByRole('tab', { name: /Tiếng Việt/, selected: true }).waitFor();
      await expect.poll(() => page.getByLabel(tr('vi', 'kb.title'), { exact: true }).inputValue()).toBe('Cách trả lại đèn');
      // The API lets every signed-in user write and publish articles (knowledge.routes.ts), so those stay;
      // deleting needs a supervisor.
      await page.getByRole('button', { name: tr('vi', 'kb.save_published') }).waitFor();
      expect(await page.getByRole('button', { name: tr('vi', 'kb.delete_article') }).count()).toBe(0);
      expect(await page.getByRole('button', { name: tr('vi', 'kb.delete_translation') }).count()).toBe(0);
      // A colleague saves this translation while the agent edits it: saving asks before overwriting.
      await page.getByLabel(tr('vi', 'kb.title'), { exact: true }).fill('Cách trả lại đèn (bản của Linh)');
      const put = await t.app.inject({ method: 'PUT', url: `/api/v1/knowledge/articles/${articleId}/translations/vi`, headers: await makeFactories(t).session(admin), payload: { title: 'Cách trả lại đèn và chụp đèn' } });
      expect(put.statusCode).toBe(200);
      let question = '';
      page.once('dialog', (d) => { question = d.message(); void d.dismiss(); });
      await page.getByRole('button', { name: tr('vi', 'kb.save_published') }).click();
      await expect.poll(() => question).toBe(tr('vi', 'kb.conflict_confirm', { name: 'Ada Admin', v: 2 }));
      expect((await translation(articleId, 'vi'))!.title).toBe('Cách trả lại đèn và chụp đèn');

      // The hidden control matches the API: the agent's own session is refused.
      const res = await t.app.inject({ method: 'DELETE', url: `/api/v1/knowledge/articles/${articleId}`, headers: await makeFactories(t).session(agent) });
      expect(res.statusCode).toBe(403);
    } finally { await context.close(); }
  });
});
