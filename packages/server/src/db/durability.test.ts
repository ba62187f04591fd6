import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, startChildServer, type ChildServer } from '../testing/child-server.ts';
import { createTestDatabase } from '../testing/test-app.ts';

/**
 * What the API answered 201 for survives kill -9: a writer records acknowledged ids while the server
 * is SIGKILLed mid-stream; after restart every one is there and the database opens cleanly. 10 rounds.
 */
let dataDir: string;
let pg: Awaited<ReturnType<typeof createTestDatabase>>;
let env: Record<string, string | undefined>;
beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'careline-durability-'));
  pg = await createTestDatabase();
  env = { CARELINE_DATA_DIR: dataDir, DATABASE_URL: pg?.url };
});
afterAll(async () => { await pg?.drop(); fs.rmSync(dataDir, { recursive: true, force: true }); });

type JsonResponse = Omit<Response, 'json'> & { json(): Promise<any> };
const post = (url: string, auth: Record<string, string>, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(body) }) as Promise<JsonResponse>;
const get = (url: string, auth: Record<string, string>) => fetch(url, { headers: auth }) as Promise<JsonResponse>;

describe(`durability on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}`, () => {
  it('keeps every acknowledged conversation across 10 SIGKILLs', async () => {
    let server: ChildServer = await startChildServer(env);
    const auth = await adminToken(server.url);
    const inbox = await (await post(`${server.url}/api/v1/inboxes`, auth, { name: 'Durable', channel: 'api' })).json();
    const acknowledged: { id: string; text: string }[] = [];
    let attempted = 0;
    for (let round = 0; round < 10; round++) {
      let stop = false;
      const writer = async (w: number) => {
        for (let i = 0; !stop; i++) {
          const text = `round ${round} writer ${w} message ${i}`;
          attempted++;
          try {
            const res = await post(`${server.url}/api/v1/conversations`, auth, { inboxId: inbox.id, contact: { identities: [{ kind: 'email', value: `r${round}w${w}@example.com` }] }, message: { text } });
            if (res.status === 201) acknowledged.push({ id: (await res.json()).id, text });
          } catch { return; /* the server died under us: this one was never acknowledged */ }
        }
      };
      const writers = Array.from({ length: 8 }, (_, w) => writer(w));
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 500));
      await server.kill('SIGKILL');
      stop = true;
      await Promise.all(writers);
      if (!env.DATABASE_URL) {
        // A second process opening the file while the first is dead: recovers the WAL and finds it intact.
        const db = new DatabaseSync(path.join(dataDir, 'careline.db'));
        expect(db.prepare('pragma integrity_check').get()).toEqual({ integrity_check: 'ok' });
        db.close();
      }
      server = await startChildServer(env, server.port);
    }
    // Every round acknowledged something before the kill (a slow CI machine acknowledges fewer).
    expect(acknowledged.length).toBeGreaterThanOrEqual(10);
    const missing = [];
    for (const a of acknowledged) {
      const res = await get(`${server.url}/api/v1/conversations/${a.id}`, auth);
      if (res.status !== 200) { missing.push(a.id); continue; }
      expect((await res.json()).messages[0].text).toBe(a.text);
    }
    expect(missing).toEqual([]);
    await server.kill();
    console.log(`durability: ${acknowledged.length} acknowledged of ${attempted} attempted over 10 kills, 0 lost`);
  }, 180_000);

  it.skipIf(!!process.env.DATABASE_URL)('survives a second server started by mistake on the same data directory', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'careline-two-procs-'));
    // Started at the same moment on an empty directory: both migrate and seed, once.
    const [a, b] = await Promise.all([startChildServer({ CARELINE_DATA_DIR: dir, CARELINE_DEMO: 'auto' }), startChildServer({ CARELINE_DATA_DIR: dir, CARELINE_DEMO: 'auto' })]);
    expect([a.output(), b.output()].filter((o) => o.includes('First start'))).toHaveLength(1);
    try {
      const authA = await adminToken(a.url);
      const authB = await adminToken(b.url);
      const inbox = await (await post(`${a.url}/api/v1/inboxes`, authA, { name: 'Shared', channel: 'api' })).json();
      const ids: string[] = [];
      const write = async (s: ChildServer, auth: Record<string, string>, n: number) => {
        for (let i = 0; i < n; i++) {
          const res = await post(`${s.url}/api/v1/conversations`, auth, { inboxId: inbox.id, contact: {}, message: { text: `from ${s.port} #${i}` } });
          expect(res.status).toBe(201);
          ids.push((await res.json()).id);
        }
      };
      await Promise.all([write(a, authA, 100), write(b, authB, 100), write(a, authA, 100), write(b, authB, 100)]);
      const page = await (await get(`${b.url}/api/v1/conversations?inboxId=${inbox.id}&limit=100`, authB)).json();
      expect(page.items).toHaveLength(100);
      const db = new DatabaseSync(path.join(dir, 'careline.db'));
      expect(db.prepare('pragma integrity_check').get()).toEqual({ integrity_check: 'ok' });
      expect(db.prepare('select count(*) as n from conversations where inbox_id = ?').get(inbox.id)).toEqual({ n: 400 });
      expect(db.prepare("select count(*) as n from users where role = 'admin'").get()).toEqual({ n: 1 });
      expect(new Set(ids).size).toBe(400);
      db.close();
    } finally {
      await a.kill(); await b.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
