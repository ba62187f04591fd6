import { randomBytes } from 'node:crypto';
import type { Deps } from '../../platform/context.ts';
import { systemCtx } from '../../platform/context.ts';
import { hashPassword } from '../../platform/auth/passwords.ts';
import { newId, newSecret } from '../../platform/ids.ts';
import { toJson } from '../../db/dialect.ts';
import { insertUser } from '../users/index.ts';
import { insertContact } from '../contacts/index.ts';
import { insertConversation, appendMessage } from '../conversations/index.ts';
import { DEMO_CONVERSATIONS, DEMO_CUSTOMERS } from './demo-data.ts';
import { seedKnowledgeDemo } from '../knowledge/index.ts';

export type SeedResult = { created: false } | { created: true; logins: { email: string; password: string; role: string }[] };

const randomPassword = () => randomBytes(12).toString('base64url');

/**
 * First start only: an admin (always) and, unless CARELINE_DEMO=off, a demo company. Guarded by the
 * 'seeded' settings row inside the same transaction, so two nodes starting together seed once.
 */
export const seedIfEmpty = async (deps: Deps): Promise<SeedResult> => {
  const done = await deps.db.kysely.selectFrom('settings').select('key').where('key', '=', 'seeded').executeTakeFirst();
  if (done) return { created: false };
  const demo = deps.config.CARELINE_DEMO !== 'off';
  const people = [
    { email: deps.config.CARELINE_ADMIN_EMAIL, name: 'Ada Admin', role: 'admin' as const, language: 'en' as const, timeZone: 'Europe/London', password: deps.config.CARELINE_ADMIN_PASSWORD ?? randomPassword() },
    ...(demo ? [
      { email: 'linh@careline.local', name: 'Linh Nguyễn', role: 'agent' as const, language: 'vi' as const, timeZone: 'Asia/Ho_Chi_Minh', password: randomPassword() },
      { email: 'piotr@careline.local', name: 'Piotr Kowalski', role: 'agent' as const, language: 'pl' as const, timeZone: 'Europe/Warsaw', password: randomPassword() },
      { email: 'sam@careline.local', name: 'Sam Supervisor', role: 'supervisor' as const, language: 'en' as const, timeZone: 'America/New_York', password: randomPassword() },
    ] : []),
  ];
  const hashes = await Promise.all(people.map((p) => hashPassword(p.password)));
  const ctx = systemCtx(deps);
  try {
    await deps.db.transaction(async (w) => {
      await w.tx.insertInto('settings').values({ key: 'seeded', value: toJson({ at: deps.clock.iso(), demo }) }).execute();
      const ids = [];
      for (const [i, p] of people.entries()) ids.push(await insertUser(w, ctx, { ...p, passwordHash: hashes[i]! }));
      if (!demo) return;
      const [, linh, piotr] = ids as [string, string, string, string];
      const now = deps.clock.iso();
      await w.tx.insertInto('settings').values({ key: 'company', value: toJson({ name: 'Lumen Home', website: 'https://lumen.example' }) }).execute();
      const teams = { support: newId(), returns: newId() };
      await w.tx.insertInto('teams').values([
        { id: teams.support, name: 'Support', description: 'First line: questions, orders, accounts', created_at: now, updated_at: now },
        { id: teams.returns, name: 'Returns & warranty', description: 'Returns, exchanges and warranty claims', created_at: now, updated_at: now },
      ]).execute();
      await w.tx.insertInto('team_members').values([{ team_id: teams.support, user_id: linh }, { team_id: teams.support, user_id: piotr }, { team_id: teams.returns, user_id: piotr }]).execute();
      const inboxes = { email: newId(), chat: newId(), webform: newId() };
      await w.tx.insertInto('inboxes').values([
        { id: inboxes.email, name: 'Support email', channel: 'email', business_name: 'Lumen Home', greeting: 'Thanks for writing to Lumen Home. We answer within one business day.', email_address: 'support@lumen.example', public_token: newSecret('', 18), secret: newSecret('cis_'), settings: toJson({}), created_at: now, updated_at: now },
        { id: inboxes.chat, name: 'Website chat', channel: 'chat', business_name: 'Lumen Home', greeting: 'Hi! How can we help you today?', email_address: null, public_token: newSecret('', 18), secret: newSecret('cis_'), settings: toJson({ color: '#1f6feb' }), created_at: now, updated_at: now },
        { id: inboxes.webform, name: 'Contact form', channel: 'webform', business_name: 'Lumen Home', greeting: 'Tell us what happened and we will answer by email.', email_address: null, public_token: newSecret('', 18), secret: newSecret('cis_'), settings: toJson({}), created_at: now, updated_at: now },
      ]).execute();
      // The help center: categories and articles in en/vi/pl, branded by the contact-form inbox.
      await seedKnowledgeDemo(w, ctx, { webformInboxId: inboxes.webform });
      await w.tx.insertInto('inbox_members').values([
        { inbox_id: inboxes.email, user_id: linh }, { inbox_id: inboxes.chat, user_id: linh }, { inbox_id: inboxes.email, user_id: piotr },
        { inbox_id: inboxes.webform, user_id: piotr },
      ]).execute();
      const contacts: string[] = [];
      for (const c of DEMO_CUSTOMERS) contacts.push(await insertContact(w, ctx, c));
      const start = deps.clock.now().getTime() - DEMO_CONVERSATIONS.length * 3 * 3600_000;
      for (const [i, c] of DEMO_CONVERSATIONS.entries()) {
        const at = (offsetMin: number) => new Date(start + i * 3 * 3600_000 + offsetMin * 60_000).toISOString();
        const { conversation } = await insertConversation(w, ctx, {
          inboxId: c.channel === 'email' ? inboxes.email : inboxes.chat, contactId: contacts[c.customer]!, subject: c.subject,
          priority: c.priority, tags: c.tags, teamId: c.team ? teams[c.team] : null, assigneeId: c.assignee === 'linh' ? linh : c.assignee === 'piotr' ? piotr : null,
          createdAt: at(0),
        }, { kind: 'incoming', text: c.messages[0]!.text, createdAt: at(0) });
        const row = await w.tx.selectFrom('conversations').selectAll().where('id', '=', conversation.id).executeTakeFirstOrThrow();
        for (const [j, m] of c.messages.slice(1).entries()) {
          await appendMessage(w, ctx, { ...row, status: 'open' }, { kind: m.kind, text: m.text, authorUserId: m.kind === 'incoming' ? null : (c.assignee === 'piotr' ? piotr : linh), authorContactId: m.kind === 'incoming' ? contacts[c.customer]! : null, createdAt: at(20 * (j + 1)), ...(m.kind === 'outgoing' ? { deliveryState: 'sent' as const } : {}) });
        }
        if (c.status !== 'open') await w.tx.updateTable('conversations').set({ status: c.status, resolved_at: c.status === 'resolved' ? at(90) : null }).where('id', '=', conversation.id).execute();
      }
    });
  } catch (error) {
    // Another node seeded first.
    if (await deps.db.kysely.selectFrom('settings').select('key').where('key', '=', 'seeded').executeTakeFirst()) return { created: false };
    throw error;
  }
  return { created: true, logins: people.map((p) => ({ email: p.email, password: p.password, role: p.role })) };
};
