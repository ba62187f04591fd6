import type { Ctx } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors/app-error.ts';
import { newId } from '../../platform/ids.ts';
import { audit } from '../../platform/audit.ts';
import { fromJson, toJson } from '../../db/dialect.ts';
import { stripUndefined } from '../../platform/objects.ts';
import type { DB } from '../../db/schema.ts';

const toDto = (o: DB['organizations']) => ({ id: o.id, name: o.name, domain: o.domain, customAttributes: fromJson(o.custom_attributes, {}), createdAt: o.created_at });
type OrgInput = { name?: string; domain?: string | null; customAttributes?: Record<string, string | number | boolean | null> };

export const listOrganizations = async (ctx: Ctx) => (await ctx.db.kysely.selectFrom('organizations').selectAll().orderBy('name').execute()).map(toDto);

export const getOrganization = async (ctx: Ctx, id: string) => {
  const o = await ctx.db.kysely.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!o) throw notFound('Organization');
  return toDto(o);
};

const assertDomainFree = async (ctx: Ctx, domain: string | null | undefined, except?: string) => {
  if (!domain) return;
  const o = await ctx.db.kysely.selectFrom('organizations').select('id').where('domain', '=', domain.toLowerCase()).executeTakeFirst();
  if (o && o.id !== except) throw new AppError('CONFLICT', { userMessage: 'Another organization has this domain.' });
};

export const createOrganization = async (ctx: Ctx, input: OrgInput & { name: string }) => {
  await assertDomainFree(ctx, input.domain);
  const id = newId(); const now = ctx.clock.iso();
  await ctx.db.transaction(async (w) => {
    await w.tx.insertInto('organizations').values({ id, name: input.name, domain: input.domain?.toLowerCase() ?? null, custom_attributes: toJson(input.customAttributes ?? {}), created_at: now, updated_at: now }).execute();
    await audit(w, ctx.actor, now, { entity: 'organization', entityId: id, action: 'created', after: input });
  });
  return getOrganization(ctx, id);
};

export const updateOrganization = async (ctx: Ctx, id: string, input: OrgInput) => {
  const before = await getOrganization(ctx, id);
  await assertDomainFree(ctx, input.domain, id);
  await ctx.db.transaction(async (w) => {
    const now = ctx.clock.iso();
    await w.tx.updateTable('organizations').set({
      ...stripUndefined({ name: input.name, domain: input.domain === null ? null : input.domain?.toLowerCase() }),
      ...(input.customAttributes ? { custom_attributes: toJson(input.customAttributes) } : {}), updated_at: now,
    }).where('id', '=', id).execute();
    await audit(w, ctx.actor, now, { entity: 'organization', entityId: id, action: 'updated', before, after: input });
  });
  return getOrganization(ctx, id);
};

export const deleteOrganization = async (ctx: Ctx, id: string) => {
  const before = await getOrganization(ctx, id);
  await ctx.db.transaction(async (w) => {
    await w.tx.updateTable('contacts').set({ organization_id: null }).where('organization_id', '=', id).execute();
    await w.tx.deleteFrom('organizations').where('id', '=', id).execute();
    await audit(w, ctx.actor, ctx.clock.iso(), { entity: 'organization', entityId: id, action: 'deleted', before });
  });
};
