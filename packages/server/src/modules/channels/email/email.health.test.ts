import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '@careline/shared';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';
import { makeFactories } from '../../../testing/factories.ts';
import { fixedClock } from '../../../platform/clock.ts';
import { fromJson } from '../../../db/dialect.ts';
import { checkEmailHealth } from './operations/health.ts';
import { composeMail, postRawMail } from './testing/mail.ts';

// Mail that silently stops arriving: after alertAfterMinutes without success, admins hear about it once.
const clock = fixedClock(new Date('2025-03-01T08:00:00Z'));
let t: TestApp;
let f: ReturnType<typeof makeFactories>;
let inbox: { id: string; secret: string };
let admin: { cookie: string; email: string };
let agent: { cookie: string };
const events: DomainEvent[] = [];

beforeAll(async () => {
  t = await createTestApp({ clock });
  f = makeFactories(t);
  const agentUser = await f.user({ role: 'agent' });
  inbox = await f.inbox({ channel: 'email', emailAddress: 'support@acme.test', name: 'Support', memberIds: [agentUser.id] });
  const adminUser = await f.user({ role: 'admin', email: 'boss@acme.test' });
  admin = { ...(await f.session(adminUser)), email: adminUser.email };
  agent = await f.session(agentUser);
  t.deps.events.onEvent((e) => events.push(e));
  await t.app.inject({ method: 'PUT', url: `/api/v1/inboxes/${inbox.id}/email-settings`, headers: { cookie: admin.cookie }, payload: { alertAfterMinutes: 30 } });
});
afterAll(() => t?.close());

const health = async (who: { cookie: string } = admin) => (await t.app.inject({ method: 'GET', url: `/api/v1/inboxes/${inbox.id}/email-health`, headers: { cookie: who.cookie } })).json();
const systemMails = async () => (await t.deps.db.kysely.selectFrom('jobs').select('payload').where('queue', '=', 'system-mail.send').execute())
  .map((j) => fromJson<{ to: string; subject: string; text: string }>(j.payload, { to: '', subject: '', text: '' }));
const receive = async (subject: string) => {
  const res = await postRawMail(t, inbox, await composeMail({ from: 'x@example.com', to: 'support@acme.test', subject, text: 'hi', messageId: `<${subject.replace(/\W/g, '')}@example.com>` }));
  expect(res.statusCode).toBe(202);
};

describe('email channel health', () => {
  it('shows the last message, volume and state to agents of the inbox', async () => {
    await receive('one');
    await receive('two');
    const h = await health(agent);
    expect(h).toMatchObject({ state: 'ok', messagesLastHour: 2, lastReceivedAt: '2025-03-01T08:00:00.000Z', alertAfterMinutes: 30, lastError: null });
  });

  it('warns admins once (realtime event + email) after the configured silence, and announces recovery', async () => {
    clock.advance(31 * 60_000);
    expect((await health()).state).toBe('warning');
    expect(await checkEmailHealth(t.deps)).toEqual([inbox.id]);
    await new Promise((r) => setTimeout(r, 10));
    const warned = events.filter((e) => e.name === 'inbox.health_changed');
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ inboxId: inbox.id, data: { health: { state: 'warning', messagesLastHour: 2 } } });
    const mails = await systemMails();
    expect(mails.map((m) => m.to)).toEqual([admin.email]);
    expect(mails[0]!.subject).toContain('no mail received in "Support"');

    // Still silent: no second warning.
    clock.advance(10 * 60_000);
    expect(await checkEmailHealth(t.deps)).toEqual([]);
    expect(await systemMails()).toHaveLength(1);

    await receive('three');
    await checkEmailHealth(t.deps);
    await new Promise((r) => setTimeout(r, 10));
    const after = events.filter((e) => e.name === 'inbox.health_changed');
    expect(after).toHaveLength(2);
    expect(after[1]!.data).toMatchObject({ health: { state: 'ok', warnedAt: null } });
    expect((await health()).state).toBe('ok');
  });
});
