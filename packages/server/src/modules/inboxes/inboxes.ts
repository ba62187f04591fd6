import { prepared } from '../../db/prepared.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors/app-error.ts';
import { newId, newSecret } from '../../platform/ids.ts';
import { audit } from '../../platform/audit.ts';
import { fromJson, toJson } from '../../db/dialect.ts';
import { membersOf, replaceMembers } from '../../db/membership.ts';
import { stripUndefined } from '../../platform/objects.ts';
import type { Tx } from '../../db/connection.ts';
import type { DB } from '../../db/schema.ts';
import type { Channel, TInbox } from '@careline/shared';
import { MEMBERSHIP_CHANNEL } from '../../platform/events/channels.ts';

const toDto = (i: DB['inboxes'], memberIds: string[]): TInbox => ({
  id: i.id, name: i.name, channel: i.channel as Channel, businessName: i.business_name, greeting: i.greeting,
  emailAddress: i.email_address, publicToken: i.public_token, settings: fromJson(i.settings, {}), memberIds, createdAt: i.created_at,
});

const membershipQuery = prepared((db, userId: string) => db.selectFrom('inbox_members').select('inbox_id').where('user_id', '=', userId));
/**
 * The one place that decides which inboxes an actor sees: admins and supervisors all (null = no
 * limit), agents the inboxes they are members of.
 */
export const visibleInboxIds = async (db: Tx, actor: Ctx['actor']): Promise<string[] | null> => {
  if (actor.type === 'system' || (actor.type === 'user' && actor.user.role !== 'agent')) return null;
  if (actor.type !== 'user') return [];
  return (await membershipQuery(db, actor.user.id)).rows.map((r) => r.inbox_id);
};

export const canSeeInbox = async (db: Tx, actor: Ctx['actor'], inboxId: string) => {
  const ids = await visibleInboxIds(db, actor);
  return ids === null || ids.includes(inboxId);
};

export const listInboxes = async (ctx: Ctx) => {
  const visible = await visibleInboxIds(ctx.db.kysely, ctx.actor);
  let q = ctx.db.kysely.selectFrom('inboxes').selectAll().orderBy('name');
  if (visible) { if (!visible.length) return []; q = q.where('id', 'in', visible); }
  const rows = await q.execute();
  const members = await membersOf(ctx.db.kysely, 'inbox_members', 'inbox_id', rows.map((r) => r.id));
  return rows.map((r) => toDto(r, members.get(r.id)!));
};

export const getInbox = async (ctx: Ctx, id: string) => {
  const row = await ctx.db.kysely.selectFrom('inboxes').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || !(await canSeeInbox(ctx.db.kysely, ctx.actor, id))) throw notFound('Inbox');
  return toDto(row, (await membersOf(ctx.db.kysely, 'inbox_members', 'inbox_id', [id])).get(id)!);
};

/** For channel code (no actor): the inbox row including its secret. */
export const findInboxRow = (db: Tx, by: { id?: string; publicToken?: string; emailAddress?: string }) => {
  let q = db.selectFrom('inboxes').selectAll();
  if (by.id) q = q.where('id', '=', by.id);
  else if (by.publicToken) q = q.where('public_token', '=', by.publicToken);
  else if (by.emailAddress) q = q.where('email_address', '=', by.emailAddress.toLowerCase());
  else return Promise.resolve(undefined);
  return q.executeTakeFirst();
};

export type CreateInboxInput = { name: string; channel: Channel; businessName: string; greeting: string; emailAddress: string | null; settings: Record<string, unknown>; memberIds: string[] };

export const createInbox = async (ctx: Ctx, input: CreateInboxInput) => {
  const id = newId(); const now = ctx.clock.iso(); const secret = newSecret('cis_');
  await ctx.db.transaction(async (w) => {
    if (input.emailAddress && await w.tx.selectFrom('inboxes').select('id').where('email_address', '=', input.emailAddress.toLowerCase()).executeTakeFirst()) {
      throw new AppError('CONFLICT', { userMessage: 'Another inbox uses this email address.' });
    }
    await w.tx.insertInto('inboxes').values({
      id, name: input.name, channel: input.channel, business_name: input.businessName, greeting: input.greeting,
      email_address: input.emailAddress?.toLowerCase() ?? null, public_token: newSecret('', 18), secret, settings: toJson(input.settings),
      created_at: now, updated_at: now,
    }).execute();
    await replaceMembers(w.tx, 'inbox_members', 'inbox_id', id, input.memberIds);
    await audit(w, ctx.actor, now, { entity: 'inbox', entityId: id, action: 'created', after: input });
    w.afterCommit(() => ctx.bus.publish(MEMBERSHIP_CHANNEL, { inboxId: id }));
  });
  return { ...(await getInbox(ctx, id)), secret };
};

export const updateInbox = async (ctx: Ctx, id: string, input: Partial<Omit<CreateInboxInput, 'channel'>>) => {
  const before = await getInbox(ctx, id);
  await ctx.db.transaction(async (w) => {
    const now = ctx.clock.iso();
    const email = input.emailAddress?.toLowerCase();
    if (email && email !== before.emailAddress && await w.tx.selectFrom('inboxes').select('id').where('email_address', '=', email).executeTakeFirst()) {
      throw new AppError('CONFLICT', { userMessage: 'Another inbox uses this email address.' });
    }
    await w.tx.updateTable('inboxes').set({
      ...stripUndefined({ name: input.name, business_name: input.businessName, greeting: input.greeting, email_address: input.emailAddress === null ? null : email }),
      ...(input.settings ? { settings: toJson(input.settings) } : {}), updated_at: now,
    }).where('id', '=', id).execute();
    if (input.memberIds) {
      await replaceMembers(w.tx, 'inbox_members', 'inbox_id', id, input.memberIds);
      w.afterCommit(() => ctx.bus.publish(MEMBERSHIP_CHANNEL, { inboxId: id }));
    }
    await audit(w, ctx.actor, now, { entity: 'inbox', entityId: id, action: 'updated', before, after: input });
  });
  return getInbox(ctx, id);
};

export const rotateInboxSecret = async (ctx: Ctx, id: string) => {
  await getInbox(ctx, id);
  const secret = newSecret('cis_');
  await ctx.db.transaction(async (w) => {
    await w.tx.updateTable('inboxes').set({ secret, updated_at: ctx.clock.iso() }).where('id', '=', id).execute();
    await audit(w, ctx.actor, ctx.clock.iso(), { entity: 'inbox', entityId: id, action: 'secret_rotated' });
  });
  return { secret };
};

export const deleteInbox = async (ctx: Ctx, id: string) => {
  const before = await getInbox(ctx, id);
  const used = await ctx.db.kysely.selectFrom('conversations').select('id').where('inbox_id', '=', id).limit(1).executeTakeFirst();
  if (used) throw new AppError('CONFLICT', { userMessage: 'This inbox has conversations; it cannot be deleted.' });
  await ctx.db.transaction(async (w) => {
    await w.tx.deleteFrom('inboxes').where('id', '=', id).execute();
    await audit(w, ctx.actor, ctx.clock.iso(), { entity: 'inbox', entityId: id, action: 'deleted', before });
  });
};
