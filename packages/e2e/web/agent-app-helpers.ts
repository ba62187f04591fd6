import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../../server/src/testing/test-app.ts';
import { seedIfEmpty } from '../../server/src/modules/demo/seed.ts';
import { en } from '../../web/src/i18n/en.ts';
import { vi } from '../../web/src/i18n/vi.ts';
import { pl } from '../../web/src/i18n/pl.ts';
import { SCREENSHOTS } from './build-web.ts';

// What the agent-app browser tests share: the app's own texts (so a test reads like the screen), signing in, API calls.
export const DICT = { en, vi, pl } as const;
export type Lang = keyof typeof DICT;
export type Login = { email: string; password: string; lang: Lang; timeZone: string; locale: string; name?: string };

/** The app's text for `key` in `lang`, with {placeholders} filled. */
export const tr = (lang: Lang, key: keyof typeof en, vars: Record<string, string | number> = {}) =>
  DICT[lang][key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k]));

export const shot = (page: Page, name: string, fullPage = false) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });

/** API calls as this user (a real session cookie), answering the parsed JSON body. */
export const apiAs = async (t: TestApp, login: { email: string; password: string }) => {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: login.email, password: login.password } });
  const cookie = String(res.headers['set-cookie']).split(';')[0]!;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return (method: string, url: string, payload?: unknown): Promise<any> =>
    t.app.inject({ method: method as 'GET', url: `/api/v1${url}`, headers: { cookie }, payload: payload as object }).then((r) => (r.body ? r.json() : null));
};

/** Signs in through the sign-in page in the user's language, locale and time zone; resolves on the live inbox. */
export const signIn = async (browser: Browser, base: string, login: Login, opts: { timeoutMs?: number; fromRoot?: boolean; viewportHeight?: number; acceptDialogs?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> => {
  const context = await browser.newContext({ baseURL: base, locale: login.locale, timezoneId: login.timeZone, viewport: { width: 1440, height: opts.viewportHeight ?? 900 }, deviceScaleFactor: 1 });
  context.setDefaultTimeout(opts.timeoutMs ?? 8_000);
  const page = await context.newPage();
  if (opts.acceptDialogs) page.on('dialog', (d) => void d.accept()); // confirm() before destructive admin actions
  if (opts.fromRoot) {
    // Signed out, the app itself sends you to the sign-in page.
    await page.goto('/');
    await page.waitForURL(/\/sign-in/);
    await page.getByRole('heading', { name: tr(login.lang, 'auth.title') }).waitFor();
  } else await page.goto('/sign-in');
  await page.getByLabel(tr(login.lang, 'auth.email')).fill(login.email);
  await page.getByLabel(tr(login.lang, 'auth.password')).fill(login.password);
  await page.getByRole('button', { name: tr(login.lang, 'auth.submit') }).click();
  await page.waitForURL(/\/inbox\/mine/);
  await page.locator('.live-dot.on').waitFor();
  return { context, page };
};

/**
 * A test app with the demo company seeded, and its people as logins in their own language and time zone:
 * Ada (admin, en), Sam (supervisor, en), Linh (agent, vi), Piotr (agent, pl).
 */
export const startDemoApp = async (env: Record<string, string> = {}) => {
  const t = await createTestApp({ env: { CARELINE_DEMO: 'auto', CARELINE_ADMIN_PASSWORD: 'admin-password-123', ...env } });
  const seeded = await seedIfEmpty(t.deps);
  if (!seeded.created) throw new Error('demo seed did not run');
  const by = (email: string) => seeded.logins.find((l) => l.email === email)!;
  const logins = {
    admin: { ...by('admin@careline.local'), name: 'Ada Admin', lang: 'en', timeZone: 'Europe/London', locale: 'en-GB' },
    sam: { ...by('sam@careline.local'), name: 'Sam Supervisor', lang: 'en', timeZone: 'America/New_York', locale: 'en-US' },
    linh: { ...by('linh@careline.local'), name: 'Linh Nguyễn', lang: 'vi', timeZone: 'Asia/Ho_Chi_Minh', locale: 'vi-VN' },
    piotr: { ...by('piotr@careline.local'), name: 'Piotr Kowalski', lang: 'pl', timeZone: 'Europe/Warsaw', locale: 'pl-PL' },
  } satisfies Record<string, Login & { name: string }>;
  return { t, logins };
};
