import type { Ctx } from '../../platform/context.ts';
import type { ConversationStatus } from '@careline/shared';
import { AppError, notFound } from '../../platform/errors/app-error.ts';
import { newId } from '../../platform/ids.ts';
import { audit } from '../../platform/audit.ts';
import type { DB } from '../../db/schema.ts';

// Custom statuses ("Waiting for warehouse") are labels over the five base states, which drive SLAs and reports.
const toDto = (s: DB['custom_statuses']) => ({ id: s.id, name: s.name, baseStatus: s.base_status as ConversationStatus, createdAt: s.created_at });

export const listCustomStatuses = async (ctx: Ctx) => (await ctx.db.kysely.selectFrom('custom_statuses').selectAll().orderBy('name').execute()).map(toDto);

export const createCustomStatus = async (ctx: Ctx, input: { name: string; baseStatus: ConversationStatus }) => {
  const row = { id: newId(), name: input.name, base_status: input.baseStatus, created_at: ctx.clock.iso() };
  await ctx.db.transaction(async (w) => {
    if (await w.tx.selectFrom('custom_statuses').select('id').where('name', '=', input.name).executeTakeFirst()) throw new AppError('CONFLICT', { userMessage: 'A status with this name exists.' });
    await w.tx.insertInto('custom_statuses').values(row).execute();
    await audit(w, ctx.actor, row.created_at, { entity: 'custom_status', entityId: row.id, action: 'created', after: input });
  });
  return toDto(row);
};

export const deleteCustomStatus = async (ctx: Ctx, id: string) => {
  const row = await ctx.db.kysely.selectFrom('custom_statuses').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Custom status');
  await ctx.db.transaction(async (w) => {
    // Conversations keep their base status; only the label goes.
    await w.tx.updateTable('conversations').set({ custom_status_id: null }).where('custom_status_id', '=', id).execute();
    await w.tx.deleteFrom('custom_statuses').where('id', '=', id).execute();
    await audit(w, ctx.actor, ctx.clock.iso(), { entity: 'custom_status', entityId: id, action: 'deleted', before: toDto(row) });
  });
};
