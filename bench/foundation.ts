// Foundation benchmark: conversations created per second over HTTP (with the first message), and
// p50/p99 of the inbox list query (first page, filtered by inbox and status) at 100k and 1M conversations.
// Runs on SQLite, or on PostgreSQL when DATABASE_URL is set. Prints figures; asserts nothing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { loadConfig } from '../packages/server/src/config.ts';
import { createDeps, closeDeps } from '../packages/server/src/platform/runtime.ts';
import { adminToken, startChildServer } from '../packages/server/src/testing/child-server.ts';
import { createTestDatabase } from '../packages/server/src/testing/test-app.ts';
import { newId } from '../packages/server/src/platform/ids.ts';
import { listConversations } from '../packages/server/src/modules/conversations/operations/list-conversations.ts';
import type { Ctx } from '../packages/server/src/platform/context.ts';

const engine = process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite';
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const sizes = (process.env.BENCH_SIZES ?? '100000,1000000').split(',').map(Number);
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!; };
const ms = (x: number) => `${x.toFixed(2)} ms`;

const benchCreates = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'careline-bench-'));
  const db = await createTestDatabase();
  const server = await startChildServer({ CARELINE_DATA_DIR: dir, DATABASE_URL: db?.url, LOG_LEVEL: 'error' });
  try {
    const auth = await adminToken(server.url);
    const headers = { 'content-type': 'application/json', ...auth };
    const inbox = (await (await fetch(`${server.url}/api/v1/inboxes`, { method: 'POST', headers, body: JSON.stringify({ name: 'Bench', channel: 'api' }) })).json()) as { id: string };
    const latencies: number[] = [];
    let errors = 0;
    const end = Date.now() + seconds * 1000;
    const worker = async (w: number) => {
      for (let i = 0; Date.now() < end; i++) {
        const t0 = performance.now();
        const res = await fetch(`${server.url}/api/v1/conversations`, { method: 'POST', headers, body: JSON.stringify({ inboxId: inbox.id, subject: 'Order question', contact: { identities: [{ kind: 'email', value: `c${w}-${i % 50}@example.com` }] }, message: { text: 'Hello, where is my order? It was due yesterday.' } }) });
        await res.arrayBuffer();
        if (res.status === 201) latencies.push(performance.now() - t0); else errors++;
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: 32 }, (_, w) => worker(w)));
    const elapsed = (performance.now() - started) / 1000;
    console.log(`[${engine}] creates over HTTP: ${(latencies.length / elapsed).toFixed(0)}/s (32 concurrent clients, ${seconds}s; p50 ${ms(pct(latencies, 50))}, p99 ${ms(pct(latencies, 99))}, errors ${errors})`);
  } finally {
    await server.kill();
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
};

/** Bulk-loads conversations straight into the tables (the API path is what benchCreates measures). */
const load = async (target: number, have: number, dir: string, url: string | undefined, inboxIds: string[], contactIds: string[]) => {
  const statuses = ['open', 'open', 'open', 'pending', 'resolved', 'resolved', 'resolved', 'closed', 'snoozed'];
  const base = Date.parse('2025-01-01T00:00:00Z');
  if (url) {
    const c = new pg.Client({ connectionString: url }); await c.connect();
    await c.query(`insert into conversations (id, number, inbox_id, contact_id, status, priority, subject, custom_attributes, last_activity_at, last_message_preview, created_at, updated_at)
      select gen_random_uuid(), 100000 + g, ($3::uuid[])[1 + g % $4], ($5::uuid[])[1 + g % $6], ($7::text[])[1 + (g * 7) % $8], 'normal', 'Subject ' || g, '{}',
        to_timestamp($9 + (random() * 60000000)::int), 'preview', now(), now()
      from generate_series($1::int, $2::int - 1) g`, [have, target, inboxIds, inboxIds.length, contactIds, contactIds.length, statuses, statuses.length, base / 1000]);
    await c.query('analyze conversations'); await c.end();
    return;
  }
  const db = new DatabaseSync(path.join(dir, 'careline.db'));
  db.exec('pragma synchronous = off; begin');
  const stmt = db.prepare(`insert into conversations (id, number, inbox_id, contact_id, status, priority, subject, custom_attributes, last_activity_at, last_message_preview, created_at, updated_at)
    values (?, ?, ?, ?, ?, 'normal', ?, '{}', ?, 'preview', ?, ?)`);
  for (let g = have; g < target; g++) {
    const at = new Date(base + Math.floor(Math.random() * 60_000_000_000)).toISOString();
    stmt.run(newId(), 100000 + g, inboxIds[g % inboxIds.length]!, contactIds[g % contactIds.length]!, statuses[(g * 7) % statuses.length]!, `Subject ${g}`, at, at, at);
  }
  db.exec('commit; analyze'); db.close();
};

const benchList = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'careline-bench-list-'));
  const pgdb = await createTestDatabase();
  const deps = await createDeps(loadConfig({ CARELINE_DATA_DIR: dir, DATABASE_URL: pgdb?.url, LOG_LEVEL: 'error' }));
  try {
    const now = deps.clock.iso();
    const inboxIds = Array.from({ length: 10 }, () => newId());
    const contactIds = Array.from({ length: 2000 }, () => newId());
    const userId = newId();
    await deps.db.transaction(async ({ tx }) => {
      await tx.insertInto('users').values({ id: userId, email: 'bench@x', name: 'Bench', role: 'admin', password_hash: 'x', language: 'en', time_zone: 'UTC', availability: 'online', is_disabled: false, created_at: now, updated_at: now }).execute();
      for (const id of inboxIds) await tx.insertInto('inboxes').values({ id, name: id, channel: 'api', business_name: '', greeting: '', email_address: null, public_token: id, secret: id, settings: '{}', created_at: now, updated_at: now }).execute();
      for (let i = 0; i < contactIds.length; i += 500) await tx.insertInto('contacts').values(contactIds.slice(i, i + 500).map((id) => ({ id, name: 'C', language: null, time_zone: null, birthday: null, is_internal: false, custom_attributes: '{}', organization_id: null, created_at: now, updated_at: now }))).execute();
    });
    const ctx: Ctx = { ...deps, actor: { type: 'user', via: 'token', user: { id: userId, role: 'admin', name: 'Bench', email: 'bench@x', language: 'en', timeZone: 'UTC' } } };
    let have = 0;
    for (const size of sizes) {
      const t0 = performance.now();
      await load(size, have, dir, pgdb?.url, inboxIds, contactIds);
      have = size;
      const loadSecs = (performance.now() - t0) / 1000;
      const statuses = ['open', 'pending', 'resolved'] as const;
      for (let i = 0; i < 50; i++) await listConversations(ctx, { inboxId: inboxIds[i % 10], status: statuses[i % 3], limit: 25 }); // warm
      const times: number[] = [];
      for (let i = 0; i < 1000; i++) {
        const s = performance.now();
        const page = await listConversations(ctx, { inboxId: inboxIds[i % 10], status: statuses[i % 3], limit: 25 });
        times.push(performance.now() - s);
        if (page.items.length !== 25) throw new Error('short page');
      }
      console.log(`[${engine}] inbox list at ${size.toLocaleString('en')} conversations (first page of 25, by inbox + status, with tags): p50 ${ms(pct(times, 50))}, p99 ${ms(pct(times, 99))} (loaded in ${loadSecs.toFixed(0)} s)`);
    }
  } finally {
    await closeDeps(deps);
    await pgdb?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
};

if (!process.env.BENCH_SKIP_CREATES) await benchCreates();
if (!process.env.BENCH_SKIP_LIST) await benchList();
