import type { Ctx } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors/app-error.ts';
import { newId } from '../../platform/ids.ts';
import { audit } from '../../platform/audit.ts';
import { membersOf, replaceMembers } from '../../db/membership.ts';
import { stripUndefined } from '../../platform/objects.ts';
import type { DB } from '../../db/schema.ts';

const toDto = (t: DB['teams'], memberIds: string[]) => ({ id: t.id, name: t.name, description: t.description, memberIds, createdAt: t.created_at });

export const listTeams = async (ctx: Ctx) => {
  const teams = await ctx.db.kysely.selectFrom('teams').selectAll().orderBy('name').execute();
  const members = await membersOf(ctx.db.kysely, 'team_members', 'team_id', teams.map((t) => t.id));
  return teams.map((t) => toDto(t, members.get(t.id)!));
};

export const getTeam = async (ctx: Ctx, id: string) => {
  const t = await ctx.db.kysely.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
  if (!t) throw notFound('Team');
  return toDto(t, (await membersOf(ctx.db.kysely, 'team_members', 'team_id', [id])).get(id)!);
};

const assertUsersExist = async (ctx: Ctx, ids: string[]) => {
  if (!ids.length) return;
  const found = await ctx.db.kysely.selectFrom('users').select('id').where('id', 'in', ids).execute();
  if (found.length !== new Set(ids).size) throw new AppError('VALIDATION_FAILED', { userMessage: 'Unknown user in memberIds', fields: [{ field: 'body.memberIds', message: 'unknown user' }] });
};

export const createTeam = async (ctx: Ctx, input: { name: string; description: string; memberIds: string[] }) => {
  await assertUsersExist(ctx, input.memberIds);
  const id = newId(); const now = ctx.clock.iso();
  await ctx.db.transaction(async (w) => {
    if (await w.tx.selectFrom('teams').select('id').where('name', '=', input.name).executeTakeFirst()) throw new AppError('CONFLICT', { userMessage: 'A team with this name exists.' });
    await w.tx.insertInto('teams').values({ id, name: input.name, description: input.description, created_at: now, updated_at: now }).execute();
    await replaceMembers(w.tx, 'team_members', 'team_id', id, input.memberIds);
    await audit(w, ctx.actor, now, { entity: 'team', entityId: id, action: 'created', after: input });
  });
  return getTeam(ctx, id);
};

export const updateTeam = async (ctx: Ctx, id: string, input: { name?: string; description?: string; memberIds?: string[] }) => {
  const before = await getTeam(ctx, id);
  if (input.memberIds) await assertUsersExist(ctx, input.memberIds);
  await ctx.db.transaction(async (w) => {
    const now = ctx.clock.iso();
    if (input.name && input.name !== before.name && await w.tx.selectFrom('teams').select('id').where('name', '=', input.name).executeTakeFirst()) {
      throw new AppError('CONFLICT', { userMessage: 'A team with this name exists.' });
    }
    await w.tx.updateTable('teams').set({ ...stripUndefined({ name: input.name, description: input.description }), updated_at: now }).where('id', '=', id).execute();
    if (input.memberIds) await replaceMembers(w.tx, 'team_members', 'team_id', id, input.memberIds);
    await audit(w, ctx.actor, now, { entity: 'team', entityId: id, action: 'updated', before, after: input });
  });
  return getTeam(ctx, id);
};

export const deleteTeam = async (ctx: Ctx, id: string) => {
  const before = await getTeam(ctx, id);
  await ctx.db.transaction(async (w) => {
    await w.tx.updateTable('conversations').set({ team_id: null }).where('team_id', '=', id).execute();
    await w.tx.deleteFrom('teams').where('id', '=', id).execute();
    await audit(w, ctx.actor, ctx.clock.iso(), { entity: 'team', entityId: id, action: 'deleted', before });
  });
};
