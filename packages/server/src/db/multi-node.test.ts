import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, startChildServer, type ChildServer } from '../testing/child-server.ts';
import { createTestDatabase } from '../testing/test-app.ts';
import { connectSocket } from '../testing/ws-client.ts';

/** Two server processes, one PostgreSQL, one Redis: what happens on node A reaches a socket on node B. */
const enabled = !!process.env.DATABASE_URL && !!process.env.REDIS_URL;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let nodes: ChildServer[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  if (!enabled) return;
  db = await createTestDatabase();
  const env = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'careline-node-'));
    dirs.push(dir);
    return { DATABASE_URL: db!.url, REDIS_URL: process.env.REDIS_URL, CARELINE_DATA_DIR: dir };
  };
  // Started together on an empty database: both race to migrate and seed.
  nodes = await Promise.all([startChildServer(env()), startChildServer(env())]);
});
afterAll(async () => {
  await Promise.all(nodes.map((n) => n.kill()));
  await db?.drop();
  dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

describe.skipIf(!enabled)('two nodes on PostgreSQL + Redis', () => {
  it('migrated and seeded exactly once', async () => {
    const c = new pg.Client({ connectionString: db!.url });
    await c.connect();
    const migrations = await c.query('select name from kysely_migration');
    expect(new Set(migrations.rows.map((r) => r.name)).size).toBe(migrations.rows.length);
    expect(migrations.rows.map((r) => r.name)).toContain('0001_foundation');
    expect((await c.query("select count(*)::int as n from users where role = 'admin'")).rows[0].n).toBe(1);
    await c.end();
    for (const n of nodes) expect(n.output()).not.toMatch(/error/i);
  });

  it('a reply posted through node A appears on an agent\'s socket on node B', async () => {
    const [a, b] = nodes as [ChildServer, ChildServer];
    const authA = await adminToken(a.url);
    const authB = await adminToken(b.url);
    const post = (url: string, auth: Record<string, string>, body: unknown) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
    const inbox = (await post(`${a.url}/api/v1/inboxes`, authA, { name: 'Multi', channel: 'api' })).body;
    const conv = (await post(`${a.url}/api/v1/conversations`, authA, { inboxId: inbox.id, contact: {}, message: { text: 'hi' } })).body;
    const socket = await connectSocket(`ws://127.0.0.1:${b.port}/api/v1/realtime`, { cookie: authB.cookie, origin: b.url });
    await socket.waitFor((m) => m.type === 'ready');
    const sent = Date.now();
    const reply = await post(`${a.url}/api/v1/conversations/${conv.id}/reply`, authA, { text: 'Answer from node A' });
    expect(reply.status).toBe(201);
    const got = await socket.waitFor((m) => m.type === 'event' && m.event.name === 'message.created' && m.event.data.message.id === reply.body.id);
    expect(got.event.data.message.text).toBe('Answer from node A');
    console.log(`multi-node: reply on A reached a socket on B in ${Date.now() - sent} ms (including the HTTP round trip)`);
    socket.close();
  });
});
