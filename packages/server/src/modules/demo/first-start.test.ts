import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startChildServer } from '../../testing/child-server.ts';
import { createTestDatabase } from '../../testing/test-app.ts';

const dirs: string[] = [];
const tempDir = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'careline-first-')); dirs.push(d); return d; };
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('first start', () => {
  it('loads the demo company once, prints the sign-ins once, and they work', async () => {
    const dir = tempDir();
    const db = await createTestDatabase();
    const env = { CARELINE_DATA_DIR: dir, DATABASE_URL: db?.url, CARELINE_DEMO: 'auto', CARELINE_ADMIN_PASSWORD: undefined };
    let server = await startChildServer(env);
    try {
      await new Promise((r) => setTimeout(r, 200));
      const out = server.output();
      expect(out).toContain('First start');
      const admin = /admin\s+(\S+@\S+)\s+(\S+)/.exec(out)!;
      const linh = /agent\s+(linh@\S+)\s+(\S+)/.exec(out)!;
      const signIn = async (email: string, password: string) => {
        const res = await fetch(`${server.url}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
        expect(res.status).toBe(200);
        return { cookie: res.headers.get('set-cookie')!.split(';')[0]! };
      };
      const adminSession = await signIn(admin[1]!, admin[2]!);
      const get = async (url: string, who: { cookie: string }) => (await (await fetch(`${server.url}/api/v1${url}`, { headers: who })).json()) as any;
      expect((await get('/users', adminSession)).map((u: { role: string }) => u.role).sort()).toEqual(['admin', 'agent', 'agent', 'supervisor']);
      expect((await get('/teams', adminSession))).toHaveLength(2);
      expect((await get('/inboxes', adminSession)).map((i: { channel: string }) => i.channel).sort()).toEqual(['chat', 'email', 'webform']);
      // The help center has the demo articles in the three languages.
      for (const [lang, title] of [['en', 'Returns'], ['vi', 'Đổi trả'], ['pl', 'Zwrot']]) {
        const page = await (await fetch(`${server.url}/help/${lang}/search?q=${encodeURIComponent(title!)}`)).text();
        expect(page, lang).toContain(`lang="${lang}"`);
        expect(page, lang).toMatch(new RegExp(`href="[^"]*/help/${lang}/articles/`));
      }
      const all = (await get('/conversations?limit=100', adminSession)).items;
      const contacts = (await get('/contacts?limit=100', adminSession)).items;
      expect(new Set(contacts.map((c: { language: string }) => c.language))).toEqual(new Set(['en', 'vi', 'pl']));
      expect(all.length).toBeGreaterThanOrEqual(6);
      expect(all.some((c: { subject: string }) => /Đổi trả/.test(c.subject))).toBe(true);
      expect(all.some((c: { subject: string }) => /Zwrot/.test(c.subject))).toBe(true);
      // Demo history is not mailed to the demo customers.
      const lamp = await get(`/conversations/${all.find((c: { subject: string }) => /cracked shade/.test(c.subject)).id}`, adminSession);
      expect(lamp.messages.filter((m: { kind: string }) => m.kind === 'outgoing').map((m: { deliveryState: string }) => m.deliveryState)).toEqual(['sent']);
      // The agent sees only the inboxes she belongs to.
      const linhSession = await signIn(linh[1]!, linh[2]!);
      expect((await get('/conversations?limit=100', linhSession)).items.length).toBeGreaterThan(0);

      await server.kill();
      server = await startChildServer(env, server.port);
      await new Promise((r) => setTimeout(r, 200));
      expect(server.output()).not.toContain('First start');
      expect((await get('/conversations?limit=100', adminSession)).items).toHaveLength(all.length);
    } finally {
      await server.kill();
      await db?.drop();
    }
  }, 60_000);

  it('refuses to start on a bad setting, naming it', () => {
    const main = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../main.ts');
    const res = spawnSync(process.execPath, [main], { env: { PATH: process.env.PATH, PORT: 'abc', DATABASE_URL: 'mysql://nope', CARELINE_DATA_DIR: tempDir() }, encoding: 'utf8', timeout: 20_000 });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('Invalid configuration');
    expect(res.stderr).toContain('PORT');
    expect(res.stderr).toContain('DATABASE_URL');
  });
});
