// Live chat load benchmark: `npx node bench/chat-load.ts [--n 1000,5000,10000] [--interval 10] [--duration 30]`.
// For each N: a fresh Careline server (its own process, embedded SQLite in a temp dir), and a separate
// load-generator process (bench/_chat-load-generator.ts) on loopback with N visitor sockets, each
// sending a message every `interval` seconds, and agents on the realtime socket answering one message
// in four through the REST API. Prints delivery latency p50/p99 both ways, server CPU and memory, errors.
// `--profile <dir>` writes a V8 CPU profile of the server. Bounded in time: connect + one warm-up interval (plus up to
// 60 s until every first message, which opens a conversation, is acknowledged) + `duration` + 3 s grace per N.
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADMIN, adminToken, startChildServer } from '../packages/server/src/testing/child-server.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name: string, fallback: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1]! : fallback; };
const SIZES = arg('n', '1000,5000,10000').split(',').map(Number);
const INTERVAL_MS = Number(arg('interval', '10')) * 1000;
const DURATION_MS = Number(arg('duration', '30')) * 1000;
const AGENTS = Number(arg('agents', '10'));
const REPLY_EVERY = Number(arg('reply-every', '4'));
const PROFILE = arg('profile', '');
const TICKS = 100; // USER_HZ on Linux

const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const cpuTicks = (pid: number) => {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime
};
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

const json = (url: string, method: string, headers: Record<string, string>, body?: unknown) =>
  fetch(url, { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) })
    .then(async (r) => { if (!r.ok) throw new Error(`${method} ${url}: ${r.status} ${await r.text()}`); return r.status === 204 ? null : r.json(); });

const runOnce = async (n: number) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'careline-chat-bench-'));
  const server = await startChildServer({ CARELINE_DATA_DIR: dataDir, DATABASE_URL: undefined, REDIS_URL: undefined, LOG_LEVEL: 'error', ...(PROFILE ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${path.resolve(PROFILE)}` } : {}) });
  const pid = server.process.pid!;
  try {
    const admin = await adminToken(server.url);
    const auth = { authorization: admin.authorization };
    const agents: { authorization: string }[] = [];
    const agentIds: string[] = [];
    for (let k = 0; k < AGENTS; k++) {
      const email = `agent${k}@bench.local`;
      const user: any = await json(`${server.url}/api/v1/users`, 'POST', auth, { email, name: `Agent ${k}`, role: 'agent', password: ADMIN.password });
      await json(`${server.url}/api/v1/users/${user.id}`, 'PATCH', auth, { availability: 'online' });
      agentIds.push(user.id);
    }
    const inbox: any = await json(`${server.url}/api/v1/inboxes`, 'POST', auth, { name: 'Website', channel: 'chat', businessName: 'Bench', memberIds: agentIds });
    for (let k = 0; k < AGENTS; k++) {
      const res = await fetch(`${server.url}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `agent${k}@bench.local`, password: ADMIN.password }) });
      const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
      const tok: any = await json(`${server.url}/api/v1/api-tokens`, 'POST', { cookie, origin: server.url }, { name: 'bench' });
      agents.push({ authorization: `Bearer ${tok.token}` });
    }

    const generator = fork(path.join(here, '_chat-load-generator.ts'), [JSON.stringify({
      base: server.url, token: inbox.publicToken, visitors: n, intervalMs: INTERVAL_MS, durationMs: DURATION_MS,
      replyEvery: REPLY_EVERY, agents, sourceIps: 250,
    })], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let cpu0 = 0; let t0 = 0; let cpu1 = 0; let t1 = 0; let g0 = 0; let g1 = 0; let peakRss = 0;
    const sampler = setInterval(() => { try { peakRss = Math.max(peakRss, rssMb(pid)); } catch { /* exited */ } }, 500);
    // Bounded: connecting (2 min at most), warm-up (one interval + at most a minute), the window, grace.
    const deadlineMs = 120_000 + INTERVAL_MS + 61_000 + DURATION_MS + 3_000 + 10_000;
    const result = await new Promise<any>((resolve, reject) => {
      const deadline = setTimeout(() => { generator.kill('SIGKILL'); reject(new Error(`no result within ${deadlineMs / 1000} s`)); }, deadlineMs);
      generator.on('message', (m: any) => {
        if (m.type === 'result') clearTimeout(deadline);
        if (m.type === 'window-start') { cpu0 = cpuTicks(pid); g0 = cpuTicks(generator.pid!); t0 = performance.now(); }
        if (m.type === 'window-end') { cpu1 = cpuTicks(pid); g1 = cpuTicks(generator.pid!); t1 = performance.now(); }
        if (m.type === 'result') resolve(m.result);
      });
      generator.on('exit', (code) => { if (code) reject(new Error(`load generator exited with ${code}`)); });
    });
    clearInterval(sampler);
    const cpuPct = ((cpu1 - cpu0) / TICKS) / ((t1 - t0) / 1000) * 100;
    const errorCount = Object.values(result.errors as Record<string, number>).reduce((a, b) => a + b, 0) + result.lost.v2a + result.lost.a2v + (n - result.connected);
    return {
      n, connected: result.connected, connectS: (result.connectMs / 1000).toFixed(1),
      msgPerS: (result.sent / (result.windowMs / 1000)).toFixed(0), ackPerS: (result.acks / (result.windowMs / 1000)).toFixed(0), replyPerS: (result.replies / (result.windowMs / 1000)).toFixed(0),
      v2a: `${pct(result.v2a, 50).toFixed(1)} / ${pct(result.v2a, 99).toFixed(1)}`,
      a2v: `${pct(result.a2v, 50).toFixed(1)} / ${pct(result.a2v, 99).toFixed(1)}`,
      ack: `${pct(result.ack, 50).toFixed(1)} / ${pct(result.ack, 99).toFixed(1)}`,
      replyHttp: `${pct(result.replyHttp, 50).toFixed(1)} / ${pct(result.replyHttp, 99).toFixed(1)}`,
      cpu: `${cpuPct.toFixed(0)}%`, generatorCpu: `${(((g1 - g0) / TICKS) / ((t1 - t0) / 1000) * 100).toFixed(0)}%`, rss: `${rssMb(pid).toFixed(0)} MB (peak ${peakRss.toFixed(0)})`,
      errors: errorCount, detail: { ...result.errors, lostV2a: result.lost.v2a, lostA2v: result.lost.a2v },
    };
  } finally {
    await server.kill();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
};

console.log(`chat-load: ${os.cpus().length} CPUs, SQLite, message every ${INTERVAL_MS / 1000} s per visitor, ${AGENTS} agents answering 1 in ${REPLY_EVERY}, ${DURATION_MS / 1000} s window`);
const rows = [];
for (const n of SIZES) {
  try {
    const row = await runOnce(n);
    rows.push(row);
    console.log(JSON.stringify(row));
  } catch (error) {
    console.log(`| ${n} | run failed: ${(error as Error).message} |`);
  }
}
console.log('\n| visitors | connected | msg/s in | replies/s | visitor→agent p50/p99 ms | agent→visitor p50/p99 ms | visitor ack (durable) p50/p99 ms | server CPU | server RSS | errors |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.n} | ${r.connected} | ${r.msgPerS} | ${r.replyPerS} | ${r.v2a} | ${r.a2v} | ${r.ack} | ${r.cpu} | ${r.rss} | ${r.errors} |`);
