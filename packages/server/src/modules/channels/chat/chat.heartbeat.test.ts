import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';
import { makeFactories } from '../../../testing/factories.ts';

// The hub pings every widget socket once per CHAT_HEARTBEAT_SECONDS and drops one that did not answer the last ping
// (a laptop closed mid-chat, a proxy that ate the connection): its visitor then counts as gone.
let t: TestApp;
let base: string;
let publicToken: string;
const SHOP = { origin: 'https://shop.example.com' };

beforeAll(async () => {
  t = await createTestApp({ env: { CHAT_HEARTBEAT_SECONDS: '1' } });
  const inbox = await makeFactories(t).inbox({ channel: 'chat', settings: { allowedOrigins: ['https://shop.example.com'] } });
  publicToken = inbox.publicToken;
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
});
afterAll(() => t?.close());

const openVisitor = async (autoPong: boolean) => {
  const session = await t.app.inject({ method: 'POST', url: '/widget-api/sessions', headers: SHOP, payload: { token: publicToken, name: 'Pat' } });
  const ws = new WebSocket(`ws://${base}/widget-api/socket`, { headers: SHOP, autoPong });
  const pings: number[] = [];
  ws.on('ping', () => pings.push(Date.now()));
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); });
  const ready = new Promise<void>((resolve) => ws.on('message', (raw) => { if (JSON.parse(String(raw)).type === 'ready') resolve(); }));
  ws.send(JSON.stringify({ type: 'hello', visitorToken: session.json().visitorToken, after: null }));
  await ready;
  return { ws, pings, closed };
};

describe('widget socket heartbeat', () => {
  it('drops a socket that stops answering pings and keeps one that answers', async () => {
    const silent = await openVisitor(false);
    const healthy = await openVisitor(true);
    // Within two periods (plus the slice it landed in) the silent socket has missed a ping and is cut off.
    const code = await Promise.race([silent.closed, new Promise<number>((r) => setTimeout(() => r(-1), 5000))]);
    expect(code).not.toBe(-1);
    expect(silent.pings.length).toBeGreaterThanOrEqual(1);
    expect(healthy.ws.readyState).toBe(WebSocket.OPEN);
    // The healthy one keeps being pinged and stays.
    await new Promise((r) => setTimeout(r, 1500));
    expect(healthy.pings.length).toBeGreaterThanOrEqual(2);
    expect(healthy.ws.readyState).toBe(WebSocket.OPEN);
    healthy.ws.close();
  });
});
