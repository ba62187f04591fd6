import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { adminToken, freePort, startChildServer, type ChildServer } from '../../../testing/child-server.ts';
import { createTestDatabase } from '../../../testing/test-app.ts';
import { openDatabase } from '../../../db/connection.ts';

/**
 * The real server in its own process (node main.ts), mail streaming in over SMTP from several
 * clients, SIGKILL mid-stream: every message that got "250" must be there exactly once after restart,
 * and a client re-sending everything (as MTAs do for unanswered mail) must not create duplicates.
 */
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'careline-email-kill-'));
let pgdb: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ChildServer | null = null;
afterAll(async () => { await server?.kill('SIGKILL'); await pgdb?.drop(); fs.rmSync(dataDir, { recursive: true, force: true }); });

describe('SMTP durability', () => {
  it('keeps every 250-acknowledged message exactly once across SIGKILL and restart', async () => {
    pgdb = await createTestDatabase();
    const smtpPort = await freePort();
    const env = { CARELINE_DATA_DIR: dataDir, DATABASE_URL: pgdb?.url, EMAIL_SMTP_PORT: String(smtpPort), EMAIL_IMAP_FETCH: 'off' };
    server = await startChildServer(env);
    const auth = await adminToken(server.url);
    const created = await fetch(`${server.url}/api/v1/inboxes`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: auth.authorization },
      body: JSON.stringify({ name: 'Support', channel: 'email', emailAddress: 'support@acme.test' }),
    });
    expect(created.status).toBe(201);

    const acked = new Set<string>();
    const attempted: string[] = [];
    let killed = false;
    const client = async (n: number) => {
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true, pool: true, maxConnections: 1 });
      for (let i = 0; !killed; i++) {
        const id = `k${n}-${i}@durability.test`;
        attempted.push(id);
        try {
          const info = await transport.sendMail({ from: `c${n}@example.com`, to: 'support@acme.test', subject: `Stream ${n}/${i}`, text: `message ${i} of client ${n}\n`.repeat(20), messageId: `<${id}>` });
          if (/^250 /.test(info.response)) acked.add(id);
        } catch { break; }
      }
      transport.close();
    };
    const clients = Array.from({ length: 6 }, (_, n) => client(n));
    while (acked.size < 150) await new Promise((r) => setTimeout(r, 20));
    killed = true;
    await server.kill('SIGKILL');
    await Promise.all(clients);
    expect(acked.size).toBeGreaterThanOrEqual(150);

    server = await startChildServer(env);
    // Senders retry what was not acknowledged; some of it may already be stored. Re-send everything.
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true, pool: true, maxConnections: 4 });
    await Promise.all(attempted.map((id) => {
      const [n, i] = id.slice(1).split('@')[0]!.split('-');
      return transport.sendMail({ from: `c${n}@example.com`, to: 'support@acme.test', subject: `Stream ${n}/${i}`, text: `message ${i} of client ${n}\n`.repeat(20), messageId: `<${id}>` });
    }));
    transport.close();
    await server.kill('SIGTERM');
    server = null;

    const db = await openDatabase({ databaseUrl: pgdb?.url, dataDir, migrate: false });
    try {
      const rows = await db.kysely.selectFrom('email_messages').innerJoin('messages', 'messages.id', 'email_messages.message_id')
        .select(['email_messages.header_message_id']).where('email_messages.direction', '=', 'in').execute();
      const counts = new Map<string, number>();
      for (const r of rows) counts.set(r.header_message_id!, (counts.get(r.header_message_id!) ?? 0) + 1);
      for (const id of acked) expect(counts.get(id), id).toBe(1);
      for (const id of attempted) expect(counts.get(id), id).toBe(1);
      expect(rows.length).toBe(attempted.length);
    } finally { await db.close(); }
  }, 120_000);
});
