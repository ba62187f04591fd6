// Email ingestion benchmark: messages per second taken in end to end (parse, sanitise, trim, thread,
// store with attachments, events) from a corpus of real messages, and the memory peak.
//  1. in process: ingestMail() with 32 messages in flight (what the SMTP listener / IMAP / webhook call);
//  2. over SMTP: nodemailer clients → the real server (node main.ts) → 250 after commit.
// SQLite by default, PostgreSQL when DATABASE_URL is set. Prints figures; asserts nothing.
// Parsing runs in the worker pool (a niced thread per core, at most 4). Besides msg/s (which depends on what else the machine
// runs), it prints CPU per message: the main thread's busy time and all threads' CPU (by thread on Linux), which do not.
// Each case first runs BENCH_WARMUP_SECONDS (3) under the same load, unmeasured: a server runs for days, and for the first
// seconds V8 is still compiling the parsers' code paths (V8's helper threads took 1.9 ms of CPU per message without it, 0.9 with).
// BENCH_SECONDS (10) per case; BENCH_CASES=corpus,one-worker,replies,smtp picks cases.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { loadConfig } from '../packages/server/src/config.ts';
import { createDeps, closeDeps } from '../packages/server/src/platform/runtime.ts';
import { createTestDatabase } from '../packages/server/src/testing/test-app.ts';
import { adminToken, freePort, startChildServer } from '../packages/server/src/testing/child-server.ts';
import { newId, newSecret } from '../packages/server/src/platform/ids.ts';
import { ingestMail, registerEmail } from '../packages/server/src/modules/channels/email/index.ts';
import { closeSharedParsePool, defaultPoolSize } from '../packages/server/src/modules/channels/email/parse/parse-pool.ts';
import { execFileSync } from 'node:child_process';
import { sampleThreads, threadCpuSince } from './_thread-cpu.ts';

const engine = process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite';
// Dropping a bench database terminates its sessions; a pooled client that sees that must not end the run.
process.on('uncaughtException', (e) => { if ((e as { code?: string }).code === '57P01') return; console.error(e); process.exit(1); });
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
// BLOB_STORE=disk measures the one-file-per-blob store against the default (database).
const blobStore = process.env.BLOB_STORE === 'disk' ? 'disk' : 'database';
const corpusDir = path.resolve(import.meta.dirname, '../../shared/corpora/mail');

/** Every real message of the shared corpora except the two 1 MB stress bodies (they would dominate the mix). */
const loadCorpus = () => {
  const files: Buffer[] = [];
  for (const sub of ['chatwoot', 'zammad', 'stalwart_mail_parser/rfc', 'mailparser']) {
    const dir = path.join(corpusDir, sub);
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir).filter((x) => /\.(eml|box)$/.test(x) && !/large_text|outofmemory/.test(x))) files.push(fs.readFileSync(path.join(dir, f)));
  }
  return files;
};
/** A fresh copy of a corpus message: new Message-ID, so dedupe does not short-circuit the work. The original
 * Message-ID is renamed once per corpus message (cached), so a copy costs one memcpy, not a regex over the bytes. */
const renamed = new WeakMap<Buffer, Buffer>();
const unique = (raw: Buffer, n: number) => {
  let body = renamed.get(raw);
  if (!body) { body = Buffer.from(raw.toString('latin1').replace(/^Message-ID:/gim, 'X-Original-Message-ID:'), 'latin1'); renamed.set(raw, body); }
  return Buffer.concat([Buffer.from(`Message-ID: <bench-${n}-${newId()}@bench.test>\r\n`, 'latin1'), body]);
};

const memory = () => {
  // memoryUsage.rss() only: the full memoryUsage() walks the heap spaces and cost 1.6% of the measured main thread.
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 20);
  return { stop: () => { clearInterval(timer); return peak; } };
};
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
/** CPU seconds (user + system) a process has used so far, from /proc. */
const cpuOf = (pid: number) => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / Number(execFileSync('getconf', ['CLK_TCK']).toString());
};

const inProcess = async (corpus: Buffer[], label: string, parseWorkers?: number) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'careline-bench-email-'));
  const db = await createTestDatabase();
  const deps = await createDeps(loadConfig({ CARELINE_DATA_DIR: dir, DATABASE_URL: db?.url, LOG_LEVEL: 'error', CARELINE_DEMO: 'off', BLOB_STORE: blobStore, EMAIL_PARSE_WORKERS: parseWorkers === undefined ? undefined : String(parseWorkers) }));
  await closeSharedParsePool(); // the pool is sized when created: a fresh one per run
  registerEmail(deps);
  const inboxId = newId();
  await deps.db.transaction(({ tx }) => tx.insertInto('inboxes').values({
    id: inboxId, name: 'Bench', channel: 'email', business_name: '', greeting: '', email_address: 'support@bench.test',
    public_token: newSecret('', 18), secret: newSecret('cis_'), settings: '{}', created_at: deps.clock.iso(), updated_at: deps.clock.iso(),
  }).execute());
  let events = 0;
  deps.events.onEvent(() => { events++; });
  try {
    let n = 0; let bytes = 0; const stats: Record<string, number> = {};
    /** 32 messages in flight until `seconds` have passed. */
    const drive = (seconds: number) => {
      const end = Date.now() + seconds * 1000;
      return Promise.all(Array.from({ length: 32 }, async () => {
        while (Date.now() < end) {
          const raw = unique(corpus[n % corpus.length]!, n++);
          bytes += raw.length;
          const r = await ingestMail(deps, { inboxId, raw, source: 'smtp' });
          stats[r.status] = (stats[r.status] ?? 0) + 1;
        }
      }));
    };
    // Warm-up under the same load, not measured: V8 keeps compiling the parsers' code paths for a few seconds.
    await drive(warmupSeconds);
    n = 0; bytes = 0; events = 0; for (const k of Object.keys(stats)) delete stats[k];
    const mem = memory();
    const elu = performance.eventLoopUtilization();
    const cpu = process.cpuUsage();
    const threads = sampleThreads();
    const started = performance.now();
    await drive(seconds);
    const elapsed = (performance.now() - started) / 1000;
    const total = Object.values(stats).reduce((a, b) => a + b, 0);
    const mainMs = performance.eventLoopUtilization(elu).active / total;
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000 / total;
    console.log(`[${engine}] in-process ingest, ${label}: ${(total / elapsed).toFixed(0)} messages/s, ${(bytes / elapsed / 1024 / 1024).toFixed(1)} MB/s `
      + `(${corpus.length} messages cycled, 32 in flight, ${seconds}s; ${JSON.stringify(stats)}; ${events} events; RSS peak ${mb(mem.stop())}; `
      + `per message: main thread busy ${mainMs.toFixed(2)} ms, CPU of all threads ${cpuMs.toFixed(2)} ms [${threadCpuSince(threads, total)}]; load ${load()})`);
  } finally {
    await closeDeps(deps);
    await new Promise((r) => setTimeout(r, 500));
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
};

const overSmtp = async (corpus: Buffer[]) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'careline-bench-email-smtp-'));
  const db = await createTestDatabase();
  const smtpPort = await freePort();
  const server = await startChildServer({ CARELINE_DATA_DIR: dir, DATABASE_URL: db?.url, LOG_LEVEL: 'error', EMAIL_SMTP_PORT: String(smtpPort), EMAIL_IMAP_FETCH: 'off', BLOB_STORE: blobStore });
  try {
    const auth = await adminToken(server.url);
    await fetch(`${server.url}/api/v1/inboxes`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify({ name: 'Bench', channel: 'email', emailAddress: 'support@bench.test' }) });
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true, pool: true, maxConnections: 16, maxMessages: Infinity });
    let n = 0; let ok = 0; let failed = 0;
    const drive = (seconds: number) => {
      const end = Date.now() + seconds * 1000;
      return Promise.all(Array.from({ length: 16 }, async () => {
        while (Date.now() < end) {
          const raw = unique(corpus[n % corpus.length]!, n++);
          try { await transport.sendMail({ envelope: { from: 'bench@example.com', to: ['support@bench.test'] }, raw }); ok++; } catch { failed++; }
        }
      }));
    };
    await drive(warmupSeconds);
    ok = 0; failed = 0;
    const cpuBefore = cpuOf(server.process.pid!);
    const threads = sampleThreads(server.process.pid!);
    const started = performance.now();
    await drive(seconds);
    const elapsed = (performance.now() - started) / 1000;
    const serverCpuMs = (cpuOf(server.process.pid!) - cpuBefore) * 1000 / Math.max(1, ok);
    const byThread = threadCpuSince(threads, Math.max(1, ok), server.process.pid!);
    transport.close();
    const status = fs.readFileSync(`/proc/${server.process.pid}/status`, 'utf8');
    const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
    console.log(`[${engine}] over SMTP (nodemailer → listener → 250 after commit): ${(ok / elapsed).toFixed(0)} messages/s (16 connections, ${seconds}s, ${failed} failed; server RSS peak ${mb(hwm)}; server CPU ${serverCpuMs.toFixed(2)} ms per message [${byThread}]; load ${load()})`);
  } finally {
    await server.kill();
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
};

const corpus = loadCorpus();
console.log(`email-ingest on ${os.availableParallelism()} cores (parse pool: ${defaultPoolSize()} worker threads), blob store: ${blobStore}, load before start ${load()}`);
if (!corpus.length) { console.log(`email-ingest: no corpus at ${corpusDir}`); process.exit(0); }
// Typical help-desk traffic: short plain-text replies with a quoted history.
const replies = await Promise.all(Array.from({ length: 200 }, (_, i) => new MailComposer({
  from: `Customer ${i % 50} <c${i % 50}@example.com>`, to: 'support@bench.test', subject: `Re: Order ${i % 50}`,
  text: `Thanks, that helps. The parcel number is ${i}.\n\nOn Mon, 3 Feb 2025 at 10:12, Support <support@bench.test> wrote:\n> Could you send the parcel number?\n> Regards\n`,
  inReplyTo: i >= 50 ? `<bench-${i - 50}@bench.test>` : undefined,
}).compile().build()));
const cases = new Set((process.env.BENCH_CASES ?? 'corpus,one-worker,replies,smtp').split(','));
if (cases.has('corpus')) await inProcess(corpus, 'real corpus (chatwoot, zammad, stalwart, mailparser)');
// One parse worker: what the default was before the workers ran at a lower priority (cores − 1 on 2 cores).
if (cases.has('one-worker')) await inProcess(corpus, 'real corpus, EMAIL_PARSE_WORKERS=1', 1);
if (cases.has('replies')) await inProcess(replies, 'short plain-text replies');
if (cases.has('smtp')) await overSmtp(corpus);
