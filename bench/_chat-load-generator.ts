// Load generator for bench/chat-load.ts, run as its own process (so its CPU is not the server's).
// N visitors (HTTP session + WebSocket, spread over many loopback source addresses like real visitors
// behind many IPs), each sending a message every `intervalMs`; agents on the agent realtime socket
// replying to one message in `replyEvery` through the REST API. Reports latencies both ways and errors.
import http from 'node:http';
import WebSocket from 'ws';

type Job = {
  base: string; token: string; visitors: number; intervalMs: number; durationMs: number; replyEvery: number;
  agents: { authorization: string }[]; sourceIps: number;
};
type Result = {
  visitors: number; connected: number; connectMs: number; sent: number; acks: number; replies: number;
  v2a: number[]; a2v: number[]; ack: number[]; replyHttp: number[]; errors: Record<string, number>; lost: { v2a: number; a2v: number }; windowMs: number;
};

const job = JSON.parse(process.argv[2]!) as Job;
const url = new URL(job.base);
const errors: Record<string, number> = {};
const err = (k: string) => { errors[k] = (errors[k] ?? 0) + 1; };
const ipOf = (i: number) => `127.0.${1 + Math.floor((i % job.sourceIps) / 250)}.${1 + ((i % job.sourceIps) % 250)}`;

// Agents keep their connections open, as a browser does; each visitor's one session request uses its own.
const agentPool = new http.Agent({ keepAlive: true, maxSockets: 32 });
const post = (path: string, body: unknown, headers: Record<string, string>, localAddress?: string) => new Promise<{ status: number; json: any }>((resolve, reject) => {
  const data = Buffer.from(JSON.stringify(body));
  const req = http.request({ host: url.hostname, port: url.port, path, method: 'POST', localAddress, agent: localAddress ? false : agentPool, headers: { 'content-type': 'application/json', 'content-length': String(data.length), ...headers } }, (res) => {
    const chunks: Buffer[] = [];
    res.on('data', (c) => chunks.push(c));
    res.on('end', () => { try { resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString() || '{}') }); } catch (e) { reject(e); } });
  });
  req.on('error', reject);
  req.end(data);
});

/** Runs fn over items with at most `limit` in flight. */
const pool = async <T>(items: T[], limit: number, fn: (item: T) => Promise<void>) => {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => { while (next < items.length) await fn(items[next++]!); }));
};

type Visitor = { i: number; ws: WebSocket; seq: number; timer?: NodeJS.Timeout };
const visitors: Visitor[] = [];
const sentAt = new Map<string, number>(); // clientId → send time (visitor → agent)
const ackAt = new Map<string, number>(); // clientId → send time (visitor → its ack: the message is durable)
const replyAt = new Map<string, number>(); // reply key → send time (agent → visitor)
const v2a: number[] = [];
const a2v: number[] = [];
const ack: number[] = [];
const replyHttp: number[] = []; // how long the agent's POST /reply took (the rest of a2v is delivery)
let measuring = false;
let sent = 0;
let replies = 0;
let received = 0;
let acks = 0; // the server's acknowledgements of visitor messages
let warmAcks = 0;
const conversationOf = new Map<string, string>(); // clientId prefix (visitor) → conversation id

const main = async () => {
  // Agents: realtime sockets (agent 0 measures visitor → agent delivery).
  const agentSockets = await Promise.all(job.agents.map((a, k) => new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(`ws://${url.host}/api/v1/realtime`, { headers: { authorization: a.authorization } });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.on('close', (code, reason) => err(`agent socket closed ${code} ${String(reason)}`));
    if (k === 0) ws.on('message', (raw) => {
      const s = String(raw);
      if (!s.includes('"message.created"')) return;
      const m = JSON.parse(s).event?.data?.message;
      const clientId = m?.metadata?.clientId as string | undefined;
      if (!clientId || m.kind !== 'incoming') return;
      const at = sentAt.get(clientId);
      if (at === undefined) return;
      sentAt.delete(clientId);
      const vi = clientId.slice(0, clientId.indexOf('-'));
      conversationOf.set(vi, m.conversationId);
      if (measuring) v2a.push(performance.now() - at);
      // Agents answer one message in `replyEvery`.
      if (measuring && ++received % job.replyEvery === 0) void reply(m.conversationId, `${vi}-${replies}`);
    });
  })));
  let agentTurn = 0;
  const reply = async (conversationId: string, key: string) => {
    replies++;
    const agent = job.agents[agentTurn++ % job.agents.length]!;
    const at = performance.now();
    replyAt.set(key, at);
    try {
      const res = await post(`/api/v1/conversations/${conversationId}/reply`, { text: `re ${key}` }, { authorization: agent.authorization });
      if (measuring) replyHttp.push(performance.now() - at);
      if (res.status !== 201) err(`reply HTTP ${res.status}`);
    } catch { err('reply network'); }
  };

  // Visitors: session over HTTP, then the socket.
  const t0 = performance.now();
  await pool(Array.from({ length: job.visitors }, (_, i) => i), 200, async (i) => {
    const localAddress = ipOf(i);
    try {
      const s = await post('/widget-api/sessions', { token: job.token, name: `Visitor ${i}` }, {}, localAddress);
      if (s.status !== 200) { err(`session HTTP ${s.status}`); return; }
      const ws = new WebSocket(`ws://${url.host}/widget-api/socket`, { localAddress });
      await new Promise<void>((resolve, reject) => {
        // A socket that never says ready (or closes first) counts as a failed connect instead of stalling the run.
        const timer = setTimeout(() => { ws.terminate(); reject(new Error('timeout')); }, 30_000);
        ws.once('error', reject);
        ws.once('close', () => { clearTimeout(timer); reject(new Error('closed')); });
        ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', visitorToken: s.json.visitorToken, after: null })));
        ws.on('message', (raw) => {
          const s = String(raw);
          if (s.startsWith('{"type":"ready"')) { clearTimeout(timer); resolve(); return; }
          if (s.startsWith('{"type":"error"')) { err(`frame ${JSON.parse(s).code}`); return; }
          if (s.startsWith('{"type":"ack"')) {
            if (!measuring) { warmAcks++; return; }
            acks++;
            const clientId = /"clientId":"([^"]+)"/.exec(s)?.[1];
            const at = clientId === undefined ? undefined : ackAt.get(clientId);
            if (at !== undefined) { ackAt.delete(clientId!); ack.push(performance.now() - at); }
            return;
          }
          if (!s.startsWith('{"type":"message"')) return;
          const m = JSON.parse(s).message;
          if (m.kind !== 'outgoing' || !m.text.startsWith('re ')) return;
          const at = replyAt.get(m.text.slice(3));
          if (at === undefined) return;
          replyAt.delete(m.text.slice(3));
          if (measuring) a2v.push(performance.now() - at);
        });
        ws.on('close', () => { if (measuring) err('visitor socket closed'); });
      });
      visitors.push({ i, ws, seq: 0 });
    } catch { err('visitor connect'); }
  });
  const connectMs = performance.now() - t0;
  const progress = (what: string) => console.error(`  [${((performance.now() - t0) / 1000).toFixed(0)} s] ${what}`);
  progress(`${visitors.length} visitors connected`);

  // Each visitor sends at a random phase, then every intervalMs. The first round is warm-up (it opens
  // the conversations) and is not measured.
  const send = (v: Visitor) => {
    const clientId = `${v.i}-${++v.seq}`;
    const at = performance.now();
    sentAt.set(clientId, at);
    if (measuring) { sent++; ackAt.set(clientId, at); }
    v.ws.send(JSON.stringify({ type: 'message', clientId, text: `Hello from visitor ${v.i}, message ${v.seq}` }));
  };
  for (const v of visitors) setTimeout(() => { send(v); v.timer = setInterval(() => send(v), job.intervalMs); }, Math.random() * job.intervalMs);
  // Warm-up: every visitor's first message opens a conversation (all N within one interval, a burst no
  // real site sees); measuring starts once those are all acknowledged (at most a minute more).
  await new Promise((r) => setTimeout(r, job.intervalMs + 1000));
  const warmUntil = performance.now() + 60_000;
  while (warmAcks < visitors.length && performance.now() < warmUntil) await new Promise((r) => setTimeout(r, 100));
  progress(`${warmAcks} first messages acknowledged${warmAcks < visitors.length ? ' (gave up waiting for the rest)' : ''}`);
  sentAt.clear();
  measuring = true;
  process.send!({ type: 'window-start' });
  const w0 = performance.now();
  await new Promise((r) => setTimeout(r, job.durationMs));
  for (const v of visitors) clearInterval(v.timer);
  const windowMs = performance.now() - w0;
  process.send!({ type: 'window-end' });
  // Grace for in-flight deliveries, then what never arrived is lost.
  await new Promise((r) => setTimeout(r, 3000));
  measuring = false;
  const result: Result = {
    visitors: job.visitors, connected: visitors.length, connectMs, sent, acks, replies, v2a, a2v, ack, replyHttp, errors,
    lost: { v2a: sentAt.size, a2v: replyAt.size }, windowMs,
  };
  progress('window over, sending the result');
  // Exit only once the result has been handed to the parent: exiting on a timer lost it when the pipe was slow.
  process.send!({ type: 'result', result }, () => {
    for (const v of visitors) v.ws.terminate();
    for (const a of agentSockets) a.terminate();
    process.exit(0);
  });
};

main().catch((e) => { console.error(e); process.exit(1); });
