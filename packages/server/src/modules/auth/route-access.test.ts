import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { makeFactories } from '../../testing/factories.ts';
import type { Access } from '../../platform/auth/access.ts';

/**
 * Every /api/v1 route × every role. A new route must be added to EXPECTED (or this suite fails), and
 * its declared rule must match: anonymous → 401, a role below the rule → 403, an allowed role is let in.
 * Agents asking for a conversation outside their inboxes get 404, as if it did not exist.
 */
const EXPECTED: Record<string, Access> = {
  'POST /api/v1/auth/sign-in': 'public',
  'POST /api/v1/auth/sign-out': 'user',
  'GET /api/v1/auth/session': 'user',
  'GET /api/v1/api-tokens': 'user',
  'POST /api/v1/api-tokens': 'user',
  'DELETE /api/v1/api-tokens/:id': 'user',
  'GET /api/v1/users': 'user',
  'POST /api/v1/users': 'admin',
  'GET /api/v1/users/:id': 'user',
  'PATCH /api/v1/users/:id': 'admin',
  'DELETE /api/v1/users/:id': 'admin',
  'GET /api/v1/profile': 'user',
  'PATCH /api/v1/profile': 'user',
  'GET /api/v1/teams': 'user',
  'POST /api/v1/teams': 'supervisor',
  'GET /api/v1/teams/:id': 'user',
  'PATCH /api/v1/teams/:id': 'supervisor',
  'DELETE /api/v1/teams/:id': 'supervisor',
  'GET /api/v1/inboxes': 'user',
  'POST /api/v1/inboxes': 'admin',
  'GET /api/v1/inboxes/:id': 'user',
  'PATCH /api/v1/inboxes/:id': 'admin',
  'POST /api/v1/inboxes/:id/rotate-secret': 'admin',
  'DELETE /api/v1/inboxes/:id': 'admin',
  'GET /api/v1/contacts': 'user',
  'POST /api/v1/contacts': 'user',
  'GET /api/v1/contacts/:id': 'user',
  'PATCH /api/v1/contacts/:id': 'user',
  'DELETE /api/v1/contacts/:id': 'supervisor',
  'POST /api/v1/contacts/:id/merge': 'user',
  'GET /api/v1/organizations': 'user',
  'POST /api/v1/organizations': 'user',
  'GET /api/v1/organizations/:id': 'user',
  'PATCH /api/v1/organizations/:id': 'user',
  'DELETE /api/v1/organizations/:id': 'supervisor',
  'GET /api/v1/conversations': 'user',
  'POST /api/v1/conversations': 'user',
  'GET /api/v1/conversations/:id': 'user',
  'PATCH /api/v1/conversations/:id': 'user',
  'POST /api/v1/conversations/:id/reply': 'user',
  'POST /api/v1/conversations/:id/notes': 'user',
  'POST /api/v1/conversations/:id/assign': 'user',
  'POST /api/v1/conversations/:id/tags': 'user',
  'DELETE /api/v1/conversations/:id/tags': 'user',
  'POST /api/v1/conversations/:id/merge': 'user',
  'GET /api/v1/conversations/counts': 'user',
  'GET /api/v1/conversations/row-details': 'user',
  'POST /api/v1/conversations/:id/read': 'user',
  'POST /api/v1/conversations/:id/messages/:messageId/split': 'user',
  'GET /api/v1/custom-statuses': 'user',
  'POST /api/v1/custom-statuses': 'admin',
  'DELETE /api/v1/custom-statuses/:id': 'admin',
  'POST /api/v1/attachments': 'user',
  'GET /api/v1/attachments/:id': 'user',
  'GET /api/v1/webhooks': 'admin',
  'POST /api/v1/webhooks': 'admin',
  'GET /api/v1/webhooks/:id': 'admin',
  'PATCH /api/v1/webhooks/:id': 'admin',
  'DELETE /api/v1/webhooks/:id': 'admin',
  'GET /api/v1/webhooks/:id/deliveries': 'admin',
  'POST /api/v1/webhooks/:id/deliveries/:deliveryId/redeliver': 'admin',
  'GET /api/v1/audit': 'supervisor',
  'GET /api/v1/canned-replies': 'user',
  'POST /api/v1/canned-replies': 'supervisor',
  'PATCH /api/v1/canned-replies/:id': 'supervisor',
  'DELETE /api/v1/canned-replies/:id': 'supervisor',
  'GET /api/v1/notifications/vapid-public-key': 'user',
  'POST /api/v1/notifications/subscriptions': 'user',
  'DELETE /api/v1/notifications/subscriptions': 'user',
  'GET /api/v1/notifications/preferences': 'user',
  'PATCH /api/v1/notifications/preferences': 'user',
  'POST /api/v1/inboxes/:id/mail': 'public',
  'GET /api/v1/inboxes/:id/email-settings': 'admin',
  'PUT /api/v1/inboxes/:id/email-settings': 'admin',
  'GET /api/v1/inboxes/:id/email-health': 'user',
  'POST /api/v1/inboxes/:id/email-backfill': 'admin',
  'GET /api/v1/inboxes/:id/email-backfill': 'admin',
  'GET /api/v1/inboxes/:id/email-signature': 'user',
  'PUT /api/v1/inboxes/:id/email-signature': 'user',
  'GET /api/v1/conversations/:id/email': 'user',
  'POST /api/v1/conversations/:id/email-reply': 'user',
  'POST /api/v1/conversations/:id/forward': 'user',
  'POST /api/v1/email/outbound': 'user',
  'GET /api/v1/email/messages/:id/raw': 'user',
  'GET /api/v1/realtime': 'user',
  'GET /api/v1/knowledge/categories': 'user',
  'POST /api/v1/knowledge/categories': 'supervisor',
  'PATCH /api/v1/knowledge/categories/:id': 'supervisor',
  'DELETE /api/v1/knowledge/categories/:id': 'supervisor',
  'GET /api/v1/knowledge/articles': 'user',
  'POST /api/v1/knowledge/articles': 'user',
  'GET /api/v1/knowledge/articles/:id': 'user',
  'PATCH /api/v1/knowledge/articles/:id': 'user',
  'DELETE /api/v1/knowledge/articles/:id': 'supervisor',
  'PUT /api/v1/knowledge/articles/:id/translations/:lang': 'user',
  'POST /api/v1/knowledge/articles/:id/translations/:lang/status': 'user',
  'DELETE /api/v1/knowledge/articles/:id/translations/:lang': 'supervisor',
  'GET /api/v1/knowledge/articles/:id/revisions': 'user',
  'POST /api/v1/knowledge/articles/:id/revisions/:revisionId/restore': 'user',
  'GET /api/v1/knowledge/search': 'user',
  'GET /api/v1/knowledge/suggestions': 'user',
  'GET /api/v1/knowledge/reports/deflection': 'supervisor',
  'GET /api/v1/knowledge/settings': 'user',
  'PATCH /api/v1/knowledge/settings': 'admin',
};

/** Bodies valid enough to get past validation, so the visibility rule is what answers. */
const SAMPLE: Record<string, (ids: { other: string }) => unknown> = {
  'POST /api/v1/conversations/:id/reply': () => ({ text: 'hi' }),
  'POST /api/v1/conversations/:id/notes': () => ({ text: 'hi' }),
  'POST /api/v1/conversations/:id/assign': () => ({ teamId: null }),
  'POST /api/v1/conversations/:id/tags': () => ({ tags: ['x'] }),
  'DELETE /api/v1/conversations/:id/tags': () => ({ tags: ['x'] }),
  'POST /api/v1/conversations/:id/merge': ({ other }) => ({ sourceId: other }),
  'PATCH /api/v1/conversations/:id': () => ({ priority: 'high' }),
  'POST /api/v1/conversations/:id/email-reply': () => ({ text: 'hi' }),
  'POST /api/v1/conversations/:id/forward': () => ({ to: ['someone@example.com'] }),
};

const RANK: Record<string, number> = { agent: 0, supervisor: 1, admin: 2 };
const NEEDED: Record<Exclude<Access, 'public'>, number> = { user: 0, supervisor: 1, admin: 2 };

let t: TestApp;
const sessions: Record<string, { cookie: string }> = {};
/** Sign-out ends the session it is called with, so it gets a spare one. */
const spare: Record<string, { cookie: string }> = {};
let hidden: string; let hidden2: string;

beforeAll(async () => {
  t = await createTestApp();
  const f = makeFactories(t);
  const mine = await f.inbox();
  const theirs = await f.inbox();
  for (const role of ['admin', 'supervisor', 'agent'] as const) {
    const u = await f.user({ role, inboxIds: [mine.id] });
    sessions[role] = await f.session(u);
    spare[role] = await f.session(u);
  }
  hidden = (await f.conversation({ inboxId: theirs.id, email: 'hidden@example.com' })).id;
  hidden2 = (await f.conversation({ inboxId: theirs.id, email: 'hidden@example.com' })).id;
});
afterAll(() => t?.close());

const routes = () => t.app.routeTable.filter((r) => r.url.startsWith('/api/v1'));
const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
const fill = (url: string, id: string) => url.replace(/:[a-zA-Z]+/g, id);
const call = (method: string, url: string, headers: Record<string, string>, payload?: unknown) =>
  t.app.inject({ method: method as 'GET', url, headers, ...(payload !== undefined ? { payload: payload as object } : method === 'GET' || method === 'DELETE' ? {} : { payload: {} }) });

describe('route access rules', () => {
  it('every route has an expected rule, and every expected rule a route', () => {
    const declared = Object.fromEntries(routes().map((r) => [key(r), r.access]));
    expect(declared).toEqual(EXPECTED);
  });

  it('anonymous callers get 401 on every non-public route', async () => {
    for (const r of routes()) {
      const res = await call(r.method, fill(r.url, crypto.randomUUID()), {});
      // Public routes may still check a credential of their own (an inbox secret): they only must not fail.
      if (EXPECTED[key(r)] === 'public') expect(res.statusCode, key(r)).toBeLessThan(500);
      else expect([key(r), res.statusCode]).toEqual([key(r), 401]);
    }
  });

  for (const role of ['agent', 'supervisor', 'admin']) {
    it(`${role}: 403 below the rule, let in at or above it, never a 5xx`, async () => {
      for (const r of routes()) {
        const rule = EXPECTED[key(r)]!;
        if (rule === 'public') continue;
        const who = key(r) === 'POST /api/v1/auth/sign-out' ? spare[role]! : sessions[role]!;
        const res = await call(r.method, fill(r.url, crypto.randomUUID()), { cookie: who.cookie, origin: 'http://127.0.0.1:3000' });
        expect(res.statusCode, `${key(r)} ${res.body}`).toBeLessThan(500);
        if (RANK[role]! < NEEDED[rule]) expect([key(r), res.statusCode]).toEqual([key(r), 403]);
        else expect([401, 403], `${role} ${key(r)} → ${res.statusCode}`).not.toContain(res.statusCode);
      }
    });
  }

  it('agents get 404 for conversations outside their inboxes; supervisors and admins do not', async () => {
    const conversationRoutes = routes().filter((r) => r.url.startsWith('/api/v1/conversations/:id'));
    expect(conversationRoutes.length).toBeGreaterThanOrEqual(8);
    for (const r of conversationRoutes) {
      const body = SAMPLE[key(r)]?.({ other: hidden2 });
      const url = fill(r.url, hidden);
      const agent = await call(r.method, url, { cookie: sessions.agent!.cookie }, body);
      expect([key(r), agent.statusCode]).toEqual([key(r), 404]);
      const admin = await call(r.method, url, { cookie: sessions.supervisor!.cookie }, key(r).endsWith('/merge') ? undefined : body);
      // Routes with a second id (a message, a delivery) would need a real one to succeed; visibility is what matters here.
      const singleId = (r.url.match(/:/g) ?? []).length === 1;
      // Email routes answer for email conversations only; this one is in an API inbox.
      const channelSpecific = /\/(email|email-reply|forward)$/.test(r.url);
      if (singleId && !channelSpecific && !key(r).endsWith('/merge')) expect([key(r), admin.statusCode < 300]).toEqual([key(r), true]);
    }
  });
});
