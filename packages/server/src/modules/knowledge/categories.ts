import type { Language, TKbCategory } from '@careline/shared';
import type { Ctx } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors/app-error.ts';
import { newId } from '../../platform/ids.ts';
import { audit } from '../../platform/audit.ts';
import { toJson } from '../../db/dialect.ts';
import { stripUndefined } from '../../platform/objects.ts';
import { toCategoryDto } from './knowledge.repo.ts';

// Categories and sections: a section is a category with a parent (two levels, like most help centers).

export type CategoryInput = { parentId: string | null; slug: string; position: number; names: Partial<Record<Language, string>>; descriptions: Partial<Record<Language, string>> };

export const listCategories = async (ctx: Ctx): Promise<TKbCategory[]> =>
  (await ctx.db.kysely.selectFrom('kb_categories').selectAll().orderBy('position').orderBy('slug').execute()).map(toCategoryDto);

const checkParent = async (ctx: Ctx, parentId: string | null | undefined, selfId: string | null) => {
  if (!parentId) return;
  const parent = await ctx.db.kysely.selectFrom('kb_categories').select(['id', 'parent_id']).where('id', '=', parentId).executeTakeFirst();
  if (!parent || parent.id === selfId) throw new AppError('VALIDATION_FAILED', { userMessage: 'Unknown parent category', fields: [{ field: 'body.parentId', message: 'unknown' }] });
  if (parent.parent_id) throw new AppError('VALIDATION_FAILED', { userMessage: 'Sections cannot have sections of their own', fields: [{ field: 'body.parentId', message: 'is a section' }] });
};

const slugTaken = async (ctx: Ctx, slug: string, selfId: string | null) => {
  let q = ctx.db.kysely.selectFrom('kb_categories').select('id').where('slug', '=', slug);
  if (selfId) q = q.where('id', '<>', selfId);
  if (await q.executeTakeFirst()) throw new AppError('CONFLICT', { userMessage: `Another category uses the address "${slug}".` });
};

export const createCategory = async (ctx: Ctx, input: CategoryInput) => {
  await checkParent(ctx, input.parentId, null);
  await slugTaken(ctx, input.slug, null);
  const now = ctx.clock.iso();
  const row = { id: newId(), parent_id: input.parentId, slug: input.slug, position: input.position, names: toJson(input.names), descriptions: toJson(input.descriptions), created_at: now, updated_at: now };
  await ctx.db.transaction(async (w) => {
    await w.tx.insertInto('kb_categories').values(row).execute();
    await audit(w, ctx.actor, now, { entity: 'kb_category', entityId: row.id, action: 'created', after: input });
  });
  return toCategoryDto(row);
};

export const updateCategory = async (ctx: Ctx, id: string, input: Partial<CategoryInput>) => {
  const before = await ctx.db.kysely.selectFrom('kb_categories').selectAll().where('id', '=', id).executeTakeFirst();
  if (!before) throw notFound('Category');
  await checkParent(ctx, input.parentId, id);
  if (input.parentId) {
    const children = await ctx.db.kysely.selectFrom('kb_categories').select('id').where('parent_id', '=', id).limit(1).executeTakeFirst();
    if (children) throw new AppError('VALIDATION_FAILED', { userMessage: 'A category with sections cannot become a section', fields: [{ field: 'body.parentId', message: 'has sections' }] });
  }
  if (input.slug) await slugTaken(ctx, input.slug, id);
  const now = ctx.clock.iso();
  const set = stripUndefined({ parent_id: input.parentId, slug: input.slug, position: input.position, names: input.names ? toJson(input.names) : undefined, descriptions: input.descriptions ? toJson(input.descriptions) : undefined });
  await ctx.db.transaction(async (w) => {
    await w.tx.updateTable('kb_categories').set({ ...set, updated_at: now }).where('id', '=', id).execute();
    await audit(w, ctx.actor, now, { entity: 'kb_category', entityId: id, action: 'updated', before: toCategoryDto(before), after: input });
  });
  return toCategoryDto((await ctx.db.kysely.selectFrom('kb_categories').selectAll().where('id', '=', id).executeTakeFirstOrThrow()));
};

/** Its sections go with it; its articles stay, without a category. */
export const deleteCategory = async (ctx: Ctx, id: string) => {
  const before = await ctx.db.kysely.selectFrom('kb_categories').selectAll().where('id', '=', id).executeTakeFirst();
  if (!before) throw notFound('Category');
  await ctx.db.transaction(async (w) => {
    const ids = [id, ...(await w.tx.selectFrom('kb_categories').select('id').where('parent_id', '=', id).execute()).map((r) => r.id)];
    await w.tx.updateTable('kb_articles').set({ category_id: null }).where('category_id', 'in', ids).execute();
    await w.tx.deleteFrom('kb_categories').where('id', 'in', ids).execute();
    await audit(w, ctx.actor, ctx.clock.iso(), { entity: 'kb_category', entityId: id, action: 'deleted', before: toCategoryDto(before) });
  });
};
