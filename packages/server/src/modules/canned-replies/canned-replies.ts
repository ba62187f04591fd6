import type { Ctx } from '../../platform/context.ts';
import type { DB } from '../../db/schema.ts';
import type { TCannedReply } from '@careline/shared';
import { requireUser } from '../../platform/auth/access.ts';
import { conflict, notFound } from '../../platform/errors/app-error.ts';
import { newId } from '../../platform/ids.ts';
import { audit } from '../../platform/audit.ts';
import { containsText } from '../../db/dialect.ts';
import { stripUndefined } from '../../platform/objects.ts';

const toDto = (r: DB['canned_replies']): TCannedReply => ({
  id: r.id, shortcut: r.shortcut, title: r.title, text: r.text, createdById: r.created_by_id, createdAt: r.created_at, updatedAt: r.updated_at,
});

/** Shared answers for every agent; q matches the shortcut, title or text. Shortcut matches first. */
export const listCannedReplies = async (ctx: Ctx, q?: string) => {
  let query = ctx.db.kysely.selectFrom('canned_replies').selectAll().orderBy('shortcut').limit(500);
  if (q) query = query.where((eb) => eb.or([containsText('shortcut', q), containsText('title', q), containsText('text', q)]));
  const rows = (await query.execute()).map(toDto);
  if (!q) return rows;
  const needle = q.toLowerCase();
  const rank = (r: TCannedReply) => (r.shortcut.startsWith(needle) ? 0 : r.shortcut.includes(needle) ? 1 : r.title.toLowerCase().includes(needle) ? 2 : 3);
  return rows.sort((a, b) => rank(a) - rank(b) || a.shortcut.localeCompare(b.shortcut));
};

const getRow = async (ctx: Ctx, id: string) => {
  const row = await ctx.db.kysely.selectFrom('canned_replies').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Canned reply');
  return row;
};

const assertShortcutFree = async (ctx: Ctx, shortcut: string, exceptId?: string) => {
  let q = ctx.db.kysely.selectFrom('canned_replies').select('id').where('shortcut', '=', shortcut);
  if (exceptId) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst()) throw conflict(`The shortcut "${shortcut}" is already used.`);
};

export const createCannedReply = async (ctx: Ctx, input: { shortcut: string; title: string; text: string }) => {
  const user = requireUser(ctx.actor);
  await assertShortcutFree(ctx, input.shortcut);
  const now = ctx.clock.iso();
  const row: DB['canned_replies'] = { id: newId(), shortcut: input.shortcut, title: input.title, text: input.text, created_by_id: user.id, created_at: now, updated_at: now };
  await ctx.db.transaction(async (w) => {
    await w.tx.insertInto('canned_replies').values(row).execute();
    await audit(w, ctx.actor, now, { entity: 'canned_reply', entityId: row.id, action: 'created', after: { shortcut: row.shortcut, title: row.title } });
  });
  return toDto(row);
};

export const updateCannedReply = async (ctx: Ctx, id: string, input: { shortcut?: string; title?: string; text?: string }) => {
  const before = await getRow(ctx, id);
  if (input.shortcut) await assertShortcutFree(ctx, input.shortcut, id);
  const now = ctx.clock.iso();
  const set = { ...stripUndefined(input), updated_at: now };
  await ctx.db.transaction(async (w) => {
    await w.tx.updateTable('canned_replies').set(set).where('id', '=', id).execute();
    await audit(w, ctx.actor, now, { entity: 'canned_reply', entityId: id, action: 'updated', before: { shortcut: before.shortcut, title: before.title }, after: stripUndefined(input) });
  });
  return toDto({ ...before, ...set });
};

export const deleteCannedReply = async (ctx: Ctx, id: string) => {
  const before = await getRow(ctx, id);
  const now = ctx.clock.iso();
  await ctx.db.transaction(async (w) => {
    await w.tx.deleteFrom('canned_replies').where('id', '=', id).execute();
    await audit(w, ctx.actor, now, { entity: 'canned_reply', entityId: id, action: 'deleted', before: { shortcut: before.shortcut, title: before.title } });
  });
};
