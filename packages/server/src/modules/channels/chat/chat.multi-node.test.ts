import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ENV_DATABASE_URL, ENV_REDIS_URL } from '../../../testing/test-app.ts';
import { adminToken, startChildServer, type ChildServer } from '../../../testing/child-server.ts';
import { connectSocket } from '../../../testing/ws-client.ts';

// Two server processes on one PostgreSQL and one Redis: a visitor on node A, an agent on node B.
const enabled = !!(ENV_DATABASE_URL && ENV_REDIS_URL);

describe.skipIf(!enabled)('live chat across two nodes (PostgreSQL + Redis)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let a: ChildServer;
  let b: ChildServer;
  const dirs: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = (name: string) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `careline-chat-${name}-`));
      dirs.push(dir);
      return { DATABASE_URL: db!.url, REDIS_URL: ENV_REDIS_URL, CARELINE_DATA_DIR: dir };
    };
    a = await startChildServer(env('a'));
    b = await startChildServer(env('b'));
  }, 90_000);
  afterAll(async () => {
    await a?.kill(); await b?.kill();
    await db?.drop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('a visitor on node A and an agent on node B chat in real time, and the visitor can resume on node B', async () => {
    const admin = await adminToken(b.url);
    const json = { 'content-type': 'application/json' };
    const inbox = await (await fetch(`${b.url}/api/v1/inboxes`, { method: 'POST', headers: { ...json, authorization: admin.authorization }, body: JSON.stringify({ name: 'Site', channel: 'chat', businessName: 'Shop' }) })).json() as { publicToken: string };
    const session = await (await fetch(`${a.url}/widget-api/sessions`, { method: 'POST', headers: json, body: JSON.stringify({ token: inbox.publicToken, name: 'Nina' }) })).json() as { visitorToken: string };

    const agentWs = await connectSocket(`ws://127.0.0.1:${b.port}/api/v1/realtime`, { cookie: admin.cookie });
    await agentWs.waitFor((m) => m.type === 'ready');
    const visitor = await connectSocket(`ws://127.0.0.1:${a.port}/widget-api/socket`, {});
    visitor.send({ type: 'hello', visitorToken: session.visitorToken });
    await visitor.waitFor((m) => m.type === 'ready');

    visitor.send({ type: 'message', clientId: 'm1', text: 'Hello from node A' });
    const created = await agentWs.waitFor((m) => m.type === 'event' && m.event.name === 'message.created' && m.event.data.message.text === 'Hello from node A', 10_000);
    const conversationId = created.event.data.conversationId as string;

    visitor.send({ type: 'typing', isTyping: true });
    await agentWs.waitFor((m) => m.type === 'presence' && m.conversationId === conversationId && m.state === 'typing' && m.user.id === 'visitor', 10_000);

    const reply = await fetch(`${b.url}/api/v1/conversations/${conversationId}/reply`, { method: 'POST', headers: { ...json, authorization: admin.authorization }, body: JSON.stringify({ text: 'Answer from node B' }) });
    expect(reply.status).toBe(201);
    const live = await visitor.waitFor((m) => m.type === 'message' && m.message.text === 'Answer from node B', 10_000);
    visitor.socket.terminate();

    await fetch(`${b.url}/api/v1/conversations/${conversationId}/reply`, { method: 'POST', headers: { ...json, authorization: admin.authorization }, body: JSON.stringify({ text: 'Second answer while away' }) });
    const resumed = await connectSocket(`ws://127.0.0.1:${b.port}/widget-api/socket`, {});
    resumed.send({ type: 'hello', visitorToken: session.visitorToken, after: live.message.id });
    await resumed.waitFor((m) => m.type === 'message' && m.message.text === 'Second answer while away', 10_000);
    expect(resumed.messages.filter((m) => m.type === 'message').map((m) => m.message.text)).toEqual(['Second answer while away']);
    resumed.close(); agentWs.close();
  }, 60_000);
});
