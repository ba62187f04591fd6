import type { Role } from '@careline/shared';
import type { TestApp } from './test-app.ts';
import { TEST_PASSWORD, testPasswordHash } from './test-app.ts';
import { newId, newSecret } from '../platform/ids.ts';
import { toJson } from '../db/dialect.ts';
import { systemCtx } from '../platform/context.ts';
import { insertConversation } from '../modules/conversations/index.ts';

/**
 * `api(who, 'POST', '/conversations', body)`: an HTTP call through the app as a signed-in user (or
 * anonymously with null); paths without `/api/` are under /api/v1.
 */
export const apiCaller = (t: TestApp) => (who: { cookie: string } | null, method: string, url: string, payload?: unknown) =>
  t.app.inject({ method: method as 'GET', url: url.startsWith('/api/') ? url : `/api/v1${url}`, headers: who ? { cookie: who.cookie } : {}, payload: payload as object });

/** Factories with defaults and overrides; they write through the real database. */
export const makeFactories = (t: TestApp) => {
  const db = t.deps.db;
  const now = () => t.deps.clock.iso();
  let n = 0;
  const seq = () => `${Date.now().toString(36)}${++n}`;

  const user = async (o: { role?: Role; name?: string; email?: string; inboxIds?: string[]; teamIds?: string[] } = {}) => {
    const id = newId();
    const email = o.email ?? `user${seq()}@test.local`;
    const hash = await testPasswordHash();
    await db.transaction(async ({ tx }) => {
      await tx.insertInto('users').values({ id, email, name: o.name ?? `User ${n}`, role: o.role ?? 'agent', password_hash: hash, language: 'en', time_zone: 'UTC', availability: 'online', is_disabled: false, created_at: now(), updated_at: now() }).execute();
      for (const inboxId of o.inboxIds ?? []) await tx.insertInto('inbox_members').values({ inbox_id: inboxId, user_id: id }).execute();
      for (const teamId of o.teamIds ?? []) await tx.insertInto('team_members').values({ team_id: teamId, user_id: id }).execute();
    });
    return { id, email, password: TEST_PASSWORD, role: o.role ?? 'agent' };
  };

  const inbox = async (o: { channel?: string; name?: string; emailAddress?: string | null; memberIds?: string[]; settings?: Record<string, unknown> } = {}) => {
    const id = newId(); const secret = newSecret('cis_'); const publicToken = newSecret('', 18);
    await db.transaction(async ({ tx }) => {
      await tx.insertInto('inboxes').values({ id, name: o.name ?? `Inbox ${seq()}`, channel: o.channel ?? 'api', business_name: 'Test Co', greeting: 'Hi', email_address: o.emailAddress ?? null, public_token: publicToken, secret, settings: toJson(o.settings ?? {}), created_at: now(), updated_at: now() }).execute();
      for (const userId of o.memberIds ?? []) await tx.insertInto('inbox_members').values({ inbox_id: id, user_id: userId }).execute();
    });
    return { id, secret, publicToken };
  };

  const conversation = async (o: { inboxId: string; email?: string; text?: string; subject?: string; assigneeId?: string | null; tags?: string[] }) => {
    const ctx = systemCtx(t.deps);
    const { conversation } = await db.transaction((w) => insertConversation(w, ctx, {
      inboxId: o.inboxId, subject: o.subject ?? 'Help', assigneeId: o.assigneeId ?? null, tags: o.tags,
      contact: { name: 'Customer', identities: [{ kind: 'email', value: o.email ?? `customer${seq()}@example.com` }] },
    }, { kind: 'incoming', text: o.text ?? 'Hello, I need help' }));
    return conversation;
  };

  /** Signs in over HTTP and returns headers that carry the session cookie. */
  const session = async (u: { email: string; password: string }) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: u.email, password: u.password } });
    if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
    const cookie = String(res.headers['set-cookie']).split(';')[0]!;
    return { cookie };
  };

  return { user, inbox, conversation, session };
};
